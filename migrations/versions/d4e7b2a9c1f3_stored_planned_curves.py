"""Stored planned curves, and a typed weight per currency (issue 19).

Stored planned curves: per OT version and currency its weight in an aggregate
(curva_entrada) and its planned amount per week and per month (curva_incremento), and which cut-off
weekday they were computed for (curva_ot). Nothing is copied here: a version without a curva_ot row
is computed on the first aggregate read (curve_store.ensure_fresh), the same path that recomputes the
weeks when CORTE_DIA_SEMANA changes; `flask curvas` does it ahead of time.

programa_actividad.peso_editado becomes peso_editado_mxn and peso_editado_usd (an MXN weight typed
no longer fixes the USD one): a row typed before keeps both as it had them.

Revision ID: d4e7b2a9c1f3
Revises: b7d41c9e2f53
Create Date: 2026-12-02 02:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4e7b2a9c1f3"
down_revision = "b7d41c9e2f53"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "curva_ot",
        sa.Column("id_ot", sa.Integer(), nullable=False),
        sa.Column("dia_semana", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["id_ot"], ["ote.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_ot"),
    )
    op.create_table(
        "curva_entrada",
        sa.Column("id_ot", sa.Integer(), nullable=False),
        sa.Column("moneda", sa.String(length=3), nullable=False),
        sa.Column("monto", sa.BigInteger(), nullable=False),
        sa.Column("de_programa", sa.Boolean(), nullable=False),
        sa.Column("primero", sa.Date(), nullable=True),
        sa.Column("ultimo", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["id_ot"], ["ote.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_ot", "moneda"),
    )
    op.create_table(
        "curva_incremento",
        sa.Column("moneda", sa.String(length=3), nullable=False),
        sa.Column("periodo", sa.String(length=6), nullable=False),
        sa.Column("id_ot", sa.Integer(), nullable=False),
        sa.Column("fin", sa.Date(), nullable=False),
        sa.Column("importe", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["id_ot"], ["ote.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("moneda", "periodo", "id_ot", "fin"),
    )
    op.create_index("ix_curva_incremento_id_ot", "curva_incremento", ["id_ot"])
    with op.batch_alter_table("programa_actividad") as batch:
        batch.add_column(
            sa.Column("peso_editado_mxn", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("peso_editado_usd", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE programa_actividad SET peso_editado_mxn = peso_editado, peso_editado_usd = peso_editado"
    )
    with op.batch_alter_table("programa_actividad") as batch:
        batch.drop_column("peso_editado")


def downgrade():
    with op.batch_alter_table("programa_actividad") as batch:
        batch.add_column(sa.Column("peso_editado", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE programa_actividad SET peso_editado = peso_editado_mxn OR peso_editado_usd")
    with op.batch_alter_table("programa_actividad") as batch:
        batch.drop_column("peso_editado_usd")
        batch.drop_column("peso_editado_mxn")
    op.drop_index("ix_curva_incremento_id_ot", table_name="curva_incremento")
    op.drop_table("curva_incremento")
    op.drop_table("curva_entrada")
    op.drop_table("curva_ot")
