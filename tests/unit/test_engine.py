"""The daemon's engine on real files, driven by test clocks: the gate, the trusted clock,
block-list edits and restarts, without a process or a socket."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import Browser
from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core.witness import Held
from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from blocker.daemon.status import status
from blocker.hosts.hoststext import blocked_names
from blocker.system.paths import Paths
from tests.helpers import ZONE, block_list, sandbox_paths

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
LIST = block_list(
    profiles="  - instagram: alex.example\n",
    sites="  - alexblog.example.com\n  - alexphotos.example.org\n",
    extra="pause:\n  cooldown: 15m\n  max_length: 10m\n  per_day: 2\n",
)


@dataclass(eq=False)
class MovingClocks:
    """A wall clock and an elapsed clock that tests move separately."""

    wall_at: datetime = T0
    elapsed_at: float = 1000.0
    boot: str = "boot-1"

    def wall(self) -> datetime:
        return self.wall_at

    def elapsed(self) -> float:
        return self.elapsed_at

    def boot_id(self) -> str:
        return self.boot

    def doubts(self) -> str:
        return ""

    def let_pass(self, delta: timedelta) -> None:
        self.wall_at += delta
        self.elapsed_at += delta.total_seconds()


# A browser every machine "has" (its program is sh), with its policy folder in the sandbox.
TEST_BROWSER = Browser(
    "testium",
    "Testium",
    "chromium",
    ("sh",),
    "/etc/testium/policies/managed",
    (),
)


def start(
    paths: Paths, clocks: MovingClocks, browsers: tuple[Browser, ...] = ()
) -> tuple[Engine, Requests]:
    engine = Engine(paths, shipped_catalog(), ZONE, frozenset(), clocks, browsers=browsers)
    engine.step()
    return engine, Requests(engine)


def blocked(paths: Paths) -> frozenset[str]:
    return blocked_names(paths.hosts.read_text())


def test_the_first_start_blocks_and_keeps_its_state_privately(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    assert "alexblog.example.com" in blocked(paths)
    assert [e.name for e in engine.drain_events()] == ["block_started"]
    assert stat.S_IMODE(engine.store.path.stat().st_mode) == 0o600


def test_a_pause_waits_out_the_cooldown_then_lifts_the_block_until_it_ends(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    answer = requests.handle({"op": "pause"})
    assert answer["ok"], answer
    assert status(engine).to_json()["pause"]["state"] == "cooldown"
    clocks.let_pass(15 * MIN - timedelta(seconds=1))
    engine.step()
    assert blocked(paths)
    clocks.let_pass(timedelta(seconds=1))
    engine.step()
    assert not blocked(paths)
    assert status(engine).to_json()["pause"]["state"] == "active"
    clocks.let_pass(10 * MIN)
    engine.step()
    assert blocked(paths)
    events = [e.name for e in engine.drain_events()]
    assert events[-2:] == ["pause_started", "pause_ended"]  # one event each, no block_*


def test_moving_the_wall_clock_forty_days_neither_ends_the_block_nor_the_cooldown(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "pause"})
    clocks.wall_at += timedelta(days=40)
    engine.step()
    assert blocked(paths)
    assert status(engine).to_json()["pause"]["state"] == "cooldown"
    clocks.wall_at -= timedelta(days=80)
    engine.step()
    assert blocked(paths)
    assert status(engine).to_json()["pause"]["state"] == "cooldown"


def test_a_restart_keeps_the_cooldown_already_served(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "pause"})
    clocks.let_pass(10 * MIN)
    engine.save()
    clocks.wall_at += timedelta(days=40)  # and someone moves the clock while it is down
    restarted, _ = start(paths, clocks)
    assert status(restarted).to_json()["pause"]["state"] == "cooldown"
    clocks.let_pass(5 * MIN)
    restarted.step()
    assert status(restarted).to_json()["pause"]["state"] == "active"


def test_a_reboot_keeps_pending_requests_and_never_runs_time_backwards(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "pause"})
    engine.save()
    rebooted = MovingClocks(wall_at=T0 - timedelta(days=3), elapsed_at=5.0, boot="boot-2")
    after, _ = start(paths, rebooted)
    assert after.trusted_now() == T0
    assert status(after).to_json()["pause"]["state"] == "cooldown"


def test_a_clock_set_forward_across_a_reboot_serves_no_cooldown(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})
    requests.handle({"op": "pause"})
    clocks.let_pass(5 * MIN)
    engine.save()
    rebooted = MovingClocks(wall_at=clocks.wall_at + timedelta(days=2), elapsed_at=5.0, boot="b2")
    after, _ = start(paths, rebooted)
    assert "alexphotos.example.org" in blocked(paths)
    assert status(after).to_json()["pause"]["state"] == "cooldown"
    rebooted.let_pass(10 * MIN - timedelta(seconds=1))
    after.step()
    assert "alexphotos.example.org" in blocked(paths)
    rebooted.let_pass(timedelta(seconds=1))
    after.step()
    assert status(after).to_json()["pause"]["state"] == "active"  # both matured, 15 minutes served
    assert "unblock alexphotos.example.org" not in str(status(after).to_json()["pause"]["pending"])


def test_removing_a_target_waits_for_the_cooldown_and_can_be_cancelled(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    answer = requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})
    assert answer["ok"], answer
    assert answer["waits_until"] is not None
    assert "alexphotos.example.org" not in paths.config.read_text()
    engine.step()
    assert "alexphotos.example.org" in blocked(paths)
    clocks.let_pass(15 * MIN)
    engine.step()
    assert "alexphotos.example.org" not in blocked(paths)
    assert "alexblog.example.com" in blocked(paths)


def test_a_cancelled_removal_keeps_the_target_blocked(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})
    assert requests.handle({"op": "cancel"})["cancelled"] == ["r1"]
    clocks.let_pass(30 * MIN)
    engine.step()
    assert "alexphotos.example.org" in blocked(paths)


def test_adding_a_target_applies_at_once_even_while_a_loosening_waits(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})
    assert requests.handle({"op": "add", "target": "newsite.example.net", "site": True})["ok"]
    engine.step()
    assert {"newsite.example.net", "alexphotos.example.org"} <= blocked(paths)


def test_an_edit_that_shortens_the_cooldown_is_itself_gated(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    paths.config.write_text(LIST.replace("cooldown: 15m", "cooldown: 0s"))
    engine.step()
    assert status(engine).to_json()["pause"]["pending"][0]["summary"] == "shorten the cooldown"
    assert requests.handle({"op": "pause"})["matures_at"] == "2026-11-27T21:15:00+01:00"


def test_a_broken_edit_is_rejected_and_the_block_stays(paths: Paths, clocks: MovingClocks) -> None:
    engine, _ = start(paths, clocks)
    paths.config.write_text("period: [\n")
    engine.step()
    assert blocked(paths)
    rejected = [e for e in engine.drain_events() if e.name == "config_rejected"]
    assert f"{paths.config}:2:1" in rejected[0].message


def test_stop_waits_for_the_cooldown_and_start_is_instant(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "stop"})
    clocks.let_pass(15 * MIN)
    engine.step()
    assert not blocked(paths)
    assert status(engine).to_json()["stopped"] is True
    requests.handle({"op": "start"})
    engine.step()
    assert blocked(paths)


def test_a_sandbox_daemons_events_suggest_commands_in_its_sandbox(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "stop"})
    clocks.let_pass(15 * MIN)
    engine.step()
    said = [event.message for event in engine.drain_events()]
    sandbox = paths.root.parent
    assert (
        f"the cooldown is over: blocking is stopped until `blocker --sandbox {sandbox} start`"
        in said
    )
    refused = requests.handle({"op": "stop"})
    assert refused["error"] == (
        f"blocking is already stopped; `blocker --sandbox {sandbox} start` ends that"
    )


def test_a_matured_uninstall_lifts_the_block_and_leaves_nothing_behind(
    paths: Paths, clocks: MovingClocks
) -> None:
    original = paths.hosts.read_bytes()
    engine, requests = start(paths, clocks)
    requests.handle({"op": "uninstall"})
    clocks.let_pass(15 * MIN)
    engine.step()
    assert engine.uninstall_due
    engine.forget_state()
    assert paths.hosts.read_bytes() == original
    assert not paths.state_dir.exists()  # its folder too, the extension's key with it


def test_an_uninstall_that_matures_while_the_block_is_held_lifts_what_is_held_too(
    paths: Paths, clocks: MovingClocks
) -> None:
    original = paths.hosts.read_bytes()
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    requests.handle({"op": "uninstall"})
    # Then a hold begins (as after an old state put back): held pages, longer than the wait.
    until = engine.trusted_now() + timedelta(hours=2)
    held = Held(("held.example.org",), ("instagram.com/held.one",), until, "a test")
    engine.save(held=held)
    engine.step()
    assert "held.example.org" in blocked(paths)
    clocks.let_pass(15 * MIN)
    engine.step()
    assert engine.uninstall_due
    engine.forget_state()  # refuses while anything is still in the hosts file
    assert paths.hosts.read_bytes() == original
    # No policy left behind, for nobody to remove: blocker's file is gone.
    assert not (paths.root / "etc/testium/policies/managed/zzz-blocker.json").exists()


def test_a_pause_of_a_number_too_large_for_a_date_is_refused_naming_the_longest_pause(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    before = engine.store.path.read_bytes()
    answer = requests.handle({"op": "pause", "length": "99999999999999999999999d"})
    assert answer == {
        "ok": False,
        "error": "a pause can last at most 10m; "
        f"`blocker --sandbox {paths.sandbox_dir} pause 10m` asks for that",
    }
    assert engine.store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"op": "launch-missiles"}, "unknown request"),
        ({"op": "pause", "length": 5}, "'length' must be text"),
        ({"op": "pause", "length": "forever"}, "like 10m, 10 minutes, 1 hour"),
        ({"op": "pause", "length": "1h"}, "at most 10m"),
        ({"op": "cancel", "id": "r77"}, "no waiting request"),
        ({"op": "add", "target": "https://unknown.example/x"}, "not a site blocker knows"),
        ({"op": "add"}, "say what to add"),
    ],
)
def test_a_wrong_request_gets_an_error_answer_and_changes_nothing(
    paths: Paths, clocks: MovingClocks, message: dict[str, object], error: str
) -> None:
    engine, requests = start(paths, clocks)
    before = engine.store.path.read_bytes(), paths.config.read_bytes()
    answer = requests.handle(message)
    assert answer["ok"] is False
    assert error in answer["error"]
    assert (engine.store.path.read_bytes(), paths.config.read_bytes()) == before


def test_undoing_a_loosening_edit_in_the_file_drops_the_waiting_request(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    paths.config.write_text(LIST.replace("  - alexphotos.example.org\n", ""))
    engine.step()
    assert status(engine).to_json()["pause"]["pending"]
    paths.config.write_text(LIST)
    engine.step()
    assert status(engine).to_json()["pause"]["pending"] == []
    assert engine.drain_events()[-1].name == "request_cancelled"


def test_removing_while_not_blocking_applies_at_once(paths: Paths, clocks: MovingClocks) -> None:
    clocks.wall_at = clocks.wall_at.replace(year=2030)
    clocks.elapsed_at += 10 * 365 * 86400
    _, requests = start(paths, clocks)
    answer = requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})
    assert answer["waits_until"] is None


def test_browser_policies_follow_the_block_through_a_pause_and_its_end(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    policy = paths.root / "etc/testium/policies/managed/zzz-blocker.json"
    assert "instagram.com/alex.example" in policy.read_text()
    assert "policies_changed" in [e.name for e in engine.drain_events()]
    requests.handle({"op": "pause"})
    clocks.let_pass(15 * MIN)
    engine.step()
    assert not policy.exists()
    clocks.let_pass(10 * MIN)
    engine.step()
    assert policy.exists()
    policy.unlink()  # someone deletes our policy file
    engine.step()
    assert policy.exists()
    assert engine.drain_events()[-1].name == "policies_changed"


@dataclass(eq=False)
class TickingClocks(MovingClocks):
    """Clocks that move on by a millisecond every time they are read, as real ones do."""

    def wall(self) -> datetime:
        self.let_pass(timedelta(milliseconds=1))
        return self.wall_at


def test_a_step_just_before_the_start_wakes_again_at_the_start_not_at_the_end(
    tmp_path: Path,
) -> None:
    paths = sandbox_paths(
        tmp_path,
        block_list(start="2026-11-27 21:00", length="days: 1", sites="  - alexblog.example.com\n"),
    )
    start_instant = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
    for early in range(1, 12):  # wherever the reads of one step fall around the start
        clocks = TickingClocks(wall_at=start_instant - timedelta(milliseconds=early))
        engine = Engine(paths, shipped_catalog(), ZONE, frozenset(), clocks, browsers=())
        delay = engine.step()
        assert blocked(paths) or delay < 1.0, early
        engine.layers.hosts.reconcile(())
        engine.store.path.unlink()
