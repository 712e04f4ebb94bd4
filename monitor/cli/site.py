"""``dossier-monitor site -o DIR``: build the static site and ``feed.atom`` from the store."""

from __future__ import annotations

import click

from monitor.cli import Context, pass_context
from monitor.site import build_configured_site, site_folder
from monitor.store import Store
from monitor.store.places import output_target


@click.command("site")
@click.option("-o", "--output", "output", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder to build the site in (default: [site] path); the folder it is in must exist.")
@click.option("--parents", is_flag=True, help="Make the folder DIR is in (and its parents) when missing.")
@pass_context
def site(ctx: Context, output: str | None, parents: bool) -> None:
    """Static site: letters, agendas with positions, topic timelines, and an Atom feed.

    Only pages whose inputs changed are rendered again; the new site replaces the old one in
    one step, so a web server serving the folder never shows a half-built site.
    """
    config = ctx.config
    folder = site_folder(config, output)  # before the store is opened: a bad call creates nothing
    if output is not None:
        output_target(folder, parents=parents)
    with Store.open(config) as store:
        report = build_configured_site(store, config, folder)
    if report.changed:
        click.echo(f"site {report.out_dir}: {len(report.written)} bestanden geschreven, "
                   f"{len(report.reused)} ongewijzigd, {len(report.removed)} verwijderd "
                   f"({report.seconds:.1f} s)")
    else:
        click.echo(f"site {report.out_dir}: niets gewijzigd ({report.seconds:.1f} s)")
