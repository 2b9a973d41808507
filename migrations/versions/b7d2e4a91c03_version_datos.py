"""The data version: one counter row that every writing transaction bumps (data_version.py).

Revision ID: b7d2e4a91c03
Revises: 69d728b205ea
Create Date: 2026-12-01 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e4a91c03"
down_revision = "69d728b205ea"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "version_datos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "n": 0}])


def downgrade():
    op.drop_table("version_datos")
