"""Search text folded (accents, case, punctuation) for search as admins type; a worker's list indexed.

Every family's ``search_text`` is rebuilt with :func:`ehdesk.services.families.compose_search_text`, which
folds names ("Siân" → "sian", "O'Neill" → "oneill"), adds also-known-as names and the run-together form of
multi-part names. On SQLite the FTS5 trigram table follows through its update trigger (migration 0002);
on PostgreSQL the pg_trgm index follows the column. ``families.worker_id`` gains an index, so a family
worker's own list (search is scoped to their allocated families, issue 14) is found without a scan.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 2000

families = sa.table(
    "families",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("postcode", sa.String),
    sa.column("search_text", sa.Text),
)
people = sa.table(
    "people",
    sa.column("id", sa.Integer),
    sa.column("family_id", sa.Integer),
    sa.column("given_name", sa.String),
    sa.column("family_name", sa.String),
    sa.column("birth_date", sa.Date),
    sa.column("expected_delivery", sa.Date),
    sa.column("data", sa.JSON),
)


def upgrade() -> None:
    op.create_index("ix_families_worker_id", "families", ["worker_id"])
    _refold()


def _refold() -> None:
    """Rewrite search_text in batches of families, reading each batch's people with one query."""
    from ehdesk.services.families import SearchablePerson, also_known_as, compose_search_text

    bind = op.get_bind()
    last = 0
    while True:
        batch = bind.execute(
            sa.select(families.c.id, families.c.reference, families.c.postcode)
            .where(families.c.id > last)
            .order_by(families.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        ids = [row.id for row in batch]
        members: dict[int, list[SearchablePerson]] = defaultdict(list)
        for p in bind.execute(sa.select(people).where(people.c.family_id.in_(ids)).order_by(people.c.id)):
            members[p.family_id].append(
                SearchablePerson(
                    p.given_name or "",
                    p.family_name or "",
                    also_known_as(p.data if isinstance(p.data, dict) else None),
                    p.birth_date,
                    p.expected_delivery,
                )
            )
        bind.execute(
            families.update().where(families.c.id == sa.bindparam("family_id")),
            [
                {
                    "family_id": row.id,
                    "search_text": compose_search_text(row.reference, row.postcode or "", members[row.id]),
                }
                for row in batch
            ],
        )
        last = ids[-1]


def downgrade() -> None:
    """The folded text stays (the earlier search reads it as well); only the index goes."""
    op.drop_index("ix_families_worker_id", table_name="families")
