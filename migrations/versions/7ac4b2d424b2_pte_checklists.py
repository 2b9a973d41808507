"""PTE checklists: step templates, rules, steps; step dates and deliverable (link or uploaded file)

Revision ID: 7ac4b2d424b2
Revises: 09dce5849cfe
Create Date: 2026-12-01 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7ac4b2d424b2'
down_revision = '09dce5849cfe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paso_pte',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('descripcion', sa.String(length=300), nullable=False),
    sa.Column('tipo', sa.Integer(), nullable=False),
    sa.Column('orden', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('peso', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('id_padre', sa.Integer(), nullable=True),
    sa.Column('activo', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.ForeignKeyConstraint(['id_padre'], ['paso_pte.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('paso_pte', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paso_pte_id_padre'), ['id_padre'], unique=False)
        batch_op.create_index(batch_op.f('ix_paso_pte_tipo'), ['tipo'], unique=False)

    op.create_table('regla_paso_pte',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_cliente', sa.Integer(), nullable=True),
    sa.Column('tipo_paso', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id_cliente'], ['cliente.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('id_cliente', name='uq_regla_paso_pte_cliente')
    )
    op.create_table('pte_detalle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_pte', sa.Integer(), nullable=False),
    sa.Column('id_paso', sa.Integer(), nullable=False),
    sa.Column('estatus_paso', sa.Integer(), nullable=False),
    sa.Column('comentario', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('fecha_inicio', sa.Date(), nullable=True),
    sa.Column('fecha_termino', sa.Date(), nullable=True),
    sa.Column('fecha_entrega', sa.Date(), nullable=True),
    sa.Column('entrega_auto', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('entregable_url', sa.String(length=500), nullable=True),
    sa.Column('archivo_nombre', sa.String(length=255), nullable=True),
    sa.Column('archivo_tamano', sa.Integer(), nullable=True),
    sa.Column('archivo_sha256', sa.String(length=64), nullable=True),
    sa.Column('archivo_tipo', sa.String(length=10), nullable=True),
    sa.Column('archivo_ruta', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['estatus_paso'], ['estatus_paso.id'], ),
    sa.ForeignKeyConstraint(['id_paso'], ['paso_pte.id'], ),
    sa.ForeignKeyConstraint(['id_pte'], ['pte_header.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['usuario.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pte_detalle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pte_detalle_id_pte'), ['id_pte'], unique=False)

    # Plain ALTER TABLE ... ADD COLUMN with constant defaults, not batch mode: on SQLite, batch
    # mode rebuilds a table (copy, DROP, rename) for a server default written as SQL text, and
    # dropping paso_ot, which ot_detalle references, failed with "FOREIGN KEY constraint failed" on
    # every database that had steps (an empty one, as in the tests, upgraded fine).
    op.add_column('ot_detalle', sa.Column('fecha_inicio', sa.Date(), nullable=True))
    op.add_column('ot_detalle', sa.Column('fecha_termino', sa.Date(), nullable=True))
    op.add_column('ot_detalle', sa.Column('fecha_entrega', sa.Date(), nullable=True))
    op.add_column('ot_detalle', sa.Column('entrega_auto', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('ot_detalle', sa.Column('entregable_url', sa.String(length=500), nullable=True))
    op.add_column('ot_detalle', sa.Column('archivo_nombre', sa.String(length=255), nullable=True))
    op.add_column('ot_detalle', sa.Column('archivo_tamano', sa.Integer(), nullable=True))
    op.add_column('ot_detalle', sa.Column('archivo_sha256', sa.String(length=64), nullable=True))
    op.add_column('ot_detalle', sa.Column('archivo_tipo', sa.String(length=10), nullable=True))
    op.add_column('ot_detalle', sa.Column('archivo_ruta', sa.String(length=300), nullable=True))
    op.add_column('paso_ot', sa.Column('peso', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('paso_ot', schema=None) as batch_op:
        batch_op.drop_column('peso')

    with op.batch_alter_table('ot_detalle', schema=None) as batch_op:
        batch_op.drop_column('archivo_ruta')
        batch_op.drop_column('archivo_tipo')
        batch_op.drop_column('archivo_sha256')
        batch_op.drop_column('archivo_tamano')
        batch_op.drop_column('archivo_nombre')
        batch_op.drop_column('entregable_url')
        batch_op.drop_column('entrega_auto')
        batch_op.drop_column('fecha_entrega')
        batch_op.drop_column('fecha_termino')
        batch_op.drop_column('fecha_inicio')

    with op.batch_alter_table('pte_detalle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pte_detalle_id_pte'))

    op.drop_table('pte_detalle')
    op.drop_table('regla_paso_pte')
    with op.batch_alter_table('paso_pte', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paso_pte_tipo'))
        batch_op.drop_index(batch_op.f('ix_paso_pte_id_padre'))

    op.drop_table('paso_pte')
