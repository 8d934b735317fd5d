"""Nobody else on the computer can read ehdesk's files: modes checked by stat, old ones tightened."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ehdesk.config import load_settings, read_config_file, write_config_file
from ehdesk.storage.database import Database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The common 022 umask, under which plain file creation would give 0644 and 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _open_and_write(url: str) -> Database:
    db = Database(url)
    db.upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS scratch (x INTEGER)"))
        connection.execute(text("INSERT INTO scratch VALUES (1)"))
    return db


def test_a_new_data_folder_is_owner_only_and_so_are_the_database_and_its_wal_and_shm(
    tmp_path: Path,
) -> None:
    settings = load_settings()  # the default: a SQLite file in the (not yet existing) data folder
    db = _open_and_write(settings.database_url)
    try:
        database = settings.data_dir / "ehdesk.sqlite3"
        assert _mode(settings.data_dir) == 0o700
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            assert path.exists(), path
            assert _mode(path) == 0o600, path
    finally:
        db.dispose()


def test_files_left_open_by_an_older_ehdesk_are_tightened_on_start_with_a_line_saying_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"  # conftest's EHDESK_DATA_DIR
    data.mkdir(mode=0o755)
    database = data / "ehdesk.sqlite3"
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.touch()
        path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="ehdesk.files"):
        db = Database(load_settings().database_url)
    db.dispose()
    assert _mode(data) == 0o700
    assert {_mode(p) for p in (database, Path(f"{database}-wal"), Path(f"{database}-shm"))} == {0o600}
    said = caplog.text
    assert f"tightened folder {data} from mode 755 to 700" in said
    assert f"tightened database {database} from mode 644 to 600" in said


def test_a_database_kept_outside_the_data_folder_leaves_that_folders_mode_alone(tmp_path: Path) -> None:
    shared = tmp_path / "documents"
    shared.mkdir(mode=0o755)
    db = _open_and_write(f"sqlite:///{shared / 'mine.sqlite3'}")
    db.dispose()
    assert _mode(shared) == 0o755
    assert _mode(shared / "mine.sqlite3") == 0o600


def test_the_settings_file_is_written_owner_only(tmp_path: Path) -> None:
    path = write_config_file({"database": str(tmp_path / "x.sqlite3")})
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700  # a folder ehdesk created
    assert not path.with_name(path.name + ".tmp").exists()


def test_an_old_readable_settings_file_is_tightened_when_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config" / "ehdesk.toml"  # conftest's EHDESK_CONFIG
    path.parent.mkdir()
    path.write_text('database = "sqlite:///somewhere.db"\n', encoding="utf-8")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="ehdesk.files"):
        assert read_config_file() == {"database": "sqlite:///somewhere.db"}
    assert _mode(path) == 0o600
    assert "tightened settings file" in caplog.text
