"""Schema migrations: an old database is recognised, upgraded with every row intact after a
backup, and a database this code cannot work with is refused without being touched.

``tests/fixtures/databases/release-0.1.0.sqlite`` was made by release 0.1.0's own store code
(before migrations existed): three publications, four versions (one a correction), three
subscribers (one removed), three events and five alerts in every state, two polls, a watermark.

Later revisions are simulated by ``newer_code``: a copy of the real migrations plus one more
revision that rebuilds two tables the way SQLite alters them (batch mode copies every row).
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import column as sa_column
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy import table as sa_table

from monitor.config import Config, StorageConfig
from monitor.store import Store, migrate, schema
from monitor.store.schema import daemons, metadata
from tests.database import postgresql_server

OLD_DATABASE = Path(__file__).parent / "fixtures" / "databases" / "release-0.1.0.sqlite"
TABLES = ["publications", "versions", "manifestations", "subscribers", "events", "alerts", "polls", "state"]
FUTURE = "0099"


def rows(path: Path, table: str, columns: list[str] | None = None) -> list[tuple]:
    with sqlite3.connect(path) as db:
        names = columns or [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
        return db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1").fetchall()


def columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return [c[1] for c in db.execute(f"PRAGMA table_info({table})")]


def everything(path: Path) -> dict[str, list[tuple]]:
    """Every row of every release-0.1.0 table, in the release's own columns."""
    old = {t: columns(OLD_DATABASE, t) for t in TABLES}
    return {t: rows(path, t, old[t]) for t in TABLES}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(OLD_DATABASE, folder / "monitor.sqlite")
    return folder


@pytest.fixture
def config_file(tmp_path, data_dir) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f'[storage]\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    return path


@pytest.fixture
def newer_code(tmp_path, monkeypatch) -> str:
    """The migrations of a later release: the real ones plus a revision on top of their head."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder)
    (folder / "versions" / f"{FUTURE}_future.py").write_text(textwrap.dedent(f'''
        import sqlalchemy as sa
        from alembic import op

        revision = "{FUTURE}"
        down_revision = "{migrate.head()}"


        def upgrade():
            with op.batch_alter_table("alerts") as batch:
                batch.add_column(sa.Column("channel", sa.String(16), nullable=False, server_default="email"))
            with op.batch_alter_table("subscribers") as batch:
                batch.add_column(sa.Column("note", sa.Text))
        '''), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    monkeypatch.setattr(schema, "REVISION", FUTURE)
    migrate.scripts.cache_clear()
    yield FUTURE
    migrate.scripts.cache_clear()


def upgraded_by_newer_code(run, monkeypatch, tmp_path) -> None:
    """Bring ``data_dir``'s database to FUTURE, then put the real migrations back."""
    folder = tmp_path / "future-migrations"
    shutil.copytree(migrate.MIGRATIONS, folder)
    (folder / "versions" / f"{FUTURE}_future.py").write_text(
        f'revision = "{FUTURE}"\ndown_revision = "{migrate.head()}"\n\n\ndef upgrade():\n    pass\n')
    with monkeypatch.context() as m:
        m.setattr(migrate, "MIGRATIONS", folder)
        m.setattr(schema, "REVISION", FUTURE)
        migrate.scripts.cache_clear()
        assert run("db", "upgrade")[0] == 0
    migrate.scripts.cache_clear()


# --- recognising and upgrading ---------------------------------------------------------------------


def test_a_database_made_before_migrations_is_the_first_revision(run, data_dir):
    code, out, _ = run("db", "current")
    assert code == 0 and out.startswith(f"{migrate.BASELINE} (")


def test_an_empty_database_is_created_at_the_head_revision(tmp_path):
    with Store.open(Config(storage=StorageConfig(data_dir=str(tmp_path)))) as store:
        assert migrate.revision_of(store.engine) == migrate.head()


