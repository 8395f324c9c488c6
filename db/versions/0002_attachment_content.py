"""Attachment content: the bytes of evidence files kept inside the database, beside their
description, so that a save, a backup and encryption cover them too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 10:49:30.426903
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachment_content',
    sa.Column('attachment_id', sa.Uuid(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_attachment_content_attachment_id_attachment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_attachment_content'))
    )


def downgrade() -> None:
    op.drop_table('attachment_content')
