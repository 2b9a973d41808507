"""The data version: one counter row that every writing transaction bumps (data_version.py); the
concept catalog's revisions (one row per confirmed import, its file kept).

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
    op.create_table(
        "concepto_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("fecha", sa.DateTime(), nullable=False),
        sa.Column("id_usuario", sa.Integer(), nullable=True),
        sa.Column("usuario", sa.String(length=80), nullable=False),
        sa.Column("archivo_nombre", sa.String(length=255), nullable=False),
        sa.Column("archivo_tamano", sa.Integer(), nullable=False),
        sa.Column("archivo_sha256", sa.String(length=64), nullable=False),
        sa.Column("archivo_tipo", sa.String(length=10), nullable=False),
        sa.Column("archivo_ruta", sa.String(length=200), nullable=False),
        sa.Column("formato", sa.String(length=10), nullable=False),
        sa.Column("renglones", sa.Integer(), nullable=False),
        sa.Column("nuevos", sa.Integer(), nullable=False),
        sa.Column("cambiados", sa.Integer(), nullable=False),
        sa.Column("desactivados", sa.Integer(), nullable=False),
        sa.Column("sin_cambio", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["id_usuario"], ["usuario.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("n"),
    )


def downgrade():
    op.drop_table("concepto_revision")
    op.drop_table("version_datos")