def test_the_daemons_open_upgrades_a_release_0_1_0_database_with_every_row_intact(data_dir, newer_code):
    before = everything(OLD_DATABASE)
    with Store.open(Config(storage=StorageConfig(data_dir=str(data_dir))), upgrade=True) as store:
        assert migrate.revision_of(store.engine) == newer_code
    database = data_dir / "monitor.sqlite"
    assert everything(database) == before
    assert set(rows(database, "alerts", ["channel"])) == {("email",)}
    assert sum(len(r) for r in before.values()) == 3 + 4 + 4 + 3 + 3 + 5 + 2 + 1


def test_the_backup_is_made_before_any_change(data_dir, newer_code):
    Store.open(Config(storage=StorageConfig(data_dir=str(data_dir))), upgrade=True).close()
    (backup,) = (data_dir / "backups").glob("monitor-*.sqlite")
    assert backup.name.endswith(f"-before-{newer_code}.sqlite")
    assert everything(backup) == everything(OLD_DATABASE)
    assert "channel" not in columns(backup, "alerts")
    assert rows(backup, "sqlite_master", ["name"]).count(("alembic_version",)) == 0


def test_db_upgrade_upgrades_and_says_where_the_backup_is(run, data_dir, newer_code):
    code, out, _ = run("db", "upgrade")
    assert code == 0
    assert out.startswith(f"bijgewerkt van revisie {migrate.BASELINE} naar {newer_code}; kopie van daarvoor: "
                          f"{data_dir / 'backups'}/monitor-")
    assert run("db", "current")[:2] == (0, f"{newer_code} (actueel)\n")
    assert run("db", "upgrade")[:2] == (0, "al actueel\n")


def test_other_commands_refuse_an_older_database_and_name_db_upgrade(run, data_dir, newer_code):
    untouched = digest(data_dir / "monitor.sqlite")
    code, out, err = run("status")
    assert code == 2 and out == ""
    assert err == (f"dossier-monitor: database sqlite:///{data_dir}/monitor.sqlite is at revision "
                   f"{migrate.BASELINE}, this dossier-monitor needs {newer_code}: run `dossier-monitor db upgrade`\n")
    assert digest(data_dir / "monitor.sqlite") == untouched
    assert run("db", "current")[1] == f"{migrate.BASELINE} (nodig: {newer_code}; `dossier-monitor db upgrade` werkt bij)\n"


def test_poll_refuses_an_older_database_when_auto_migrate_is_off(run, config_file, data_dir, newer_code):
    config_file.write_text(config_file.read_text() + "auto_migrate = false\n", encoding="utf-8")
    untouched = digest(data_dir / "monitor.sqlite")
    code, _, err = run("poll")
    assert code == 2
    assert err.endswith(f"needs {newer_code}: run `dossier-monitor db upgrade` ([storage] auto_migrate = false)\n")
    assert len(err.splitlines()) == 1
    assert digest(data_dir / "monitor.sqlite") == untouched
    assert not (data_dir / "backups").exists()


def test_no_upgrade_without_its_backup(run, data_dir, newer_code):
    (data_dir / "backups").write_text("a file where the backups folder should be")
    untouched = digest(data_dir / "monitor.sqlite")
    code, _, err = run("db", "upgrade")
    assert code == 2 and len(err.splitlines()) == 1
    assert f"the backup before it cannot be written to {data_dir / 'backups'}/monitor-" in err
    assert err.endswith("the database was not changed\n")
    assert digest(data_dir / "monitor.sqlite") == untouched


def test_a_database_newer_than_the_code_is_refused_and_never_written_to(run, data_dir, monkeypatch, tmp_path):
    upgraded_by_newer_code(run, monkeypatch, tmp_path)
    database = data_dir / "monitor.sqlite"
    untouched = digest(database)
    for command_ in (["status"], ["poll"], ["db", "upgrade"], ["db", "current"], ["subscribers", "list"]):
        code, out, err = run(*command_)
        assert code == 2, command_
        assert err == (f"dossier-monitor: database sqlite:///{database} is at revision {FUTURE}, newer than this "
                       f"dossier-monitor knows (up to {migrate.head()}): upgrade dossier-monitor; "
                       "the database was not changed\n"), command_
    assert digest(database) == untouched


