"""Shared test helpers. Fixtures live in tests/fixtures; tests never read ../shared."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
