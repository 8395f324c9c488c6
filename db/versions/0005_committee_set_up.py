"""Committee set-up: members sit for a constituency (government, independent expert, civil society,
national human rights institution, other), may belong to an institution and serve a term; areas,
population groups, sources and members are retired rather than deleted (records name them), and a
duplicate merged into another keeps the id it was merged into.

Existing rows: nothing retired, members' constituency "other" until the committee says.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 23:36:13.362628
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRABLE = ("area", "population_group", "source", "member")
CONSTITUENCY = sa.Enum('government', 'independent_expert', 'civil_society', 'nhri', 'other',
                       name='constituency', native_enum=False, length=32)


def upgrade() -> None:
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('retired', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
            batch_op.add_column(sa.Column('merged_into', sa.Uuid(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_retired'), ['retired'], unique=False)
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('constituency', CONSTITUENCY, nullable=False,
                                      server_default='other'))
        batch_op.add_column(sa.Column('institution_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('term_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('term_end', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_member_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_member_institution_id_institution'), 'institution',
                                    ['institution_id'], ['id'], ondelete='SET NULL')
    # The models give no server default: drop those used only to fill the rows already there.
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('retired', server_default=None)
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.alter_column('constituency', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_member_institution_id_institution'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_member_institution_id'))
        for column in ('term_end', 'term_start', 'institution_id', 'constituency'):
            batch_op.drop_column(column)
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_retired'))
            batch_op.drop_column('merged_into')
            batch_op.drop_column('retired')
