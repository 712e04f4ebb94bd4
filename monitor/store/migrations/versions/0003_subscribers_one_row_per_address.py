"""Subscribers: one row per address whatever its capitals (a data step; the schema is unchanged).

Addresses are now stored in lower case (``outbox.mailbox``), so ``OK2@EXAMPLE.ORG`` and
``ok2@example.org`` are one subscriber. A database may already hold both as two rows, and
then every mail goes out twice. For each such group one row stays the subscriber: the oldest
active one, preferring the one already spelt in lower case; it takes the lower-case spelling.
The others stay as history (their sent alerts keep pointing at them) but are switched off,
and their alerts still waiting are cancelled with the reason: nothing already stored is lost.

Revision ID: 0003
Revises: 0002
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

subscribers = sa.table("subscribers", sa.column("id", sa.Integer), sa.column("email", sa.String),
                       sa.column("active", sa.Boolean))
alerts = sa.table("alerts", sa.column("subscriber_id", sa.Integer), sa.column("status", sa.String),
                  sa.column("error", sa.Text))


def upgrade() -> None:
    conn = op.get_bind()
    groups = defaultdict(list)
    for row in conn.execute(sa.select(subscribers.c.id, subscribers.c.email, subscribers.c.active)
                            .order_by(subscribers.c.id)):
        groups[row.email.lower()].append(row)
    for folded, group in groups.items():
        keeper = min(group, key=lambda r: (not r.active, r.email != folded, r.id))
        for other in group:
            if other.id == keeper.id:
                continue
            # the lower-case spelling is the keeper's from now on: a switched-off twin spelt so is renamed
            email = other.email if other.email != folded else f"{folded}#duplicate-{other.id}"
            conn.execute(sa.update(subscribers).where(subscribers.c.id == other.id)
                         .values(active=False, email=email))
            conn.execute(sa.update(alerts).where(alerts.c.subscriber_id == other.id, alerts.c.status == "pending")
                         .values(status="cancelled", error=f"duplicate of subscriber {keeper.id} ({folded})"))
        if keeper.email != folded:
            conn.execute(sa.update(subscribers).where(subscribers.c.id == keeper.id).values(email=folded))
