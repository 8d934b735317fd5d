"""Opening a database only to check it: never create, never upgrade, refuse what is not ehdesk's.

``ehdesk audit verify`` is run by someone investigating; if it quietly made a new empty database at a
mistyped path, it would then report an intact (empty) trail. So it opens through here instead of
:func:`~ehdesk.storage.database.open_database`: a missing, empty or foreign file, a server database
without ehdesk's tables, or a schema older or newer than this ehdesk is a :class:`ConfigError` (exit 2)
saying what to do.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ehdesk.errors import ConfigError, DatabaseDamaged
from ehdesk.storage.database import Database
from ehdesk.storage.revisions import head_revision, stored_revision

_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED_TABLES = frozenset({"alembic_version", "audit_events", "audit_head", "families"})


def _check_sqlite_file(path: Path) -> None:
    where = f"{path} (check --database or `ehdesk config show`)"
    if not path.exists():
        raise ConfigError(f"there is no database at {where}; verify never creates one")
    if not path.is_file():
        raise ConfigError(f"{where} is not a file")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ConfigError(f"cannot read {where}: {exc.strerror}") from exc
    if not magic:
        raise ConfigError(f"{where} is empty: it is not an ehdesk database")
    if magic != _SQLITE_MAGIC:
        raise ConfigError(f"{where} is not a SQLite database")


def open_existing(url: str) -> Database:
    """The database at ``url``, exactly as it is, or a ConfigError saying why it cannot be checked.

    On SQLite, ``PRAGMA integrity_check`` runs first: a damaged file is :class:`DatabaseDamaged`
    (exit 1), as any later answer from it would be doubtful.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"database URL {url!r} is not valid; use sqlite:///path or postgresql://..."
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ConfigError("give the database file to check (--database PATH)")
        _check_sqlite_file(Path(parsed.database).expanduser())
    db = Database(url)
    try:
        damage = integrity_problems(db)
        if damage:
            raise DatabaseDamaged(
                f"database file damaged: integrity_check found {len(damage)} problem(s), first: "
                f"{damage[0]}; restore the newest backup and keep this copy for investigation"
            )
        _check_schema(db)
    except BaseException:
        db.dispose()
        raise
    return db


def _check_schema(db: Database) -> None:
    try:
        tables = set(inspect(db.read_engine).get_table_names())
        missing = _REQUIRED_TABLES - tables
        if missing:
            raise ConfigError(
                f"{db.safe_url} is not an ehdesk database (no {', '.join(sorted(missing))} table); "
                "check --database or `ehdesk config show`"
            )
        stored = stored_revision(db.read_engine)
    except DBAPIError as exc:
        if db.dialect == "sqlite":
            raise ConfigError(f"{db.safe_url} cannot be read as a database ({exc.orig})") from exc
        raise db.storage_error(exc) from exc
    if stored != head_revision():
        raise ConfigError(
            f"{db.safe_url} is at schema revision {stored}, this ehdesk expects {head_revision()}: start "
            "ehdesk on it once with the same version as the team (it upgrades on start), then verify"
        )


def integrity_problems(db: Database, limit: int = 20) -> list[str]:
    """SQLite's own check of the file (pages, indexes, constraints); empty when it is whole.

    PostgreSQL checks its pages itself; there this returns nothing.
    """
    if db.dialect != "sqlite":
        return []
    try:
        with db.read_engine.connect() as connection:
            rows = connection.execute(text(f"PRAGMA integrity_check({int(limit)})")).scalars().all()
    except DBAPIError as exc:  # damaged beyond what the check can walk ("disk image is malformed")
        return [" ".join(str(exc.orig).split())]
    return [] if rows == ["ok"] else [str(row) for row in rows]
