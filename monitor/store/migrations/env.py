"""Alembic's entry point, run for every migration: always on the connection ``monitor.store.migrate`` hands in.

There is no alembic.ini and no offline (SQL script) mode: the package upgrades its own
database, inside one transaction that ``migrate`` opened (on SQLite a ``BEGIN IMMEDIATE``).
"""

from alembic import context

from monitor.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite alters a table by copying it: batch mode does that for ALTER/DROP COLUMN
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
