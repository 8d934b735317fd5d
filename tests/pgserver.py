"""A real PostgreSQL server for the test run: initdb into a temp folder, 127.0.0.1, a free port.

``initdb`` refuses to run as root, so when the tests run as root the server's commands run as the
``postgres`` user (``runuser``) in a folder that user owns. The server is stopped and its folder removed
when the run ends. Each test gets its own database, copied from a migrated template (fast: a file copy).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from ehdesk.storage.database import Database


def _bin_dir() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql; run `make test`")
    return candidates[-1].parent


def _locale() -> list[str]:
    """A UTF-8 character classification, as a council's server has: under the C locale pg_trgm finds no
    trigrams in Arabic or other non-Latin words, so their searches could not use the trigram index."""
    available = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    for name in ("C.UTF-8", "C.utf8", "en_GB.UTF-8", "en_GB.utf8"):
        if name in available:
            return [f"--locale={name}"]
    return ["--no-locale"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    base: Path
    port: int
    bin_dir: Path
    as_postgres: bool
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.base)

    @classmethod
    def start(cls) -> PostgresServer:
        as_postgres = os.geteuid() == 0
        base = Path(tempfile.mkdtemp(prefix="ehdesk-pg-"))
        if as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(base, user.pw_uid, user.pw_gid)
        server = cls(base=base, port=_free_port(), bin_dir=_bin_dir(), as_postgres=as_postgres)
        server._run(
            "initdb", "-D", str(server.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", *_locale()
        )
        options = (
            f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        server._run(
            "pg_ctl", "-D", str(server.data), "-l", str(base / "server.log"), "-o", options, "-w", "start"
        )
        server._make_template()
        return server

    def _admin(self, statement: str) -> None:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def _make_template(self) -> None:
        self._admin("CREATE DATABASE ehdesk_template")
        db = Database(self.url("ehdesk_template"))
        db.upgrade()
        db.dispose()

    def version(self) -> str:
        engine = create_engine(self.url())
        try:
            with engine.connect() as connection:
                return str(connection.execute(text("SHOW server_version")).scalar())
        finally:
            engine.dispose()

    def fresh_database(self) -> str:
        """A new, migrated database for one test."""
        name = f"t{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE ehdesk_template")
        return self.url(name)

    def empty_database(self) -> str:
        """A new database with no schema (for migration tests)."""
        name = f"e{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)
