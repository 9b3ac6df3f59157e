"""Fixtures for the engine's tests: its clocks, and a sandbox with the engine's list."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.system.paths import Paths
from tests.helpers import sandbox_paths
from tests.unit.test_engine import LIST, MovingClocks


@pytest.fixture
def clocks() -> MovingClocks:
    return MovingClocks()


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return sandbox_paths(tmp_path, LIST)