def test_a_downgrade_is_refused(run, data_dir, newer_code):
    assert run("db", "upgrade")[0] == 0
    code, _, err = run("db", "upgrade", migrate.BASELINE)
    assert code == 2
    assert "going back to 0001 is not supported: restore a backup instead" in err
    assert run("db", "current")[1] == f"{newer_code} (actueel)\n"


def test_an_unknown_target_revision_is_refused(run):
    code, _, err = run("db", "upgrade", "nonsense")
    assert code == 2 and err.startswith("dossier-monitor: no schema revision 'nonsense' (known: 0001")


def test_only_the_newest_backups_are_kept(tmp_path):
    for n in range(8):
        (tmp_path / f"monitor-2026010{n}T000000000000Z.sqlite").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("mine")
    migrate.prune_backups(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "monitor-20260103T000000000000Z.sqlite", "monitor-20260104T000000000000Z.sqlite",
        "monitor-20260105T000000000000Z.sqlite", "monitor-20260106T000000000000Z.sqlite",
        "monitor-20260107T000000000000Z.sqlite", "notes.txt"]


# --- schema.py and the migrations say the same ----------------------------------------------------


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [d for d in compare_metadata(context, metadata)
                if not (d[0] == "remove_table" and d[1].name == "alembic_version")]


def test_schema_py_names_the_head_revision_it_is():
    """A database stamped with schema.REVISION is opened without Alembic: it must be the head."""
    assert schema.REVISION == migrate.head()


