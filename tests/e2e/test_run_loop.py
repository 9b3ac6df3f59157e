"""`blocker run` as a real process: it acts at the planned instant, repairs tampering at
once, follows edits of the block list, and leaves the block in place when stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from blocker.hosts.hoststext import BEGIN, blocked_names
from tests.e2e.helpers import blocker_argv, wait_for

ORIGINAL = b"127.0.0.1 localhost\n::1 localhost ip6-localhost\n"
ALWAYS_BLOCKING = "period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - alexblog.example.com\n"


def local_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    (tmp_path / "hosts").write_bytes(ORIGINAL)
    return tmp_path


@pytest.fixture
def start_runner(sandbox: Path) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        process = subprocess.Popen(
            blocker_argv("--sandbox", str(sandbox), "run"), stderr=subprocess.PIPE, text=True
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def blocked(sandbox: Path) -> frozenset[str]:
    return blocked_names((sandbox / "hosts").read_text())


def test_the_block_starts_and_ends_at_the_planned_instants(
    sandbox: Path, start_runner: Callable[[], subprocess.Popen[str]]
) -> None:
    start = datetime.now().replace(microsecond=0) + timedelta(seconds=3)
    end = start + timedelta(seconds=3)
    (sandbox / "blocklist.yaml").write_text(
        f"period:\n  start: {local_text(start)}\n  until: {local_text(end)}\n"
        "sites:\n  - alexblog.example.com\n"
    )
    start_runner()
    wait_for(lambda: bool(blocked(sandbox)), timeout=10)
    started_lag = time.time() - start.timestamp()
    assert -0.05 <= started_lag < 1.0
    wait_for(lambda: not blocked(sandbox), timeout=10)
    ended_lag = time.time() - end.timestamp()
    assert -0.05 <= ended_lag < 1.0
    assert (sandbox / "hosts").read_bytes() == ORIGINAL


def test_a_removed_section_is_restored_within_a_second_and_sigterm_keeps_the_block(
    sandbox: Path, start_runner: Callable[[], subprocess.Popen[str]]
) -> None:
    (sandbox / "blocklist.yaml").write_text(ALWAYS_BLOCKING)
    process = start_runner()
    wait_for(lambda: bool(blocked(sandbox)), timeout=10)
    for _ in range(3):
        (sandbox / "hosts").write_bytes(ORIGINAL)  # someone deletes our section
        assert wait_for(lambda: bool(blocked(sandbox)), timeout=2) < 1.0
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "the block stays as it is" in stderr
    assert "was removed or edited; it is back" in stderr
    assert BEGIN in (sandbox / "hosts").read_text()


def test_edits_of_the_block_list_apply_at_once_and_a_broken_edit_keeps_the_last_good_one(
    sandbox: Path, start_runner: Callable[[], subprocess.Popen[str]]
) -> None:
    config = sandbox / "blocklist.yaml"
    good = ALWAYS_BLOCKING
    config.write_text(good)
    process = start_runner()
    wait_for(lambda: bool(blocked(sandbox)), timeout=10)
    config.write_text(good + "  - alexphotos.example.org\n")
    assert wait_for(lambda: "alexphotos.example.org" in blocked(sandbox), timeout=2) < 1.0
    config.write_text("period: [\n")
    time.sleep(1.0)
    config.write_text("period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - '*.example.org'\n")
    time.sleep(1.0)
    assert "alexphotos.example.org" in blocked(sandbox)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=10)
    assert "the last good one stays" in stderr
    assert f"{config}:2:1: (syntax): YAML syntax error" in stderr
    assert "wildcard" in stderr


def test_a_crashed_runner_leaves_the_block_and_the_next_start_repairs_it(
    sandbox: Path, start_runner: Callable[[], subprocess.Popen[str]]
) -> None:
    (sandbox / "blocklist.yaml").write_text(ALWAYS_BLOCKING)
    process = start_runner()
    wait_for(lambda: bool(blocked(sandbox)), timeout=10)
    process.kill()
    process.communicate()
    assert blocked(sandbox)
    (sandbox / "hosts").write_bytes(ORIGINAL)
    start_runner()
    wait_for(lambda: bool(blocked(sandbox)), timeout=10)
