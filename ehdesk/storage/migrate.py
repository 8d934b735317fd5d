"""Alembic, driven from code: no alembic.ini to find, works the same from a bundle."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")

# Made by hand-written SQL in revision 0002 (search indexes the models cannot declare portably):
# autogenerate must neither drop them nor report them as differences.
UNMODELLED_INDEXES = frozenset({"ix_families_search_trgm"})
UNMODELLED_TABLE_PREFIX = "family_search"


def include_name(name: str | None, type_: NameFilterType, _parent_names: NameFilterParentNames) -> bool:
    """Alembic's filter: leave the search index objects of revision 0002 alone."""
    if type_ == "table" and name is not None and name.startswith(UNMODELLED_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)
