"""One truth in every view, against a real daemon in a sandbox: status during a pause,
a removal waiting for its cooldown in `list`, and a rejected hand edit in `status`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, wait_for


def block_list(pause: str) -> str:
    return (
        "period:\n  start: 2026-01-01\n  days: 3000\n"
        "sites:\n  - alexblog.example.com\n  - alexphotos.example.org\n"
        f"pause:\n{pause}"
    )


def running(folder: Path, pause: str) -> SandboxDaemon:
    daemon = SandboxDaemon(folder, block_list(pause))
    daemon.start()
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
    return daemon


@pytest.fixture
def quick_pause(tmp_path: Path) -> Iterator[SandboxDaemon]:
    daemon = running(tmp_path, "  cooldown: 1s\n  max_length: 5m\n  per_day: 5\n")
    yield daemon
    daemon.kill()


@pytest.fixture
def long_cooldown(tmp_path: Path) -> Iterator[SandboxDaemon]:
    daemon = running(tmp_path, "  cooldown: 10m\n")
    yield daemon
    daemon.kill()


def test_during_a_pause_status_says_paused_until_its_end_and_the_hosts_file_is_right(
    quick_pause: SandboxDaemon,
) -> None:
    assert quick_pause.cli("pause", "2m").returncode == 0
    wait_for(lambda: not quick_pause.blocked(), timeout=10, what="the pause")
    status = quick_pause.status()
    truth = status["truth"]
    assert truth["mode"] == "paused"
    assert status["blocking"] is False
    assert status["hosts_section"] == {"names": 0, "matches_plan": True}
    ends = datetime.fromisoformat(truth["until"])
    assert 100 <= (ends - datetime.fromisoformat(truth["at"])).total_seconds() <= 120
    assert status["pause"]["ends_at"] == truth["until"]
    text = quick_pause.cli("status").stdout
    assert re.search(rf"paused until {ends:%H:%M} \(in [12] min\)", text), text
    assert "Hosts file: as it should be now (0 names blocked)." in text
    planned = json.loads(quick_pause.cli("plan", "--json").stdout)
    assert (planned["blocking"], planned["domains"]) == (False, [])


def test_a_removal_waiting_for_its_cooldown_is_listed_with_its_id_and_countdown(
    long_cooldown: SandboxDaemon,
) -> None:
    removed = long_cooldown.cli("remove", "--site", "alexphotos.example.org")
    assert removed.returncode == 0, removed.stderr
    assert "alexphotos.example.org" in long_cooldown.blocked()
    listing = json.loads(long_cooldown.cli("list", "--json").stdout)
    site = next(s for s in listing["sites"] if s["label"] == "alexphotos.example.org")
    request = site["comes_off"]["id"]
    assert 590 <= site["comes_off"]["in_seconds"] <= 600
    text = long_cooldown.cli("list").stdout
    line = next(x for x in text.splitlines() if "alexphotos.example.org" in x)
    assert re.search(
        rf"comes off at \d\d:\d\d \(in (9|10) min\) unless cancelled "
        rf"\(`blocker --sandbox \S+ cancel {request}`\)",
        line,
    ), line
    waiting = long_cooldown.status()["truth"]["waiting"]
    assert [w["id"] for w in waiting] == [request]
    sandbox = long_cooldown.folder
    assert f"`blocker --sandbox {sandbox} cancel {request}`" in long_cooldown.cli("status").stdout


def test_a_rejected_hand_edit_shows_in_status_until_the_list_is_fixed(
    long_cooldown: SandboxDaemon,
) -> None:
    config = long_cooldown.folder / "blocklist.yaml"
    good = config.read_text()
    config.write_text(good.replace("days: 3000", "dayz: 3000"))
    wait_for(
        lambda: long_cooldown.status()["truth"]["rejected"] is not None,
        timeout=10,
        what="the rejection in status",
    )
    error = long_cooldown.status()["truth"]["rejected"]["error"]
    assert "blocklist.yaml" in error
    text = long_cooldown.cli("status").stdout
    assert "was not taken in" in text
    assert error in text
    assert long_cooldown.blocked(), "the last good list stays in force"
    config.write_text(good)
    wait_for(
        lambda: long_cooldown.status()["truth"]["rejected"] is None,
        timeout=10,
        what="the rejection cleared",
    )
