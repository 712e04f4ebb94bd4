"""Each command imports what it uses and no more, so a `diff` or a `--help` starts at once."""

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from monitor.cli import COMMANDS, cli

PAIRS = Path(__file__).parent / "fixtures" / "pairs"
# What only the daemon, the database, the mail or the site need (``monitor.store.places``, the rule
# for writing a file, is for every command).
SERVICE_MODULES = ("sqlalchemy", "alembic", "apscheduler", "email_validator", "monitor.store.facade",
                   "monitor.store.db", "monitor.alerts",
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


def test_a_text_report_loads_neither_templates_nor_json_encoder():
    modules = modules_after("diff", str(PAIRS / "agenda-2025.old.txt"), str(PAIRS / "agenda-2025.new.txt"))
    assert loaded(modules, ("monitor.render.html_page", "monitor.render.json_doc", "monitor.store", "jinja2")) == []


def test_an_html_report_written_to_a_file_brings_in_its_templates_but_not_the_database(tmp_path):
    modules = modules_after("diff", str(PAIRS / "stance-flipped.old.txt"), str(PAIRS / "stance-flipped.new.txt"),
                            "--format", "html", "-o", str(tmp_path / "report.html"))
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "jinja2" in modules and "monitor.store.places" in modules
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

