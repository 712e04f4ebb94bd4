"""publications: change signals

The record's change signals (item-URL expression, dcterms:modified, hasVersion, the
datumTijdstipWijziging stamps, gzd:timestamp) as JSON. Rows already there get ``{}``: the
pipeline then compares them by their modification stamp once and stores their signals.

Revision ID: 0002
Revises: 0001
Created: 2026-12-01 14:34:49.919897
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signals', sa.Text(), nullable=False, server_default='{}'))
