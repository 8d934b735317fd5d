"""Settings resolve from option, then environment, then a default that needs no set-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehdesk.config import load_settings, read_config_file, write_config_file
from ehdesk.errors import ConfigError
from ehdesk.storage.database import Database


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == tmp_path / "data"  # conftest points EHDESK_DATA_DIR here
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'ehdesk.sqlite3'}"
    assert settings.policy_pack is None


def test_the_environment_selects_another_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EHDESK_DATABASE_URL", "postgresql://team@db.example/ehdesk")
    assert load_settings().database_url == "postgresql://team@db.example/ehdesk"


def test_the_option_wins_over_the_environment_and_a_plain_path_means_sqlite(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EHDESK_DATABASE_URL", "postgresql://team@db.example/ehdesk")
    assert (
        load_settings(database=str(tmp_path / "mine.db")).database_url == f"sqlite:///{tmp_path / 'mine.db'}"
    )


def test_a_policy_pack_folder_that_does_not_exist_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nowhere"):
        load_settings(policy_pack=tmp_path / "nowhere")


def test_a_malformed_database_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not valid"):
        Database("::not a url::")


def test_an_unknown_database_driver_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no database driver"):
        Database("oracle+nonesuch://x/y")


def test_a_new_sqlite_database_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'e.sqlite3'}")
    db.upgrade()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()


def test_the_settings_file_points_ehdesk_at_another_database(tmp_path: Path) -> None:
    write_config_file({"database": "postgresql://team@db.example/ehdesk"})
    settings = load_settings()
    assert settings.database_url == "postgresql://team@db.example/ehdesk"
    assert settings.sources["database"].startswith("settings file")


def test_the_environment_wins_over_the_settings_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config_file({"database": "postgresql://team@db.example/ehdesk"})
    monkeypatch.setenv("EHDESK_DATABASE_URL", "sqlite:///elsewhere.db")
    assert load_settings().database_url == "sqlite:///elsewhere.db"


def test_values_with_quotes_and_backslashes_survive_the_settings_file(tmp_path: Path) -> None:
    odd = str(tmp_path / 'pack "A"\\B')
    write_config_file({"policy_pack": odd})
    assert read_config_file() == {"policy_pack": odd}


def test_a_broken_settings_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ehdesk.toml"
    path.parent.mkdir(parents=True)
    path.write_text("database = postgresql://unquoted\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid TOML.*fix or delete it"):
        load_settings()


def test_an_unknown_setting_in_the_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ehdesk.toml"
    path.parent.mkdir(parents=True)
    path.write_text('databse = "sqlite:///x.db"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'databse'"):
        load_settings()
