"""The desktop app's own Qt settings file (it remembers the last user name) is owner-only, like the
data files: 0600 in a 0700 folder, and still so after Qt rewrites it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from ehdesk.gui.login import LAST_USER_KEY
from ehdesk.storage.filemodes import private_settings_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # under which Qt alone would write 0644 in 0755
    yield
    os.umask(old)


def test_the_qt_settings_file_is_owner_only_and_stays_so_when_qt_rewrites_it() -> None:
    path = Path(QSettings().fileName())
    assert not path.exists()
    private_settings_file(path)  # what the app does at start, before the login dialog reads it
    QSettings().setValue(LAST_USER_KEY, "wendy")
    QSettings().sync()
    assert QSettings().value(LAST_USER_KEY) == "wendy"
    assert (_mode(path), _mode(path.parent)) == (0o600, 0o700)


def test_a_settings_file_left_readable_by_an_older_ehdesk_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "ehdesk"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    path = folder / "ehdesk.conf"
    path.write_text("[General]\nlogin\\last_user=wendy\n", encoding="utf-8")
    path.chmod(0o644)
    private_settings_file(path)
    assert (_mode(path), _mode(folder)) == (0o600, 0o700)
    assert "wendy" in path.read_text(encoding="utf-8")  # tightened, not emptied


def test_a_shared_preferences_folder_is_not_tightened(tmp_path: Path) -> None:
    shared = tmp_path / "Preferences"  # macOS keeps every app's settings side by side here
    shared.mkdir()
    shared.chmod(0o755)
    path = private_settings_file(shared / "com.ehdesk.ehdesk.plist")
    assert (_mode(path), _mode(shared)) == (0o600, 0o755)
