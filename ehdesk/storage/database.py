"""The engine and session factories, and the start-up upgrade.

Two kinds of unit of work: :meth:`Database.session` changes records and commits; :meth:`Database.read`
only reads and never commits. On SQLite the difference matters: a unit of work that writes begins with
``BEGIN IMMEDIATE`` (it takes the write lock up front, so a second writer waits its turn instead of
failing half-way), while a reader begins a plain deferred transaction and, thanks to WAL, is never
blocked by a writer nor blocks one. SQLite is also set to ``synchronous=FULL`` (a saved record survives
a power cut; a commit costs well under a millisecond here), foreign keys on, and a busy timeout. On
PostgreSQL a read is a READ ONLY transaction.

Database failures (locked, unreachable, refused) leave here as :class:`StorageError`, an
:class:`~ehdesk.errors.EhdeskError` whose message says what to do, so every caller that shows errors to
people shows these too. A save that lost a race with someone else's (SQLAlchemy's ``StaleDataError``,
raised by any flush: explicit, automatic before a query, or at commit) leaves every session as
:class:`~ehdesk.errors.ConflictError` (:class:`ConflictAwareSession`), so no service has to remember to
catch it. A change to a signed row refused by the database's own trigger (revision 0006) leaves as
:class:`~ehdesk.errors.RecordLocked`.

Start-up checks the schema with one query (:mod:`ehdesk.storage.revisions`) and imports Alembic only
when an upgrade is due; on PostgreSQL the upgrade runs under an advisory lock, so a team's instances
starting together on an empty or older database upgrade it once and the others wait, then find it
current.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ehdesk.errors import ConfigError, ConflictError, EhdeskError, RecordLocked, StorageError
from ehdesk.storage.anchor import anchor_after_commit, forget_pending
from ehdesk.storage.filemodes import private_sqlite
from ehdesk.storage.guards import (
    LOCKED_ROW_MESSAGE,
    refuse_bulk_changes_to_lockable_tables,
    refuse_changes_to_locked_records,
)
from ehdesk.storage.revisions import head_revision, stored_revision

MIGRATION_LOCK_KEY = 0x45484D47  # "EHMG": one PostgreSQL advisory lock serialises schema upgrades


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin_deferred(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    """Reader connections refuse writes, as PostgreSQL's READ ONLY transactions do."""
    dbapi_connection.execute("PRAGMA query_only=ON")


def _sqlite_begin(connection: Any) -> None:
    """Every unit of work takes the write lock up front (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another process wrote in between; an immediate one waits (busy_timeout) for the other writer to
    finish. Readers are never blocked: WAL lets them read while someone writes.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, for_writing: bool = True) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"database URL {url!r} is not valid; use sqlite:///path or postgresql://..."
        ) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database:
        private_sqlite(Path(parsed.database).expanduser())  # folder 0700, file and -wal/-shm 0600
    try:
        engine = create_engine(parsed, pool_pre_ping=not parsed.drivername.startswith("sqlite"))
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"no database driver for {parsed.drivername}; use sqlite or postgresql") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin if for_writing else _sqlite_begin_deferred)
        if not for_writing:
            event.listen(engine, "connect", _sqlite_query_only)
    return engine


# PostgreSQL: lock_not_available, deadlock_detected; SQLite says "database is locked" / "is busy".
_BUSY_CODES = {"55P03", "40P01"}


def _is_busy(exc: DBAPIError, reason: str) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _BUSY_CODES or reason.startswith(("database is locked", "database is busy"))


def _conflict(exc: StaleDataError) -> ConflictError:
    """Name the kind of record from SQLAlchemy's message ("UPDATE statement on table 'families' ...")."""
    table = str(exc).split("table '", 1)[-1].split("'", 1)[0] if "table '" in str(exc) else ""
    what = {"families": "family", "people": "person"}.get(table, table.removesuffix("s") or "record")
    return ConflictError(
        f"this {what} was changed by someone else while you were saving; reload it and try again "
        "(nothing of yours was saved)"
    )


class ConflictAwareSession(Session):
    """Every flush (explicit, automatic or at commit) turns a lost version race into ConflictError."""

    def flush(self, objects: Any = None) -> None:
        try:
            super().flush(objects)
        except StaleDataError as exc:
            raise _conflict(exc) from exc


class Database:
    """One database: an engine, a session factory and the migrations that keep it current."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, class_=ConflictAwareSession, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", refuse_changes_to_locked_records)
        event.listen(self._sessions, "do_orm_execute", refuse_bulk_changes_to_lockable_tables)
        event.listen(self._sessions, "after_commit", anchor_after_commit)
        event.listen(self._sessions, "after_rollback", forget_pending)
        if self.engine.dialect.name == "sqlite":
            self.read_engine = make_engine(url, for_writing=False)
        else:
            self.read_engine = self.engine.execution_options(postgresql_readonly=True)
        self._readers = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work that may change records: commits when the block ends, rolls back if it raises."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                raise self.refused(exc) from exc
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads (search, lists, summaries, audit checks); never commits."""
        with self._readers() as session:
            try:
                yield session
            except DBAPIError as exc:
                raise self.storage_error(exc) from exc
            finally:
                session.rollback()

    def refused(self, exc: DBAPIError) -> EhdeskError:
        """A write the database refused: a signed row (the 0006 triggers) or a storage failure."""
        if exc.orig is not None and LOCKED_ROW_MESSAGE in str(exc.orig):
            first_line = str(exc.orig).splitlines()[0]
            return RecordLocked(f"the database refused the change: {first_line}")
        return self.storage_error(exc)

    def storage_error(self, exc: DBAPIError) -> StorageError:
        """Say what went wrong with the database in words a user can act on."""
        reason = " ".join(str(exc.orig).split()) if exc.orig is not None else type(exc).__name__
        if _is_busy(exc, reason):
            return StorageError(
                "the database is busy with another ehdesk's save; nothing was lost — try again in a moment"
            )
        unreachable = exc.connection_invalidated or any(
            word in reason.lower() for word in ("connect", "server closed", "unable to open")
        )
        if isinstance(exc, OperationalError) and unreachable:
            return StorageError(
                f"cannot reach the database {self.safe_url} ({reason}); check the network or the "
                "settings (ehdesk config show), then try again — what you typed is kept"
            )
        return StorageError(f"the database refused the request ({reason}); nothing was saved")

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (creates it on an empty database).

        Usually one query finds it current and Alembic is never imported. Otherwise, on PostgreSQL,
        the upgrade waits for the advisory lock and looks again, so of several instances starting at
        once exactly one migrates.
        """
        try:
            if stored_revision(self.read_engine) == head_revision():
                return
            if self.dialect == "postgresql":
                self._upgrade_under_lock()
            else:
                self._run_migrations()
        except OperationalError as exc:
            raise ConfigError(f"cannot open the database {self.safe_url}: {exc.orig}") from exc

    def _upgrade_under_lock(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()  # the session-level lock outlives this transaction
            try:
                if stored_revision(self.engine) != head_revision():
                    self._run_migrations()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()

    def _run_migrations(self) -> None:
        from ehdesk.storage.migrate import upgrade  # Alembic: imported only when there is work to do

        upgrade(self.engine)

    @property
    def safe_url(self) -> str:
        return self.describe_url(self.url)

    @staticmethod
    def describe_url(url: str) -> str:
        """The URL with any password masked, fit to print or show on screen."""
        try:
            return make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            return url

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def open_database(url: str) -> Database:
    """Open and upgrade: what every entry point does before it touches records."""
    db = Database(url)
    db.upgrade()
    return db
