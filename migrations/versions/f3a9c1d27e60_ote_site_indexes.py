"""ote site indexes: the list search finds an OT by its vessel, platform or yard name

Revision ID: f3a9c1d27e60
Revises: 7ac4b2d424b2
Create Date: 2026-12-01 16:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3a9c1d27e60'
down_revision = '7ac4b2d424b2'
branch_labels = None
depends_on = None


def upgrade():
    # Each word of a search may name a site: `id_x IN (ids whose name matches)` needs these.
    with op.batch_alter_table('ote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ote_id_embarcacion'), ['id_embarcacion'], unique=False)
        batch_op.create_index(batch_op.f('ix_ote_id_plataforma'), ['id_plataforma'], unique=False)
        batch_op.create_index(batch_op.f('ix_ote_id_patio'), ['id_patio'], unique=False)


def downgrade():
    with op.batch_alter_table('ote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ote_id_patio'))
        batch_op.drop_index(batch_op.f('ix_ote_id_plataforma'))
        batch_op.drop_index(batch_op.f('ix_ote_id_embarcacion'))
