"""ote.vigente: the chain's current version, as an indexed column (issue 12)

The list shows one row per chain by default; a correlated NOT EXISTS per row made its count five
times slower at 100,000 OTs. The flag is kept by the OT commands; here it is computed once.

Revision ID: c5e2a8d71f04
Revises: b7d41f0c9a23
Create Date: 2026-12-01 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e2a8d71f04'
down_revision = 'b7d41f0c9a23'
branch_labels = None
depends_on = None

# A live row with no later live member in its chain is current; a deleted row never is.
BACKFILL = """
UPDATE ote SET vigente = CASE
  WHEN estatus = 0 THEN false
  WHEN EXISTS (
    SELECT 1 FROM ote AS later
    WHERE later.ot_principal = COALESCE(ote.ot_principal, ote.id)
      AND later.estatus <> 0
      AND COALESCE(later.num_reprogramacion, 0) > COALESCE(ote.num_reprogramacion, 0)
  ) THEN false
  ELSE true
END
"""


def upgrade():
    # Plain ALTER TABLE on both databases: a batch (move-and-copy) on SQLite would drop the search
    # index's triggers on ote (tests/test_migrations.py checks they survive).
    op.add_column('ote', sa.Column('vigente', sa.Boolean(), server_default=sa.text('true'), nullable=False))
    op.create_index('ix_ote_vigente_estatus_id', 'ote', ['vigente', 'estatus', 'id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    op.drop_index('ix_ote_vigente_estatus_id', table_name='ote')
    with op.batch_alter_table('ote', schema=None) as batch_op:
        batch_op.drop_column('vigente')
