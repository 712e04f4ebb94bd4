"""Write the next schema revision from what ``monitor/store/schema.py`` now says.

    .venv/bin/python scripts/new_migration.py "subscribers: confirmation token"

It upgrades a scratch SQLite database to the current head, lets Alembic compare it with
``schema.py`` and writes ``monitor/store/migrations/versions/NNNN_<message>.py`` with the
differences as operations. Read the file before committing it: autogenerate misses renames
(it sees a drop and an add) and server defaults for existing rows; fill those in by hand.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.store import migrate  # noqa: E402


def main(message: str) -> Path:
    number = f"{len(list(migrate.scripts().walk_revisions())) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{scratch}/head.sqlite")
        with engine.begin() as conn:  # through every revision: schema.py's tables would hide the change
            command.upgrade(migrate.alembic_config(conn), "head")
        with engine.begin() as conn:
            script = command.revision(migrate.alembic_config(conn), message, autogenerate=True, rev_id=number,
                                      version_path=str(migrate.MIGRATIONS / "versions"))
        engine.dispose()
    return Path(script.path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: new_migration.py "what the revision changes"')
    main(sys.argv[1])
