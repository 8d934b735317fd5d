"""Alembic environment: the engine comes from ``config.attributes`` (see ehdesk.storage.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from ehdesk.storage.migrate import include_name
from ehdesk.storage.models import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
    )
    context.run_migrations()
