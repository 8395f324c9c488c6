"""Excel exchange: the workbooks exported or received (by the id in their hidden sheet), the rows
already applied so that importing a file twice changes nothing, and the conflicts of a three-way
merge kept with both values until a person resolves them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 11:41:41.880616
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import r2pdesk.orm

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exchange_export',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('focal_point', 'full', name='exportkind', native_enum=False, length=32), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=64), nullable=False),
    sa.Column('imported_at', r2pdesk.orm.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_exchange_export_institution_id_institution'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_export'))
    )
    op.create_table('exchange_conflict',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('export_id', sa.Uuid(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('base', sa.Text(), nullable=False),
    sa.Column('ours', sa.Text(), nullable=False),
    sa.Column('theirs', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=False),
    sa.Column('sheet', sa.String(length=64), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'resolved', name='conflictstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_at', r2pdesk.orm.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['exchange_export.id'], name=op.f('fk_exchange_conflict_export_id_exchange_export'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_conflict'))
    )
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_conflict_export_id'), ['export_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_conflict_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_conflict_status'), ['status'], unique=False)
    op.create_table('exchange_row',
    sa.Column('export_id', sa.Uuid(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('sheet', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('applied_at', r2pdesk.orm.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['exchange_export.id'], name=op.f('fk_exchange_row_export_id_exchange_export'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('export_id', 'digest', name=op.f('pk_exchange_row'))
    )


def downgrade() -> None:
    op.drop_table('exchange_row')
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_status'))
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_record_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_export_id'))
    op.drop_table('exchange_conflict')
    op.drop_table('exchange_export')
