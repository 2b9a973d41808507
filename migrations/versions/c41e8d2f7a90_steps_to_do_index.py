"""An index of the steps still to do and their OTs (the Tablero, the list's pasos_pendientes).

Revision ID: c41e8d2f7a90
Revises: b289620d5638
Create Date: 2026-12-01 20:45:00
"""

from alembic import op

revision = "c41e8d2f7a90"
down_revision = "b289620d5638"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_ot_detalle_estatus_ot", "ot_detalle", ["estatus_paso", "id_ot"], unique=False)


def downgrade():
    op.drop_index("ix_ot_detalle_estatus_ot", table_name="ot_detalle")
