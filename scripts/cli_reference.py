"""Write docs/cli.md from the real `--help` of every command (run after changing the CLI).

    .venv/bin/python scripts/cli_reference.py > docs/cli.md

tests/test_cli_reference.py fails when docs/cli.md and the commands disagree.
"""

from __future__ import annotations

import click
from click.testing import CliRunner

from monitor.cli import cli


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="dossier-monitor", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output.rstrip()


def reference() -> str:
    parts = [
        "# Command reference",
        "",
        "Generated from the real `--help` by `scripts/cli_reference.py`; do not edit by hand.",
        "",
        "```",
        help_text(()),
        "```",
    ]
    for path, _command in commands(cli):
        parts += ["", f"## `dossier-monitor {' '.join(path)}`", "", "```", help_text(path), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
