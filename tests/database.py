"""The databases tests run on: a SQLite file in the data folder, and a real PostgreSQL.

``scripts/test`` starts a throwaway PostgreSQL cluster and names it in
``$DOSSIER_MONITOR_TEST_POSTGRESQL`` (a URL of a user allowed to create databases). A test
that asks for ``database_url`` runs once per backend; on PostgreSQL it gets a database of its
own, dropped afterwards. Without a server the PostgreSQL run is reported as skipped, with why.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, make_url, text

from monitor.config import Config

ENV_VAR = "DOSSIER_MONITOR_TEST_POSTGRESQL"
NO_SERVER = f"PostgreSQL: no test server (scripts/test starts one and sets ${ENV_VAR})"


def postgresql_server() -> str:
    """The server's URL, or skip the test when there is none."""
    url = os.environ.get(ENV_VAR, "")
    if not url:
        pytest.skip(NO_SERVER)
    return url


@contextmanager
def new_database(server: str) -> Iterator[str]:
    """A new, empty database on ``server`` (its URL), dropped with everything in it afterwards."""
    url = make_url(server)
    name = f"dm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgresql_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of the test's own."""
    with new_database(postgresql_server()) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> Iterator[str]:
    """``[storage] database_url`` for the test: "" (SQLite in the data folder) or a new PostgreSQL database."""
    with _backend(request.param) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request) -> Iterator[str]:
    """``database_url`` for a store that a whole test module shares."""
    with _backend(request.param) as url:
        yield url


@contextmanager
def _backend(name: str) -> Iterator[str]:
    if name == "sqlite":
        yield ""
    else:
        with new_database(postgresql_server()) as url:
            yield url


def on_database(config: Config, url: str) -> Config:
    """``config`` with its database at ``url`` ("" : SQLite in its data folder)."""
    return dataclasses.replace(config, storage=dataclasses.replace(config.storage, database_url=url))
