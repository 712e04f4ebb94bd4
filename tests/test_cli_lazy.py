"""Each command imports what it uses and no more, so a `diff` or a `--help` starts at once."""

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from monitor.cli import COMMANDS, cli

PAIRS = Path(__file__).parent / "fixtures" / "pairs"
# What only the daemon, the store, the mail or the site need.
SERVICE_MODULES = ("sqlalchemy", "apscheduler", "email_validator", "monitor.store", "monitor.alerts",
                   "monitor.site", "monitor.daemon", "monitor.source")


def modules_after(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after running the command line ``argv``."""
    script = (
        "import json, sys\n"
        "from monitor.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.__stderr__.write(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(run.stderr.splitlines()[-1]))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_a_diff_of_two_text_files_imports_neither_database_scheduler_mail_nor_site():
    modules = modules_after("diff", str(PAIRS / "agenda-2025.old.txt"), str(PAIRS / "agenda-2025.new.txt"))
    assert "monitor.compare" in modules  # it did run the comparison
    assert loaded(modules, SERVICE_MODULES) == []
    # nor the parsers of other formats, nor the HTML templating a text report does without
    assert loaded(modules, ("bs4", "soupsieve", "pypdf", "jinja2", "defusedxml")) == []


def test_an_html_report_brings_in_its_templates_but_still_no_service_modules():
    # (on standard output: writing to -o FILE goes through monitor.store.places, and so the store)
    modules = modules_after("diff", str(PAIRS / "stance-flipped.old.txt"), str(PAIRS / "stance-flipped.new.txt"),
                            "--format", "html")
    assert "jinja2" in modules
    assert loaded(modules, SERVICE_MODULES) == []


def test_the_top_level_help_imports_no_command():
    modules = modules_after("--help")
    assert [m for m in modules if m.startswith("monitor.cli.")] == []
    assert loaded(modules, (*SERVICE_MODULES, "monitor.compare", "monitor.documents")) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_is_found_and_lists_its_own_summary(name):
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert click.Command(name, help=COMMANDS[name]).get_short_help_str(200) == command.get_short_help_str(200)

