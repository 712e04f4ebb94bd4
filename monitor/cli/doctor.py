"""``dossier-monitor doctor``: a checklist of what this installation needs, with the evidence."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli import Context, pass_context
from monitor.errors import ConfigError, Unhealthy


@click.command("doctor")
@click.option("--live", is_flag=True, help="Also ask the publisher: one search page per dossier and the "
              "newest letter's manifestations, checked against every expectation of the code; with [tk] on, "
              "the Tweede Kamer's OData service too (search, paging, one recent document's file).")
@click.option("--save", "save", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="With --live: keep the raw answers (the publisher's, and the Tweede Kamer's with [tk] on) in "
                   "DIR, in the layout of the test fixtures.")
@pass_context
def doctor(ctx: Context, live: bool, save: Path | None) -> None:
    """Check the configuration, data folder, database and mail server (nothing is sent).

    Prints one line per check: ✓ as expected, ! works but differs from what the code was built
    against, ✗ fails, each with its evidence. Exit code 1 when any check fails, 2 when the
    configuration cannot be read.
    """
    from monitor.doctor import check_installation, check_live
    from monitor.model import Check

    if save is not None and not live:
        raise click.UsageError("--save needs --live: only the services' answers are saved")
    try:
        config = ctx.config
    except ConfigError as exc:
        click.echo(Check("configuration", "fail", str(exc)).line())
        raise
    checks = check_installation(config)
    for check in checks:
        click.echo(check.line())
    if live:
        for check in check_live(config, save):
            click.echo(check.line())
            checks.append(check)
        if save is not None:
            click.echo(f"saved in {save} (see {save / 'PROVENANCE.md'})")
    failed = [c for c in checks if c.status == "fail"]
    if failed:
        raise Unhealthy(f"{len(failed)} of {len(checks)} checks failed: {', '.join(c.name for c in failed)}")
