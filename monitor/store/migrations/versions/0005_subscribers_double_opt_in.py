"""subscribers: double opt-in (confirmation token, expiry, per-day count, settings waiting for it),
pause, forgetting, and the hash a link token is found by.

The subscribers already there came through the operator: they count as confirmed (on the day they
were added), and their tokens, in every mail already sent, are found by their new hash.

Revision ID: 0005
Revises: 0004
Created: 2026-12-01 14:38:36.218466
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pending_settings', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('confirm_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirm_day', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('confirm_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_subscribers_confirm_sha256'), ['confirm_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscribers_token_sha256'), ['token_sha256'], unique=False)

    subscribers = sa.table('subscribers', sa.column('id', sa.Integer), sa.column('token', sa.String),
                           sa.column('token_sha256', sa.String), sa.column('created_at', sa.DateTime(timezone=True)),
                           sa.column('confirmed_at', sa.DateTime(timezone=True)))
    conn = op.get_bind()
    conn.execute(subscribers.update().values(confirmed_at=subscribers.c.created_at))
    for row in conn.execute(sa.select(subscribers.c.id, subscribers.c.token)).all():
        conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(
            token_sha256=hashlib.sha256(row.token.encode('utf-8', 'surrogatepass')).hexdigest()))
