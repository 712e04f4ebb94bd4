"""The command line: a thin face over the library.

Each command lives in its own module below and is registered in ``COMMANDS``. Every
``MonitorError`` (and click's own usage errors) ends as one line on stderr with the
exit code the error class names; nothing here decides exit codes itself.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import TYPE_CHECKING

import click

from monitor.errors import BadInput, MonitorError

if TYPE_CHECKING:
    from monitor.config import Config

# Every command, by name, with the one-line summary `dossier-monitor --help` lists. Command NAME
# is the click command (or group) called NAME (dashes as underscores) in monitor/cli/NAME.py, and
# that module is imported only when the command runs or shows its own help: `diff` never pays for
# SQLAlchemy, the mail or the site, and `--help` imports no command at all. A new command is its
# module plus one line here (tests/test_cli_lazy.py checks the summary is the command's own);
# then regenerate docs/cli.md.
COMMANDS: dict[str, str] = {
    "alerts": "The outbox: alerts waiting, sent and failed.",
    "backfill": "Fetch a dossier's whole history, with a progress bar.",
    "db": "The database: its schema revision, upgrades and consistent backups.",
    "diff": "Compare two versions of a letter: positions added, dropped, changed and moved.",
    "doctor": "Check the configuration, data folder, database and mail server (nothing is sent).",
    "poll": "One cycle now: fetch what is new, snapshot, classify, compare, queue and send alerts.",
    "run": "Poll, deliver alerts and send digests on schedule until SIGTERM or Ctrl-C (exit 0).",
    "serve": "Serve the sign-up, manage and unsubscribe pages and the site until SIGTERM or Ctrl-C (exit 0).",
    "site": "Static site: letters, agendas with positions, topic timelines, and an Atom feed.",
    "snapshots": "Stored publications and their versions.",
    "status": "Last and next poll, running daemons, counts, the last error.",
    "subscribers": "Who receives alerts, and which.",
}


class LazyGroup(click.Group):
    """The top-level group: commands come from ``COMMANDS``, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        attribute = cmd_name.replace("-", "_")
        return getattr(importlib.import_module(f"monitor.cli.{attribute}"), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # the registry's summaries, so listing the commands imports none of them
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit))
                for name, summary in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class Context:
    """What every command gets: the config, loaded once, on first use."""

    def __init__(self, config_path: str | None):
        self._config_path = config_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from monitor.config import Config

            self._config = Config.load(self._config_path)
        return self._config


pass_context = click.make_pass_decorator(Context)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="TOML configuration (default: $DOSSIER_MONITOR_CONFIG, else built-in defaults).")
@click.option("--log-format", type=click.Choice(["plain", "json"]), default="plain", show_default=True,
              help="Log lines for a terminal, or one JSON object per line (journald).")
@click.option("-v", "--verbose", count=True, help="Debug log output.")
@click.version_option(package_name="dossier-monitor", prog_name="dossier-monitor")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, log_format: str, verbose: int) -> None:
    """Watch a Kamerstuk dossier and report how the Dutch government's positions change."""
    from monitor.logs import setup_logging

    setup_logging(log_format, logging.DEBUG if verbose else logging.INFO)
    ctx.obj = Context(config_path)


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
