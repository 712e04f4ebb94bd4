"""Early warning from the Tweede Kamer: publications.source and .kamerstuk, subscribers.early.

Existing rows are official publications (source 'koop') and subscribers without early alerts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # new columns with a default: SQLite adds them in place (no table copy, which the foreign
    # keys pointing at both tables would refuse)
    op.add_column('publications', sa.Column('source', sa.String(length=8), server_default='koop', nullable=False))
    op.add_column('publications', sa.Column('kamerstuk', sa.String(length=64), nullable=True))
    op.add_column('subscribers', sa.Column('early', sa.Boolean(), server_default=sa.false(), nullable=False))
