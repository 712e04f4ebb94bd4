"""Shared test helpers. Fixtures live in tests/fixtures; tests never read ../shared."""

from pathlib import Path

import pytest

# the real local peers every test may ask for: the KOOP-shaped publisher (`peer`, `source_config`)
# and an SMTP server on loopback (`smtp_peer`)
pytest_plugins = ["tests.peer.fixtures", "tests.smtp_peer"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
