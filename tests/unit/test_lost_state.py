"""The machine is the witness: when the state file is deleted, damaged, edited or of an
unknown version, what blocker's layers enforce still counts as in force, and anything
looser waits a fresh cooldown. The engine on real files, driven by test clocks."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from blocker.daemon.status import status
from blocker.enforce.chromium import OUR_FILE
from blocker.system.paths import Paths
from tests.unit.test_engine import LIST, MIN, TEST_BROWSER, MovingClocks, blocked, start

REMOVED = "alexphotos.example.org"


def waiting_removal(paths: Paths, clocks: MovingClocks) -> Engine:
    """A running engine with the removal of REMOVED waiting out its 15 minutes."""
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    answer = requests.handle({"op": "remove", "target": REMOVED, "site": True})
    assert answer["waits_until"] is not None
    engine.step()
    assert REMOVED in blocked(paths)
    return engine


def lose_both(engine: Engine) -> None:
    engine.store.path.unlink()
    engine.store.copy_path.unlink()


def _delete(state: Path) -> None:
    state.unlink()


def _garbage(state: Path) -> None:
    state.write_text("{ this is not json")


def _unknown_version(state: Path) -> None:
    data = json.loads(state.read_text())
    state.write_text(json.dumps({**data, "version": 99}))


def _matures_now(state: Path) -> None:
    data = json.loads(state.read_text())
    request = data["state"]["gate"]["pending"][0]
    request["matures_at"] = request["asked_at"]
    state.write_text(json.dumps(data))


def _whole_folder(state: Path) -> None:
    shutil.rmtree(state.parent)


@pytest.mark.parametrize(
    "lose",
    [_delete, _garbage, _unknown_version, _matures_now, _whole_folder],
    ids=["deleted", "garbage", "unknown-version", "matures-moved-into-the-past", "folder-gone"],
)
def test_a_lost_state_never_applies_the_waiting_removal_early(
    paths: Paths, clocks: MovingClocks, lose: Callable[[Path], None]
) -> None:
    engine = waiting_removal(paths, clocks)
    clocks.let_pass(5 * MIN)
    lose(engine.store.path)
    if engine.store.path.parent.exists():
        lose(engine.store.copy_path)  # the state and its copy both
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    assert REMOVED in blocked(paths)
    held = status(restarted).to_json()["held"]
    assert held is not None
    assert REMOVED in held["domains"]
    assert "alexblog.example.com" not in held["domains"]
    assert "block_held" in [e.name for e in restarted.drain_events()]
    # A fresh cooldown from the restart, not what was left of the old one.
    clocks.let_pass(15 * MIN - timedelta(seconds=1))
    restarted.step()
    assert REMOVED in blocked(paths)
    clocks.let_pass(timedelta(seconds=1))
    restarted.step()
    assert REMOVED not in blocked(paths)
    assert "alexblog.example.com" in blocked(paths)
    assert status(restarted).to_json()["held"] is None


def test_a_profile_whose_removal_waited_stays_in_the_browser_policy_after_a_loss(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    requests.handle({"op": "remove", "target": "instagram: alex.example"})
    engine.step()
    lose_both(engine)
    start(paths, clocks, (TEST_BROWSER,))
    ours = paths.root / TEST_BROWSER.linux.lstrip("/") / OUR_FILE
    entries = json.loads(ours.read_text())["URLBlocklist"]
    assert "instagram.com/alex.example" in entries


def test_a_block_list_that_ends_the_period_and_a_lost_state_still_wait_a_cooldown(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    paths.config.write_text(LIST.replace("start: 2026-11-20", "start: 2030-01-01"))
    lose_both(engine)
    restarted, _ = start(paths, clocks)
    assert {REMOVED, "alexblog.example.com"} <= blocked(paths)
    assert restarted.enforcing
    clocks.let_pass(16 * MIN)
    restarted.step()
    assert not blocked(paths)


def test_a_cooldown_shortened_in_the_file_does_not_shorten_the_hold(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    text = paths.config.read_text().replace("cooldown: 15m", "cooldown: 0s")
    paths.config.write_text(text)
    lose_both(engine)
    restarted, _ = start(paths, clocks)
    clocks.let_pass(14 * MIN)
    restarted.step()
    assert REMOVED in blocked(paths)


def test_while_the_block_is_held_pauses_and_stops_are_refused_and_cancel_works(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    lose_both(engine)
    restarted, _ = start(paths, clocks)
    requests = Requests(restarted)
    for op in ("pause", "stop", "uninstall"):
        answer = requests.handle({"op": op})
        assert not answer["ok"], op
        assert "holds the block as it found it" in answer["error"]
    assert requests.handle({"op": "cancel"})["ok"]
    assert REMOVED in blocked(paths)


def test_the_hold_survives_a_restart_of_its_own(paths: Paths, clocks: MovingClocks) -> None:
    engine = waiting_removal(paths, clocks)
    lose_both(engine)
    held = start(paths, clocks)[0]
    until = status(held).to_json()["held"]["until"]
    clocks.let_pass(5 * MIN)
    held.save()
    again, _ = start(paths, clocks)
    assert status(again).to_json()["held"]["until"] == until
    assert "block_held" not in [e.name for e in again.drain_events()]


def test_nothing_is_held_when_the_block_list_covers_what_the_machine_enforces(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    lose_both(engine)
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    assert status(restarted).to_json()["held"] is None
    assert "block_held" not in [e.name for e in restarted.drain_events()]


def test_a_list_in_force_that_newer_limits_refuse_counts_as_lost_and_the_block_holds(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    state = engine.state
    too_long = state.in_force.replace("cooldown: 15m", "cooldown: 3d")  # once taken, now refused
    engine.store.save(dataclasses.replace(state, in_force=too_long))
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    assert REMOVED in blocked(paths)
    assert status(restarted).to_json()["held"] is not None
    assert "no longer reads" in status(restarted).to_json()["held"]["reason"]
    clocks.let_pass(MIN)
    restarted.step()  # and every step after works
    assert REMOVED in blocked(paths)


def test_a_waiting_edit_that_newer_limits_refuse_is_dropped_and_the_block_stays(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    [waiting] = engine.state.gate.pending
    assert waiting.payload is not None
    refused = dataclasses.replace(waiting, payload=waiting.payload + "strict: maybe\n")
    gate_state = dataclasses.replace(engine.state.gate, pending=(refused,))
    engine.store.save(dataclasses.replace(engine.state, gate=gate_state))
    clocks.let_pass(10 * MIN)  # two thirds of the old wait served: not carried over
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    asked_again = restarted.pending_config()
    assert asked_again is not None  # the file's edit, asked for afresh
    assert asked_again.matures_at == restarted.trusted_now() + 15 * MIN
    clocks.let_pass(14 * MIN)
    restarted.step()
    assert REMOVED in blocked(paths)


def test_an_old_copy_of_the_state_put_back_holds_what_the_machine_blocks_beyond_it(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    requests.handle({"op": "remove", "target": REMOVED, "site": True})
    clocks.let_pass(16 * MIN)
    engine.step()
    assert REMOVED not in blocked(paths)
    old_copy = engine.store.path.read_bytes()  # the removal done: a state without it
    requests.handle({"op": "add", "target": REMOVED, "site": True})
    clocks.let_pass(6 * MIN)  # no longer fresh: its removal waits (core/fresh.py)
    engine.step()
    requests.handle({"op": "remove", "target": REMOVED, "site": True})
    engine.store.path.write_bytes(old_copy)  # and put back while the daemon is down
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    assert REMOVED in blocked(paths)
    held = status(restarted).to_json()["held"]
    assert held is not None
    assert REMOVED in held["domains"]


def test_a_saved_stopped_state_put_back_does_not_stop_a_running_block(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    stopped = dataclasses.replace(engine.state, stopped=True)
    engine.store.save(stopped)  # as if copied back from a day it was stopped
    restarted, _ = start(paths, clocks)
    assert restarted.enforcing
    assert REMOVED in blocked(paths)


def test_after_a_loss_loosening_waits_at_least_the_default_cooldown_whatever_the_file_says(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    lose_both(engine)
    paths.config.write_text(paths.config.read_text().replace("cooldown: 15m", "cooldown: 0s"))
    restarted, requests = start(paths, clocks)
    answer = requests.handle({"op": "remove", "target": REMOVED, "site": True})
    assert answer["waits_until"] is not None
    clocks.let_pass(14 * MIN)
    restarted.step()
    assert REMOVED in blocked(paths)
    clocks.let_pass(MIN)
    restarted.step()
    assert REMOVED not in blocked(paths)


@pytest.mark.parametrize(
    "lose", [_delete, _garbage, _matures_now], ids=["deleted", "garbage", "edited"]
)
def test_losing_only_the_state_file_goes_on_from_its_copy_whose_wait_is_not_shortened(
    paths: Paths, clocks: MovingClocks, lose: Callable[[Path], None]
) -> None:
    engine = waiting_removal(paths, clocks)
    [waiting] = engine.state.gate.pending
    clocks.let_pass(5 * MIN)
    engine.save()
    lose(engine.store.path)
    restarted, _ = start(paths, clocks, (TEST_BROWSER,))
    # The copy's checkpoint is from when the removal was asked (only a change of more
    # than the clock rewrites it), so the five minutes since count as time not seen.
    assert restarted.pending_config() == dataclasses.replace(
        waiting, matures_at=waiting.matures_at + 5 * MIN
    )
    assert status(restarted).to_json()["held"] is None
    clocks.let_pass(15 * MIN - timedelta(seconds=1))
    restarted.step()
    assert REMOVED in blocked(paths)
    clocks.let_pass(timedelta(seconds=1))
    restarted.step()
    assert REMOVED not in blocked(paths)


def test_with_the_state_lost_and_the_list_broken_the_hold_lasts_until_the_list_reads(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    engine.step()
    assert REMOVED in blocked(paths)
    lose_both(engine)
    good = paths.config.read_text()
    paths.config.write_text(good + "profiles: [oops\n")  # a YAML mistake
    after, _ = start(paths, clocks, (TEST_BROWSER,))
    for _ in range(4):  # an hour and more: far past a 15-minute hold
        clocks.let_pass(20 * MIN)
        after.step()
        assert REMOVED in blocked(paths)
        assert after.holding()
    paths.config.write_text(good.replace(f"  - {REMOVED}\n", ""))  # mended, REMOVED left out
    after.step()
    assert after.state.in_force == paths.config.read_text()
    assert REMOVED in blocked(paths)  # held for a fresh cooldown from now
    clocks.let_pass(14 * MIN)
    after.step()
    assert REMOVED in blocked(paths)
    clocks.let_pass(2 * MIN)
    after.step()
    assert REMOVED not in blocked(paths)
