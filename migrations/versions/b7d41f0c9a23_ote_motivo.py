"""ote.motivo: why a reprogrammed version was made (issue 12)

Revision ID: b7d41f0c9a23
Revises: e36a96454ff5
Create Date: 2026-12-01 10:35:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41f0c9a23'
down_revision = 'e36a96454ff5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('motivo', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('ote', schema=None) as batch_op:
        batch_op.drop_column('motivo')
