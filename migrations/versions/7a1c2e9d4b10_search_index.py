"""OT text-search index: FTS5 trigram table + triggers on SQLite, pg_trgm GIN index on PostgreSQL

Revision ID: 7a1c2e9d4b10
Revises: 164ee0e25bf5
Create Date: 2026-11-27 06:30:00

"""

from alembic import op

from ot_app.search import create_search_index, drop_search_index

revision = "7a1c2e9d4b10"
down_revision = "164ee0e25bf5"
branch_labels = None
depends_on = None


def upgrade():
    create_search_index(op.get_bind())


def downgrade():
    drop_search_index(op.get_bind())
