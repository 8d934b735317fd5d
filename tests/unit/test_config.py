"""Settings resolve from option, then environment, then a default that needs no set-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from sqlalchemy.engine import make_url

from ehdesk.config import load_settings, read_config_file, store_keyring_password, write_config_file
from ehdesk.errors import ConfigError
from ehdesk.storage.database import Database
from tests.cli import ehdesk


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


# passwords never in the settings file (issue 14) --------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """A keyring held in memory, standing in for the system's Secret Service or Keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


def test_config_set_refuses_a_database_url_with_a_password_and_says_where_it_goes(tmp_path: Path) -> None:
    done = ehdesk("config", "set", "database", "postgresql://team:hunter22@db.example/ehdesk")
    assert done.returncode == 2
    assert "must not hold a password" in done.stderr
    assert "~/.pgpass" in done.stderr
    assert "ehdesk config password" in done.stderr
    assert "hunter22" not in done.stderr
    assert not (tmp_path / "config" / "ehdesk.toml").exists()


def test_a_settings_file_holding_a_password_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ehdesk.toml"
    path.parent.mkdir()
    path.write_text('database = "postgresql://team:hunter22@db.example/ehdesk"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="holds a database password") as refused:
        load_settings()
    assert "hunter22" not in str(refused.value)
    assert "db.example:5432:ehdesk:team:PASSWORD" in str(refused.value)  # the ~/.pgpass line to write


def test_write_config_file_never_writes_a_password() -> None:
    with pytest.raises(ConfigError, match="pgpass"):
        write_config_file({"database": "postgresql://team:hunter22@db.example/ehdesk"})


def test_the_keyring_password_is_added_in_memory_only(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    write_config_file({"database": "postgresql://team@db.example/ehdesk"})
    account = store_keyring_password("postgresql://team@db.example/ehdesk", "hunter22")
    assert account == "team@db.example:5432/ehdesk"
    settings = load_settings()
    assert make_url(settings.database_url).password == "hunter22"
    assert settings.sources["password"] == "system keyring"
    assert "hunter22" not in (tmp_path / "config" / "ehdesk.toml").read_text(encoding="utf-8")


def test_without_a_keyring_the_url_is_left_for_libpq_and_its_pgpass(
    monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    monkeypatch.setenv("EHDESK_DATABASE_URL", "postgresql://team@db.example/ehdesk")
    assert load_settings().database_url == "postgresql://team@db.example/ehdesk"


def test_storing_a_password_with_no_keyring_says_so_and_points_to_pgpass(no_keyring: None) -> None:
    with pytest.raises(ConfigError, match="no system keyring is available") as refused:
        store_keyring_password("postgresql://team@db.example/ehdesk", "hunter22")
    assert "~/.pgpass" in str(refused.value)
