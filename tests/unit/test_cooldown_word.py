"""The cooldown keeps its word (issue 12): a cancel really cancels, whatever is blocked
now is protected, the whole period is gated, and only a change blocker did not make is a
tamper. The engine on real files, driven by test clocks."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import Browser
from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from blocker.daemon.status import status
from blocker.enforce.extension import GECKO_ID
from blocker.enforce.firefox import FirefoxExtension
from blocker.system.paths import Paths
from tests.helpers import block_list, sandbox_paths
from tests.unit.test_engine import LIST, MIN, MovingClocks, blocked, start

PHOTOS = "alexphotos.example.org"
NEW = "new.example.org"


def pending(engine: object) -> list[dict[str, object]]:
    return list(status(engine).to_json()["pause"]["pending"])  # type: ignore[arg-type]


def test_a_cancelled_removal_is_written_back_and_never_asked_for_again(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    before = paths.config.read_text()
    requests.handle({"op": "remove", "target": PHOTOS, "site": True})
    assert PHOTOS not in paths.config.read_text()
    assert requests.handle({"op": "cancel"})["ok"]
    assert paths.config.read_text() == before  # where it was, comments and layout kept
    assert PHOTOS not in paths.config.with_name("blocklist.yaml.cancelled").read_text()
    assert requests.handle({"op": "add", "target": NEW, "site": True})["ok"]
    requests.handle({"op": "reload"})
    assert pending(engine) == []
    restarted, _ = start(paths, clocks)  # a restart
    assert pending(restarted) == []
    rebooted = MovingClocks(wall_at=clocks.wall_at, elapsed_at=3.0, boot="boot-2")
    after_boot, _ = start(paths, rebooted)  # and a new boot
    assert pending(after_boot) == []
    rebooted.let_pass(60 * MIN)
    after_boot.step()
    assert {PHOTOS, NEW} <= blocked(paths)


def test_cancelling_a_hand_edit_keeps_the_entries_it_added(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    text = paths.config.read_text()
    edited = text.replace(f"  - {PHOTOS}\n", f"  - {NEW}\n")
    paths.config.write_text(edited)
    engine.step()
    assert NEW in blocked(paths)
    assert PHOTOS in blocked(paths)
    requests.handle({"op": "cancel"})
    restored = paths.config.read_text()
    assert PHOTOS in restored
    assert NEW in restored
    clocks.let_pass(60 * MIN)
    engine.step()
    assert pending(engine) == []
    assert {PHOTOS, NEW} <= blocked(paths)


def test_a_target_added_while_an_edit_waits_is_protected_by_the_gate(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "remove", "target": PHOTOS, "site": True})
    clocks.let_pass(5 * MIN)
    requests.handle({"op": "add", "target": NEW, "site": True})
    assert NEW in blocked(paths)
    [waiting] = pending(engine)
    assert waiting["matures_at"] == "2026-11-27T21:15:00+01:00"  # the add kept its end
    clocks.let_pass(5 * MIN)  # past the window in which a fresh mistake comes off at once
    answer = requests.handle({"op": "remove", "target": NEW, "site": True})
    assert answer["waits_until"] is not None
    engine.step()
    assert NEW in blocked(paths)  # not within half a second: after a fresh cooldown
    clocks.let_pass(15 * MIN - MIN)
    engine.step()
    assert NEW in blocked(paths)
    clocks.let_pass(MIN)
    engine.step()
    assert NEW not in blocked(paths)
    assert PHOTOS not in blocked(paths)


def test_an_add_then_a_cancel_keeps_what_was_added(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "remove", "target": PHOTOS, "site": True})
    requests.handle({"op": "add", "target": NEW, "site": True})
    requests.handle({"op": "cancel"})
    engine.step()
    clocks.let_pass(60 * MIN)
    engine.step()
    assert {PHOTOS, NEW} <= blocked(paths)
    assert NEW in paths.config.read_text()


EVENINGS = block_list(
    profiles="  - instagram: alex.example\n",
    sites=f"  - alexblog.example.com\n  - {PHOTOS}\n",
    extra="  windows:\n    - from: '18:00'\n      to: '02:00'\npause:\n  cooldown: 15m\n",
)


def in_the_afternoon(tmp_path: Path) -> tuple[Paths, MovingClocks, Engine, Requests]:
    """An engine on the evening list at 13:00 in Berlin: outside the hours."""
    paths = sandbox_paths(tmp_path, EVENINGS)
    clocks = MovingClocks()
    clocks.wall_at = clocks.wall_at.replace(hour=12)
    engine, requests = start(paths, clocks)
    return paths, clocks, engine, requests


def test_outside_the_hours_every_loosening_still_waits_and_a_pause_is_refused(
    tmp_path: Path,
) -> None:
    paths, clocks, engine, requests = in_the_afternoon(tmp_path)
    assert not blocked(paths)
    answer = requests.handle({"op": "remove", "target": PHOTOS, "site": True})
    assert answer["waits_until"] is not None
    stop = requests.handle({"op": "stop"})
    assert stop["matures_at"] == "2026-11-27T13:15:00+01:00"
    pause = requests.handle({"op": "pause"})
    assert not pause["ok"]
    assert "not on right now" in pause["error"]
    clocks.let_pass(10 * MIN)
    engine.step()
    assert sorted(str(r["kind"]) for r in pending(engine)) == ["config", "stop"]
    assert PHOTOS in {d for t in engine.effective().targets for d in t.hosts_domains}
    clocks.let_pass(5 * MIN)
    engine.step()
    assert pending(engine) == []
    assert engine.state.stopped
    assert PHOTOS not in {d for t in engine.effective().targets for d in t.hosts_domains}


def test_an_add_is_not_a_tamper_and_an_early_pause_end_is_one_event(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    engine.drain_events()
    for name in ("one.example.org", "two.example.org"):
        requests.handle({"op": "add", "target": name, "site": True})
        engine.step()
    assert "tamper_repaired" not in [e.name for e in engine.drain_events()]
    paths.hosts.write_text("127.0.0.1 localhost\n")  # someone else's change is one
    engine.step()
    assert [str(e.name) for e in engine.drain_events()].count("tamper_repaired") == 1
    requests.handle({"op": "pause"})
    clocks.let_pass(15 * MIN)
    engine.step()
    engine.drain_events()
    requests.handle({"op": "cancel"})
    engine.step()
    assert [e.name for e in engine.drain_events()] == ["pause_ended"]


def test_a_cancel_that_cannot_write_the_list_back_still_never_asks_again(
    tmp_path: Path, clocks: MovingClocks
) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only file system needs root (scripts/test runs as root)")
    folder = tmp_path / "list"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=True)
    try:
        paths = dataclasses.replace(sandbox_paths(tmp_path, LIST), config=folder / "list.yaml")
        paths.config.write_text(LIST)
        engine, requests = start(paths, clocks)
        requests.handle({"op": "remove", "target": PHOTOS, "site": True})
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        assert requests.handle({"op": "cancel"})["ok"]
        assert "could not be put back" in engine.drain_events()[-2].message
        requests.handle({"op": "reload"})
        restarted, _ = start(paths, clocks)
        assert pending(restarted) == []
        clocks.let_pass(60 * MIN)
        restarted.step()
        assert PHOTOS in blocked(paths)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_an_edit_that_widens_the_hours_applies_at_once_while_a_removal_waits(
    tmp_path: Path,
) -> None:
    paths, _, engine, requests = in_the_afternoon(tmp_path)
    requests.handle({"op": "remove", "target": PHOTOS, "site": True})
    assert not blocked(paths)
    text = paths.config.read_text()
    all_day = text.replace("  windows:\n    - from: '18:00'\n      to: '02:00'\n", "")
    assert all_day != text
    paths.config.write_text(all_day)  # the person makes it all day: that tightens
    engine.step()
    assert "alexblog.example.com" in blocked(paths)  # at once, not when the removal matures
    assert PHOTOS in blocked(paths)  # and what waits to come off is still blocked
    [waiting] = pending(engine)
    assert waiting["matures_at"] == "2026-11-27T13:15:00+01:00"


def test_stop_when_stopped_is_refused_and_start_during_a_pause_says_when_the_block_returns(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "pause"})
    requests.handle({"op": "stop"})
    clocks.let_pass(15 * MIN)
    engine.step()
    assert engine.state.stopped
    again = requests.handle({"op": "stop"})
    assert not again["ok"]
    assert "already stopped" in again["error"]
    started = requests.handle({"op": "start"})
    assert started["paused_until"] == "2026-11-27T21:25:00+01:00"  # the pause's own end


def test_start_takes_back_a_stop_that_still_waits(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    assert requests.handle({"op": "stop"})["ok"]
    assert requests.handle({"op": "start"})["ok"]
    assert pending(engine) == []
    clocks.let_pass(60 * MIN)
    engine.step()
    assert not engine.state.stopped
    assert PHOTOS in blocked(paths)


def test_an_edit_the_machine_refuses_is_a_one_line_answer_and_changes_nothing(
    paths: Paths, clocks: MovingClocks
) -> None:
    _, requests = start(paths, clocks)
    before = paths.config.read_text()
    paths.config.unlink()
    paths.config.mkdir()  # a list the machine will not let anyone read or write
    try:
        answer = requests.handle({"op": "add", "target": NEW, "site": True})
    finally:
        paths.config.rmdir()
        paths.config.write_text(before)
    assert not answer["ok"]
    assert str(paths.config) in answer["error"]
    assert "internal error" not in answer["error"]


def test_an_edit_that_changes_only_the_browsers_policies_is_not_a_tamper(
    paths: Paths, clocks: MovingClocks
) -> None:
    testfox = Browser("testfox", "Testfox", "firefox", ("sh",), "/etc/testfox/policies.json", ())
    engine, _ = start(paths, clocks, (testfox,))
    engine.layers.firefox_extension = FirefoxExtension("file:///run/blocker/blocker.xpi")
    engine.step()
    engine.drain_events()
    # Letting Firefox install blocker's extension changes its policy file, not the plan's
    # names or pages: blocker asked for that change, nobody removed anything.
    paths.config.write_text(LIST + "firefox:\n  allow_unsigned_addons: true\n")
    engine.step()
    events = [str(e.name) for e in engine.drain_events()]
    assert "policies_changed" in events
    assert "tamper_repaired" not in events
    policy = paths.root / "etc/testfox/policies.json"
    assert GECKO_ID in json.loads(policy.read_text())["policies"]["ExtensionSettings"]
    policy.unlink()  # someone deletes it: that is one
    engine.step()
    assert [str(e.name) for e in engine.drain_events()].count("tamper_repaired") == 1
