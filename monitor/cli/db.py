"""``dossier-monitor db``: the database's schema revision, upgrades and backups."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli import Context, pass_context
from monitor.store import maintenance
from monitor.store.places import output_target


@click.group("db")
def db() -> None:
    """The database: its schema revision, upgrades and consistent backups."""


@db.command("current")
@pass_context
def current(ctx: Context) -> None:
    """The database's schema revision and the one this version needs (exit 2 when it is newer)."""
    revision = maintenance.current(ctx.config)
    if revision.current is None:
        click.echo(f"leeg (wordt aangemaakt op revisie {revision.head})")
    elif revision.behind:
        click.echo(f"{revision.current} (nodig: {revision.head}; `dossier-monitor db upgrade` werkt bij)")
    else:
        click.echo(f"{revision.current} (actueel)")


@db.command("upgrade")
@click.argument("revision", default="head")
@pass_context
def upgrade(ctx: Context, revision: str) -> None:
    """Upgrade the schema to REVISION (default: the newest), after a backup of a SQLite file into
    <data_dir>/backups. Going back to an older revision is refused: restore a backup instead."""
    done = maintenance.upgrade(ctx.config, revision)
    if done.created:
        click.echo(f"database aangemaakt op revisie {maintenance.current(ctx.config).current}")
    elif done.upgraded_from:
        click.echo(f"bijgewerkt van revisie {done.upgraded_from} naar {maintenance.current(ctx.config).current}"
                   + (f"; kopie van daarvoor: {done.backup}" if done.backup else ""))
    else:
        click.echo("al actueel")


@db.command("backup")
@click.option("--to", "folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write a whole data folder here (monitor.sqlite and blobs/) instead of one file "
                   "into <data_dir>/backups.")
@click.option("--parents", is_flag=True, help="Make the folder DIR is in (and its parents) when missing.")
@pass_context
def backup(ctx: Context, folder: Path | None, parents: bool) -> None:
    """A consistent copy of the SQLite database, also while the daemon runs (PostgreSQL: pg_dump).

    DIR's own folder must exist (or give --parents), as for every file or folder the commands write.
    """
    if folder is not None:
        output_target(folder, parents=parents)
    click.echo(maintenance.backup(ctx.config, folder))
