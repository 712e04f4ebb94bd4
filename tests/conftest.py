"""Shared test helpers. Fixtures live in tests/fixtures; tests never read ../shared."""

from pathlib import Path

import pytest

# the real local peers every test may ask for: the KOOP-shaped publisher (`peer`, `source_config`)
# and an SMTP server on loopback (`smtp_peer`), and the databases tests run on (`database_url`:
# SQLite and PostgreSQL, `postgresql_database`)
pytest_plugins = ["tests.peer.fixtures", "tests.smtp_peer", "tests.database"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def run(capsys, config_file):
    """``run("subscribers", "list")`` -> (exit code, stdout, stderr) of the real entry point.

    Each test module says which configuration it runs with by defining ``config_file``.
    """
    from monitor.cli import main

    def run_(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config_file), *args])
        out, err = capsys.readouterr()
        return exit_.value.code, out, err

    return run_
