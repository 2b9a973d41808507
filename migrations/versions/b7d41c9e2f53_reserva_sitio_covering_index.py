"""The bookings' site index covers the sweep (issue 14): (tipo_sitio, id_sitio, desde, id_ot) then
hasta and the actual dates, so the portfolio's read is one scan of the index in the sweep's order,
with no lookup into the table and no sort for the id_ot tie-break.

Revision ID: b7d41c9e2f53
Revises: a9f3c6e1d2b8
Create Date: 2026-12-02 02:00:00

"""

from alembic import op

revision = "b7d41c9e2f53"
down_revision = "a9f3c6e1d2b8"
branch_labels = None
depends_on = None

COVERING = ["tipo_sitio", "id_sitio", "desde", "id_ot", "hasta", "real_desde", "real_hasta"]


def upgrade():
    with op.batch_alter_table("reserva_sitio", schema=None) as batch_op:
        batch_op.drop_index("ix_reserva_sitio_sitio_desde")
        batch_op.create_index("ix_reserva_sitio_sitio_desde", COVERING, unique=False)


def downgrade():
    with op.batch_alter_table("reserva_sitio", schema=None) as batch_op:
        batch_op.drop_index("ix_reserva_sitio_sitio_desde")
        batch_op.create_index(
            "ix_reserva_sitio_sitio_desde", ["tipo_sitio", "id_sitio", "desde"], unique=False
        )
