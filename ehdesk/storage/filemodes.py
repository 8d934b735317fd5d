"""Who else on this computer can read ehdesk's files: nobody.

The SQLite database holds children's records and password hashes, so the data folder is made 0700 and
the database, its ``-wal``/``-shm`` companions and the settings file 0600 (owner only). New files are
created that way; files and folders left by an older ehdesk (0644 inside 0755) are tightened when ehdesk
starts, with a warning line (to stderr unless logging is set up otherwise) saying which, so an
administrator learns the old modes were exposed. On Windows POSIX modes mean little; the folder's ACL
(inherited from the user's profile) is what protects it there, and nothing here changes it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from ehdesk.errors import ConfigError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

log = logging.getLogger("ehdesk.files")


def _posix() -> bool:
    return os.name == "posix"


def _tighten(path: Path, mode: int, what: str) -> bool:
    """Remove group/other access from an existing ``path``; True if it had any."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False
    if not _posix() or current & 0o077 == 0:
        return False
    try:
        path.chmod(mode)
    except OSError as exc:
        raise ConfigError(
            f"the {what} {path} can be read by other accounts on this computer (mode {current:o}) and "
            f"ehdesk cannot change that ({exc.strerror}); run `chmod {mode:o} {path}` as its owner"
        ) from exc
    log.warning("ehdesk: tightened %s %s from mode %o to %o (owner only)", what, path, current, mode)
    return True


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create ``path`` (and missing parents) owner-only; if it exists, tighten it unless told not to."""
    if path.is_dir():
        if tighten:
            _tighten(path, PRIVATE_DIR, "folder")
        return path
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        if _posix():
            path.chmod(PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    except OSError as exc:
        raise ConfigError(
            f"cannot create the folder {path}: {exc.strerror}; check its parent folder"
        ) from exc
    return path


def private_file(path: Path, what: str = "file") -> Path:
    """Make sure ``path`` exists owner-only (created empty if missing, tightened if too open)."""
    if path.exists():
        _tighten(path, PRIVATE_FILE, what)
        return path
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        if _posix():
            path.chmod(PRIVATE_FILE)
    except OSError as exc:
        raise ConfigError(f"cannot create the {what} {path}: {exc.strerror}") from exc
    return path


def tighten_file(path: Path, what: str = "file") -> bool:
    """Tighten ``path`` if it exists and is readable by others; never creates it."""
    return _tighten(path, PRIVATE_FILE, what)


def _is_data_dir(folder: Path) -> bool:
    """An existing folder is tightened only if it is ehdesk's own data folder: a database the user put
    in, say, their home folder must not make ehdesk change that folder's mode."""
    from ehdesk.config import default_data_dir  # config uses this module; import at call time

    try:
        return folder.resolve() == default_data_dir().expanduser().resolve()
    except OSError:
        return False


def private_sqlite(database: Path) -> Path:
    """Prepare a SQLite database file before it is opened: the file 0600, its folder 0700 when ehdesk
    creates it or when it is the data folder.

    SQLite creates the ``-wal`` and ``-shm`` files with the database file's own mode, so creating the
    database 0600 first is enough for new ones; companions left by an older ehdesk are tightened here.
    """
    if database.name == ":memory:" or str(database).startswith("file:"):
        return database
    private_dir(database.parent, tighten=_is_data_dir(database.parent))
    private_file(database, "database")
    for suffix in SQLITE_COMPANIONS:
        tighten_file(database.with_name(database.name + suffix), "database file")
    return database


def write_private_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, never letting the content exist readable by others."""
    private_dir(path.parent, tighten=False)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE)
    try:
        if _posix():
            os.fchmod(fd, PRIVATE_FILE)  # an old .tmp may have been created more open
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)


def private_settings_file(path: Path, *, owner_folder: str = "ehdesk") -> Path:
    """Make the desktop app's own settings file (Qt's: the last user name, window places) owner-only.

    The file is created empty 0600 if missing (Qt keeps an existing file's mode when it rewrites it),
    or tightened; its folder is made 0700 only when it is ehdesk's own (named ``owner_folder``), never a
    shared folder such as macOS's ``~/Library/Preferences``. A path that is no file (Windows keeps Qt
    settings in the registry) is left alone.
    """
    if not _posix() or not path.is_absolute():
        return path
    if path.parent.name == owner_folder:
        private_dir(path.parent)
    elif not path.parent.is_dir():
        return path  # not ours to create
    return private_file(path, "settings file")
