"""daemons: a heartbeat row per running daemon (host, pid, role, started, last beat).

`status` reads them instead of the pid the daemon that polled left in the state table
(`daemon:pid`, checked on the local machine only); that key is removed.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daemons',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('host', sa.String(length=255), nullable=False),
                    sa.Column('pid', sa.Integer(), nullable=False),
                    sa.Column('role', sa.String(length=16), nullable=False),
                    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sqlite_autoincrement=True)
    state = sa.table('state', sa.column('key', sa.String))
    op.get_bind().execute(state.delete().where(state.c.key == 'daemon:pid'))
