"""Revision 0003: a database from before addresses were folded to lower case, holding the same
address twice in different capitals, ends with one subscriber per address and loses nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3

from alembic import command
from sqlalchemy import create_engine, insert

from monitor.config import Config, StorageConfig
from monitor.store import Store, migrate, outbox
from monitor.store.schema import alerts, events, subscribers

AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def subscriber(id_: int, email: str, active: bool = True) -> dict:
    return {"id": id_, "email": email, "active": active, "series": "all", "topics": "[]", "min_severity": 0,
            "token": f"t{id_}", "created_at": AT}


def alert(id_: int, subscriber_id: int, event_id: int, status: str) -> dict:
    return {"id": id_, "subscriber_id": subscriber_id, "event_id": event_id, "status": status, "attempts": 0,
            "message_id": f"<m{id_}@x>", "created_at": AT}


def test_addresses_twice_in_other_capitals_become_one_subscriber_and_keep_their_history(tmp_path):
    database = tmp_path / "monitor.sqlite"
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0002")
        conn.execute(insert(subscribers), [
            subscriber(1, "ok2@example.org"), subscriber(2, "OK2@EXAMPLE.ORG"),
            subscriber(3, "Anna@Example.org", active=False), subscriber(4, "anna@example.org"),
            subscriber(5, "Cato@Example.org"),
        ])
        conn.execute(insert(events), [{"id": n, "key": f"new:kst-28676-{n}@1", "kind": "new-letter",
                                       "dossier": "28676", "identifier": f"kst-28676-{n}", "version": 1,
                                       "series": "other", "severity": 0, "topics": "[]", "summary": "{}",
                                       "created_at": AT} for n in (1, 2)])
        conn.execute(insert(alerts), [alert(1, 1, 1, "sent"), alert(2, 2, 1, "sent"),
                                      alert(3, 1, 2, "pending"), alert(4, 2, 2, "pending")])
    engine.dispose()

    with Store.open(Config(storage=StorageConfig(data_dir=str(tmp_path))), upgrade=True) as store, \
            store.transaction() as conn:
        assert migrate.revision_of(store.engine) == migrate.head()
        assert [(s.id, s.email) for s in outbox.list_subscribers(conn)] == \
            [(1, "ok2@example.org"), (4, "anna@example.org"), (5, "cato@example.org")]
        assert outbox.find_subscriber(conn, "OK2@Example.org").id == 1
        history = {a.id: (a.subscriber, a.status, a.error) for a in outbox.list_alerts(conn)}
    assert history == {
        1: ("ok2@example.org", "sent", None),
        2: ("OK2@EXAMPLE.ORG", "sent", None),  # what went out stays recorded
        3: ("ok2@example.org", "pending", None),
        4: ("OK2@EXAMPLE.ORG", "cancelled", "duplicate of subscriber 1 (ok2@example.org)"),
    }
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT id, email, active FROM subscribers ORDER BY id").fetchall() == [
            (1, "ok2@example.org", 1), (2, "OK2@EXAMPLE.ORG", 0), (3, "Anna@Example.org", 0),
            (4, "anna@example.org", 1), (5, "cato@example.org", 1)]
