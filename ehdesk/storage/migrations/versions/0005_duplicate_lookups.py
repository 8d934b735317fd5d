"""Indexed look-ups for the duplicate check (folded names, NHS number).

The duplicate check finds its candidates by separate indexed look-ups (birth date, expected delivery,
postcode, NHS number, folded names) rather than one OR across people and families, which scanned both
tables. This adds the folded keys it looks up (``ehdesk.storage.lookup_keys``), fills them for the rows
already stored, and indexes them with the two dates and NHS number.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ehdesk.storage.lookup_keys import aka_key, name_key, postcode_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _backfill() -> None:
    connection = op.get_bind()
    people = sa.table(
        "people",
        sa.column("id", sa.Integer),
        sa.column("given_name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("data", sa.JSON),
        sa.column("name_key", sa.String),
        sa.column("aka_key", sa.String),
    )
    families = sa.table(
        "families", sa.column("id", sa.Integer), sa.column("postcode", sa.String), sa.column("postcode_key")
    )
    rows = connection.execute(
        sa.select(people.c.id, people.c.given_name, people.c.family_name, people.c.data)
    )
    person_keys = []
    for id_, given, family, data in rows:
        aka = (data or {}).get("also_known_as") if isinstance(data, dict) else None
        person_keys.append(
            {
                "pid": id_,
                "nk": name_key(given or "", family or ""),
                "ak": aka_key(aka, family or "") if isinstance(aka, str) else "",
            }
        )
    if person_keys:
        connection.execute(
            people.update()
            .where(people.c.id == sa.bindparam("pid"))
            .values(name_key=sa.bindparam("nk"), aka_key=sa.bindparam("ak")),
            person_keys,
        )
    family_keys = [
        {"fid": id_, "pk": postcode_key(code or "")[:12]}
        for id_, code in connection.execute(sa.select(families.c.id, families.c.postcode))
    ]
    if family_keys:
        connection.execute(
            families.update()
            .where(families.c.id == sa.bindparam("fid"))
            .values(postcode_key=sa.bindparam("pk")),
            family_keys,
        )


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("name_key", sa.String(400), nullable=False, server_default=""))
        batch.add_column(sa.Column("aka_key", sa.String(400), nullable=False, server_default=""))
    with op.batch_alter_table("families") as batch:
        batch.add_column(sa.Column("postcode_key", sa.String(12), nullable=False, server_default=""))
    _backfill()
    op.create_index("ix_people_name_key", "people", ["name_key"])
    # partial: most people have neither, and the look-ups only ever ask for a value
    for name, column in (("ix_people_aka_key", "aka_key"), ("ix_people_nhs_number", "nhs_number")):
        blank = sa.text(f"{column} != ''")
        op.create_index(name, "people", [column], sqlite_where=blank, postgresql_where=blank)
    op.create_index("ix_people_expected_delivery", "people", ["expected_delivery"])
    op.create_index("ix_families_postcode_key", "families", ["postcode_key"])


def downgrade() -> None:
    op.drop_index("ix_families_postcode_key", "families")
    op.drop_index("ix_people_nhs_number", "people")
    op.drop_index("ix_people_expected_delivery", "people")
    op.drop_index("ix_people_aka_key", "people")
    op.drop_index("ix_people_name_key", "people")
    with op.batch_alter_table("families") as batch:
        batch.drop_column("postcode_key")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("aka_key")
        batch.drop_column("name_key")
