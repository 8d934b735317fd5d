"""Family search index: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL.

Both make ``search_text LIKE '%term%'`` use an index, so the family list's search-while-typing stays
fast at 100,000 families. On SQLite the FTS table mirrors ``families.search_text`` through triggers.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE family_search USING fts5("
            "search_text, content='families', content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER families_search_ai AFTER INSERT ON families BEGIN "
            "INSERT INTO family_search(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER families_search_ad AFTER DELETE ON families BEGIN "
            "INSERT INTO family_search(family_search, rowid, search_text) "
            "VALUES ('delete', old.id, old.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER families_search_au AFTER UPDATE OF search_text ON families BEGIN "
            "INSERT INTO family_search(family_search, rowid, search_text) "
            "VALUES ('delete', old.id, old.search_text); "
            "INSERT INTO family_search(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
        op.execute("INSERT INTO family_search(family_search) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_families_search_trgm ON families USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("families_search_ai", "families_search_ad", "families_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS family_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_families_search_trgm")
