"""Shared test helpers. Fixtures live in tests/fixtures; tests never read ../shared."""

from pathlib import Path

import pytest

# the KOOP-shaped test peer (`peer`, `source_config`) for every test that needs the publisher
pytest_plugins = ["tests.peer.fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
