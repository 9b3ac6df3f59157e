"""Fixtures for the engine's tests: its clocks, a sandbox with the engine's list, and a
daemon keeping that sandbox's block on a thread of the test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.system.paths import Paths
from tests.daemon_thread import Running, start_daemon
from tests.helpers import sandbox_paths
from tests.unit.test_engine import LIST, MovingClocks


@pytest.fixture
def clocks() -> MovingClocks:
    return MovingClocks()


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return sandbox_paths(tmp_path, LIST)


@pytest.fixture
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Running]:
    monkeypatch.delenv("DISPLAY", raising=False)  # no window titles from a desktop we are in
    # The sandbox daemon's own user, as cli.run_commands allows it: the test is that user.
    started = start_daemon(sandbox_paths(tmp_path, LIST), frozenset({os.geteuid()}))
    yield started
    if started.thread.is_alive():
        started.stop()
