"""The daemon's watchers in its loop, in this process: a browser started on a blocked page
or with its extensions off is an urge the subscribers hear, and strict mode under a
sandbox says what it would close and closes nothing. The "browser" is Testium, whose
program is sh (tests/unit/test_engine.py): a real process the loop notices starting."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.ipc import client
from blocker.ipc.protocol import Message
from tests.daemon_thread import Running, start_daemon
from tests.helpers import sandbox_paths
from tests.unit.test_engine import LIST, TEST_BROWSER

PROFILE = "https://instagram.com/alex.example"


@pytest.fixture
def watching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Running]:
    monkeypatch.delenv("DISPLAY", raising=False)
    paths = sandbox_paths(tmp_path, LIST + "strict: true\n")
    started = start_daemon(paths, frozenset({os.geteuid()}), browsers=(TEST_BROWSER,))
    yield started
    if started.thread.is_alive():
        started.stop()


def urges_when_started(running: Running, *arguments: str) -> tuple[Message, bool]:
    """Start Testium with `arguments` and return the first urge the subscribers hear and
    whether the process was still running then."""
    stream = client.subscribe(running.paths.socket)
    next(stream)
    with subprocess.Popen(["sh", "-c", "sleep 30", "testium", *arguments]) as browser:
        try:
            event = next(e for e in stream if e.get("event") == "urge")
            running_then = browser.poll() is None
        finally:
            browser.kill()
    return event, running_then


def test_a_browser_started_on_a_blocked_profile_is_an_urge(
    watching: Running, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="blocker.daemon.watchers"):
        event, running_then = urges_when_started(watching, PROFILE)
    assert event["layer"] == "process"
    assert event["browser"] == "Testium"
    assert event["message"] == f"Testium was opened on a blocked page ({PROFILE})"
    assert running_then, "strict mode under a sandbox closes no real program"
    assert "strict mode would close Testium here; a sandbox leaves it" in caplog.messages


def test_a_chromium_family_browser_started_without_extensions_is_an_urge(
    watching: Running,
) -> None:
    event, _ = urges_when_started(watching, "--disable-extensions")
    assert event["layer"] == "extensions_off"
    assert "started with its extensions off" in event["message"]
