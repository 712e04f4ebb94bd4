"""The database schema, in one place. SQLAlchemy Core, so SQLite and PostgreSQL both work.

Identity rules (lessons from the field): a publication is its identifier; each content
change is a new row in ``versions`` (the old one stays); an event is unique by ``key``;
an alert is unique per (subscriber, event), so re-running a cycle never doubles one.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# The migration head (monitor/store/migrations) these tables are: a database stamped with it opens
# without loading Alembic. tests/test_store_migrations.py keeps the two equal.
REVISION = "0006"

publications = Table(
    "publications",
    metadata,
    Column("identifier", String(64), primary_key=True),  # kst-28676-474
    Column("dossier", String(32), nullable=False, index=True),
    Column("dossiers", String(128), nullable=False, default=""),  # ";"-joined, all dossiers of the stuk
    Column("number", String(32)),
    Column("title", Text, nullable=False, default=""),
    Column("document_type", String(64)),
    Column("date", Date),
    Column("available", Date),
    Column("modified", String(64)),
    Column("signals", Text, nullable=False, default="{}"),  # JSON: the record's change signals, as last stored
    Column("preferred_url", Text),
    Column("urls", Text, nullable=False, default="{}"),  # JSON manifestation -> URL
    Column("series", String(32), nullable=False, default="other", index=True),
    Column("series_reason", Text),  # which rule classified it, for `snapshots show`
    Column("meeting_date", Date),  # first meeting day, for agendas and reports
    Column("previous_in_series", String(64)),  # identifier of the previous agenda in its series
    Column("reissue_of", String(64)),  # the original of a herdruk (-n1)
    # "koop": officielebekendmakingen.nl, the system of record; "tk": the Tweede Kamer's open
    # data (identifier tk-<DocumentNummer>), an early copy that never joins a series chain
    # (defaults on the server only: a statement written for an older revision leaves them out)
    Column("source", String(8), nullable=False, server_default="koop"),
    Column("kamerstuk", String(64)),  # tk rows: the Kamerstuk it is (to be) published as
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identifier", String(64), ForeignKey("publications.identifier"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("modified", String(64)),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("content_sha256", String(64), nullable=False),  # hash of the primary (text) manifestation
    Column("published_as", String(64)),  # the identifier it came under: the -n1 id for a herdruk
    UniqueConstraint("identifier", "version"),
)

manifestations = Table(
    "manifestations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("manifestation", String(16), nullable=False),  # xml | html | pdf | metadata | txt
    Column("url", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("media_type", String(128)),
    Column("etag", String(256)),
    Column("last_modified", String(64)),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("version_id", "manifestation"),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("dossier", String(32)),  # None: every watched dossier
    Column("series", String(32), nullable=False, default="all"),
    Column("topics", Text, nullable=False, default="[]"),  # JSON list; empty: every topic
    Column("min_severity", Integer, nullable=False, default=0),
    Column("digest", String(16)),  # None: immediately; "daily"
    Column("language", String(2)),  # None: [mail] language
    Column("token", String(64), nullable=False),  # for unsubscribe and manage links
    # found by the hash of the token, so no database comparison runs on the secret itself
    Column("token_sha256", String(64), index=True),
    # False: removed, paused, not confirmed yet, or only the operator's address; the row stays so
    # its alert history does
    Column("active", Boolean, nullable=False, default=True),
    # True: also an early alert from the Tweede Kamer's open data, before the official publication
    Column("early", Boolean, nullable=False, server_default=false()),  # the server's default, as for source
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("confirmed_at", DateTime(timezone=True)),  # None: the address never confirmed (double opt-in)
    Column("paused_at", DateTime(timezone=True)),
    Column("forgotten_at", DateTime(timezone=True)),  # the address and tokens were erased
    # a sign-up waiting for its confirmation link: the settings asked for, the hash of the link's
    # token and its expiry; the settings apply only once the link is opened
    Column("pending_settings", Text),
    Column("confirm_sha256", String(64), index=True),
    Column("confirm_expires_at", DateTime(timezone=True)),
    # confirmation mails sent on confirm_day (the per-address limit)
    Column("confirm_day", String(10)),
    Column("confirm_count", Integer, nullable=False, server_default="0"),  # the server's default, as for early
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(256), nullable=False, unique=True),  # new:kst-28676-474@1, compare:…, correction:…@2
    Column("kind", String(32), nullable=False),  # new-letter | comparison | correction | operator
    Column("dossier", String(32), nullable=False),
    Column("identifier", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("old_identifier", String(64)),  # comparison: the previous agenda; correction: same id
    Column("old_version", Integer),
    Column("series", String(32), nullable=False, default="other"),
    Column("severity", Integer, nullable=False, default=0),  # highest change severity (comparison)
    Column("topics", Text, nullable=False, default="[]"),  # JSON list of topics touched
    Column("summary", Text, nullable=False, default="{}"),  # JSON: counts for subjects and filters
    Column("created_at", DateTime(timezone=True), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    # pending|sent|failed|digested|cancelled (unsubscribed, or covered by a comparison alert)
    Column("status", String(16), nullable=False, default="pending", index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("error", Text),
    Column("message_id", String(256), nullable=False),
    Column("digest_key", String(64)),  # set when delivered inside a daily digest
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("subscriber_id", "event_id"),
)

polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("ok", Boolean),
    Column("seen", Integer, nullable=False, default=0),
    Column("stored", Integer, nullable=False, default=0),
    Column("error", Text),
)

state = Table(
    "state",
    metadata,
    Column("key", String(128), primary_key=True),  # watermark:28676, backfill:28676, operator:failing
    Column("value", Text, nullable=False),
)

daemons = Table(
    "daemons",
    metadata,
    # one row per running `dossier-monitor run`, refreshed at every tick (see monitor.store.heartbeats)
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("role", String(16), nullable=False),  # poller | standby
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("beat_at", DateTime(timezone=True), nullable=False),  # by the database's clock
    # ids never come back: a daemon that stalled past "gone" finds its id gone, not another's row
    sqlite_autoincrement=True,
)