def test_a_database_at_the_head_revision_opens_without_loading_alembic(tmp_path):
    data = tmp_path / "data"
    Store.open(Config(storage=StorageConfig(data_dir=data))).close()
    script = ("import sys\nfrom monitor.config import Config, StorageConfig\nfrom monitor.store import Store\n"
              f"Store.open(Config(storage=StorageConfig(data_dir={str(data)!r}))).close()\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout == "[]\n"


def test_the_migrations_build_exactly_the_schema_of_schema_py(tmp_path, database_url):
    """Fails when schema.py changed without a revision: run scripts/new_migration.py."""
    engine = create_engine(database_url or f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
    assert schema_differences(engine) == []
    engine.dispose()


def release_0_1_0_on_postgresql(url: str) -> None:
    """A PostgreSQL database as release 0.1.0 left it: its tables (revision 0001, without the
    revision table it did not have) holding the rows of the SQLite fixture."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), migrate.BASELINE)
        conn.exec_driver_sql("DROP TABLE alembic_version")
        for table in (t for t in metadata.sorted_tables if t.name in TABLES):  # the release's tables
            old = rows(OLD_DATABASE, table.name)
            if old:
                names = columns(OLD_DATABASE, table.name)
                # the release's columns only, typed as now (SQLite hands back dates as text, booleans as 0/1)
                then = sa_table(table.name, *[sa_column(n, table.c[n].type) for n in names])
                conn.execute(then.insert(), [dict(zip(names, row, strict=True)) for row in old])
        for table in ("versions", "manifestations", "subscribers", "events", "alerts", "polls"):
            conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    engine.dispose()


def test_a_release_0_1_0_postgresql_database_upgrades_with_every_row_intact(tmp_path, postgresql_database,
                                                                             newer_code):
    release_0_1_0_on_postgresql(postgresql_database)
    config = Config(storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=postgresql_database))
    with Store.open(config, upgrade=True) as store, store.engine.connect() as conn:
        assert migrate.revision_of(store.engine) == newer_code
        for table in TABLES:
            kept = conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            assert kept == len(rows(OLD_DATABASE, table)), table
        assert conn.exec_driver_sql("SELECT DISTINCT channel FROM alerts").all() == [("email",)]
    assert not (tmp_path / "data" / "backups").exists()  # PostgreSQL is backed up with pg_dump


def test_wrong_postgresql_credentials_are_one_line_without_the_password(tmp_path):
    url = make_url(postgresql_server()).set(password="wrong-s3cret")
    config = tmp_path / "monitor.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
                      f'database_url = "{url.render_as_string(hide_password=False)}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "status"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"dossier-monitor: database {url.render_as_string(hide_password=True)}: ")
    assert "password authentication failed" in done.stderr
    assert len(done.stderr.splitlines()) == 1 and "wrong-s3cret" not in done.stderr


def test_an_upgraded_release_0_1_0_database_has_exactly_the_schema_of_schema_py(data_dir):
    with Store.open(Config(storage=StorageConfig(data_dir=str(data_dir))), upgrade=True) as store:
        assert schema_differences(store.engine) == []


# --- a database that cannot be used ---------------------------------------------------------------


@pytest.mark.parametrize("case", ["folder", "not-a-database", "under-a-file", "unreachable-postgresql"])
def test_a_database_that_cannot_be_used_is_one_line_naming_the_url_without_its_password(tmp_path, case):
    if case == "folder":
        (tmp_path / "folder.sqlite").mkdir()
        url = f"sqlite:///{tmp_path / 'folder.sqlite'}"
    elif case == "under-a-file":
        (tmp_path / "file").write_text("")
        url = f"sqlite:///{tmp_path / 'file' / 'monitor.sqlite'}"
    elif case == "not-a-database":
        (tmp_path / "notes.sqlite").write_text("these are my notes, not a database\n" * 100)
        url = f"sqlite:///{tmp_path / 'notes.sqlite'}"
    else:
        url = "postgresql+psycopg://monitor:s3cret@127.0.0.1:9/dossier_monitor?connect_timeout=2"
    config = tmp_path / "monitor.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\ndatabase_url = "{url}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "status"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    shown = url.replace("s3cret", "***")
    assert done.stderr.startswith(f"dossier-monitor: database {shown}: "), done.stderr
    assert "s3cret" not in done.stderr
    if case in ("folder", "not-a-database"):
        assert Path(url.removeprefix("sqlite:///")).exists()  # left as it was, not replaced


def test_poll_upgrades_an_older_database_after_a_backup_and_then_polls(run, config_file, data_dir, newer_code, peer):
    from tests.peer import synthesise

    peer.add(synthesise(2))
    config_file.write_text(f'[source]\nsru_url = "{peer.sru_url}"\nallowed_hosts = ["127.0.0.1"]\n'
                           f'min_request_interval_seconds = 0\n' + config_file.read_text(), encoding="utf-8")
    code, _, err = run("poll")
    assert code == 0, err
    assert run("db", "current")[1] == f"{newer_code} (actueel)\n"
    assert len(list((data_dir / "backups").glob(f"monitor-*-before-{newer_code}.sqlite"))) == 1
    assert len(rows(data_dir / "monitor.sqlite", "publications")) == 3 + 2


def test_subscribers_of_release_0_1_0_count_as_confirmed_and_their_links_keep_working(data_dir):
    from monitor.store import subscriptions

    with Store.open(Config(storage=StorageConfig(data_dir=str(data_dir))), upgrade=True) as store:
        with store.transaction() as conn:
            anna = subscriptions.by_token(conn, "3911ab18fd925cd1d72ac08ef157d32b")
            cato = subscriptions.by_token(conn, "08537db188fbab6d5eea89ee7d318150")
    assert (anna.email, anna.state, anna.confirmed_at == anna.created_at) == ("anna@example.org", "active", True)
    assert (cato.email, cato.state) == ("cato@example.org", "unsubscribed")  # removed before: not "unconfirmed"


def test_the_pid_an_older_daemon_left_gives_way_to_heartbeats(data_dir):
    with sqlite3.connect(data_dir / "monitor.sqlite") as db:  # a 0.1.0 daemon, stopped by kill -9
        db.execute("INSERT INTO state (key, value) VALUES ('daemon:pid', ?)", (str(os.getpid()),))
    with Store.open(Config(storage=StorageConfig(data_dir=str(data_dir))), upgrade=True) as store:
        with store.engine.connect() as conn:
            assert store.get_state(conn, "daemon:pid") is None
            assert conn.execute(select(func.count()).select_from(daemons)).scalar() == 0
    assert rows(data_dir / "monitor.sqlite", "state", ["key"]) == [("watermark:28676",)]
