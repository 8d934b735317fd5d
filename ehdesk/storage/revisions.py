"""Is the schema current? One query and a glance at the migration files, without importing Alembic.

Every start opens the database, and nearly always it is already current. Asking Alembic costs its
import (about 130 ms, issue 18); the answer needs only the revision stored in ``alembic_version`` and
the newest revision among the files in ``migrations/versions``. Those files declare ``revision`` and
``down_revision`` as plain string assignments, read here with a regular expression; a test checks the
result against Alembic's own idea of the head, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r'^revision\s*=\s*["\'](\w+)["\']', re.MULTILINE)
_DOWN = re.compile(r'^down_revision\s*=\s*(?:None|["\'](\w+)["\'])', re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest revision: the one no other migration names as its ``down_revision``."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None and down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must form one chain; heads found: {sorted(heads)}")
    return heads.pop()


def stored_revision(engine: Engine) -> str | None:
    """The revision the database says it is at; ``None`` for an empty (or pre-Alembic) database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        if _is_missing_table(exc):
            return None
        raise


def _is_missing_table(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code == "42P01" or "no such table" in str(exc.orig)


def is_current(engine: Engine) -> bool:
    return stored_revision(engine) == head_revision()
