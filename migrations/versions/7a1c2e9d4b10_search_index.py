"""OT text-search index: FTS5 trigram table + triggers on SQLite, pg_trgm GIN index on PostgreSQL

Revision ID: 7a1c2e9d4b10
Revises: 164ee0e25bf5
Create Date: 2026-11-27 06:30:00

"""

from alembic import op

from ot_app.search import RAW_TEXT, drop_search_index, pg_expression_ddl, sqlite_ddl

revision = "7a1c2e9d4b10"
down_revision = "164ee0e25bf5"
branch_labels = None
depends_on = None


def upgrade():
    # What it built then: the (later folded) text on SQLite, its lower() as an index on PostgreSQL.
    bind = op.get_bind()
    statements = sqlite_ddl() if bind.dialect.name == "sqlite" else pg_expression_ddl(f"lower({RAW_TEXT})")
    for statement in statements:
        bind.exec_driver_sql(statement)


def downgrade():
    drop_search_index(op.get_bind())
