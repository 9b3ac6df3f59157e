"""Fixtures for the end-to-end tests."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.desktop_session import Desktop, session


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="blocker-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    """A headless desktop session (desktop_session.py); this process talks to it too."""
    with session(tmp_path) as opened:
        monkeypatch.setenv("DISPLAY", opened.display)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", opened.bus)
        yield opened
