"""The command line: a thin face over the library.

Each command lives in its own module below and is registered in ``COMMANDS``. Every
``MonitorError`` (and click's own usage errors) ends as one line on stderr with the
exit code the error class names; nothing here decides exit codes itself.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from monitor import __version__
from monitor.config import Config
from monitor.errors import BadInput, MonitorError

# module name -> attribute holding the click command or group
COMMANDS = {
    "alerts": "alerts",
    "backfill": "backfill",
    "db": "db",
    "diff": "diff",
    "doctor": "doctor",
    "poll": "poll",
    "run": "run",
    "site": "site",
    "snapshots": "snapshots",
    "status": "status",
    "subscribers": "subscribers",
}


class Context:
    """What every command gets: the config, loaded once, on first use."""

    def __init__(self, config_path: str | None):
        self._config_path = config_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = Config.load(self._config_path)
        return self._config


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="TOML configuration (default: $DOSSIER_MONITOR_CONFIG, else built-in defaults).")
@click.option("--log-format", type=click.Choice(["plain", "json"]), default="plain", show_default=True,
              help="Log lines for a terminal, or one JSON object per line (journald).")
@click.option("-v", "--verbose", count=True, help="Debug log output.")
@click.version_option(__version__, prog_name="dossier-monitor")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, log_format: str, verbose: int) -> None:
    """Watch a Kamerstuk dossier and report how the Dutch government's positions change."""
    from monitor.logs import setup_logging

    setup_logging(log_format, logging.DEBUG if verbose else logging.INFO)
    ctx.obj = Context(config_path)


for _module, _attr in COMMANDS.items():
    cli.add_command(getattr(importlib.import_module(f"monitor.cli.{_module}"), _attr))


def main(argv: list[str] | None = None) -> None:
    try:
        # without standalone mode click returns an Exit's code (--help, --version) instead of exiting
        code = cli.main(args=argv, prog_name="dossier-monitor", standalone_mode=False)
    except MonitorError as exc:
        click.echo(f"dossier-monitor: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("dossier-monitor: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        # usage errors are bad input: one line, the contract's exit code for bad input
        click.echo(f"dossier-monitor: {exc.format_message()}", err=True)
        sys.exit(BadInput.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
