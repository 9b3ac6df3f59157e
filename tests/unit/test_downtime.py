"""Time the daemon was not running serves no cooldown: on start, every waiting request
moves later by the time since the saved checkpoint, so an older sealed state put back
(a copy taken before a cancel) gains nothing. The engine on real files, driven by test
clocks; a "kill -9" is an engine dropped without saving."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from blocker.core.report import local_iso
from blocker.daemon.engine import Engine
from blocker.daemon.status import status
from blocker.system.paths import Paths
from tests.helpers import ZONE
from tests.unit.test_engine import MIN, MovingClocks, blocked, start
from tests.unit.test_lost_state import REMOVED, lose_both, waiting_removal

SECOND = timedelta(seconds=1)
# Each loosening, and what still waits after the old state is put back: a removal's
# edit is undone once more, as the cancel wrote the block list back as it was in force.
ASKS: dict[str, tuple[dict[str, object], list[str]]] = {
    "stop": ({"op": "stop"}, ["stop"]),
    "uninstall": ({"op": "uninstall"}, ["uninstall"]),
    "forget": ({"op": "forget"}, ["forget"]),
    "pause": ({"op": "pause"}, ["pause"]),
    "remove": ({"op": "remove", "target": "alexphotos.example.org", "site": True}, []),
}


def state_files(engine: Engine) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (engine.store.path, engine.store.copy_path)}


def put_back(engine: Engine, saved: dict[str, bytes]) -> None:
    for path in (engine.store.path, engine.store.copy_path):
        path.write_bytes(saved[path.name])


def pending(engine: Engine) -> list[dict[str, str]]:
    return list(status(engine).to_json()["pause"]["pending"])


def test_a_state_put_back_after_a_cancel_does_not_stop_the_block_and_the_stop_waits_again(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    assert requests.handle({"op": "stop"})["ok"]
    saved = state_files(engine)  # copied aside while the stop waits
    assert requests.handle({"op": "cancel"})["cancelled"] == ["r1"]
    clocks.let_pass(20 * MIN)  # beyond the stop's maturity, the daemon running
    engine.step()
    engine.save()
    put_back(engine, saved)  # after a kill -9
    restarted, requests = start(paths, clocks)
    assert blocked(paths)
    assert status(restarted).to_json()["stopped"] is False
    again_due = local_iso(restarted.trusted_now() + 15 * MIN, ZONE)
    assert [(r["id"], r["kind"], r["matures_at"]) for r in pending(restarted)] == [
        ("r1", "stop", again_due)
    ]
    clocks.let_pass(15 * MIN - SECOND)
    restarted.step()
    assert blocked(paths)
    assert requests.handle({"op": "cancel", "id": "r1"})["cancelled"] == ["r1"]
    clocks.let_pass(MIN)
    restarted.step()
    assert blocked(paths)
    assert status(restarted).to_json()["stopped"] is False
    assert pending(restarted) == []


def test_an_old_copy_alone_put_back_in_place_of_the_state_file_does_not_stop_the_block(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "stop"})
    saved = state_files(engine)
    requests.handle({"op": "cancel"})
    clocks.let_pass(20 * MIN)
    engine.step()
    engine.store.path.unlink()  # so that blocker goes on from its copy
    engine.store.copy_path.write_bytes(saved[engine.store.copy_path.name])
    restarted, _ = start(paths, clocks)
    clocks.let_pass(15 * MIN - SECOND)
    restarted.step()
    assert blocked(paths)
    assert [r["kind"] for r in pending(restarted)] == ["stop"]


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_no_cancelled_loosening_applies_from_a_state_put_back_and_each_waits_a_full_cooldown(
    paths: Paths, clocks: MovingClocks, kind: str
) -> None:
    engine, requests = start(paths, clocks)
    ask, still_waiting = ASKS[kind]
    assert requests.handle(ask)["ok"]
    saved, names = state_files(engine), blocked(paths)
    requests.handle({"op": "cancel"})
    clocks.let_pass(3 * 15 * MIN)
    engine.step()
    put_back(engine, saved)
    restarted, _ = start(paths, clocks)
    clocks.let_pass(15 * MIN - SECOND)
    restarted.step()
    assert [r["kind"] for r in pending(restarted)] == still_waiting
    assert blocked(paths) == names
    assert not restarted.uninstall_due
    happened = {e.name for e in restarted.drain_events()}
    assert not happened & {"stopped", "forgotten", "pause_started", "config_applied"}


def test_a_short_restart_moves_a_waiting_request_later_by_that_downtime_only(
    paths: Paths, clocks: MovingClocks, caplog: pytest.LogCaptureFixture
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "stop"})
    [asked] = engine.state.gate.pending
    clocks.let_pass(5 * MIN)
    engine.save()  # the last checkpoint before the daemon stops
    clocks.let_pass(7 * SECOND)  # while it is down
    with caplog.at_level(logging.INFO, logger="blocker.daemon.recovery"):
        restarted, _ = start(paths, clocks)
    assert restarted.trusted_now() == clocks.wall_at  # the trusted clock ran on unchanged
    [waiting] = restarted.state.gate.pending
    assert waiting.matures_at == asked.matures_at + 7 * SECOND
    said = [r.getMessage() for r in caplog.records if "was not running" in r.getMessage()]
    assert said == ["the daemon was not running for 7s: waiting requests wait that much longer"]
    clocks.let_pass(10 * MIN - SECOND)  # 15 minutes after the ask, and 7 s more
    restarted.step()
    assert blocked(paths)
    clocks.let_pass(SECOND)
    restarted.step()
    assert not blocked(paths)


def test_a_crash_loses_at_most_the_time_since_the_last_checkpoint(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "stop"})
    [asked] = engine.state.gate.pending
    clocks.let_pass(4 * MIN)
    engine.save()  # the loop's checkpoint, at most a minute before the kill
    clocks.let_pass(40 * SECOND)  # running, not saved, then killed
    clocks.let_pass(3 * SECOND)  # down
    restarted, _ = start(paths, clocks)
    [waiting] = restarted.state.gate.pending
    assert waiting.matures_at == asked.matures_at + 43 * SECOND


def test_a_restart_does_not_lengthen_a_running_pause(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    requests.handle({"op": "pause"})
    clocks.let_pass(15 * MIN)
    engine.step()
    assert not blocked(paths)
    ends_at = status(engine).to_json()["pause"]["ends_at"]
    clocks.let_pass(2 * MIN)  # down
    restarted, _ = start(paths, clocks)
    assert status(restarted).to_json()["pause"]["ends_at"] == ends_at
    clocks.let_pass(8 * MIN)
    restarted.step()
    assert blocked(paths)


def test_a_hold_after_a_lost_state_lasts_the_time_the_daemon_was_down_longer(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine = waiting_removal(paths, clocks)
    lose_both(engine)
    holding, _ = start(paths, clocks)
    until = datetime.fromisoformat(status(holding).to_json()["held"]["until"])
    clocks.let_pass(5 * MIN)
    holding.save()
    clocks.let_pass(3 * MIN)  # down
    again, _ = start(paths, clocks)
    later = datetime.fromisoformat(status(again).to_json()["held"]["until"])
    assert later - until == 3 * MIN
    clocks.let_pass(10 * MIN - SECOND)
    again.step()
    assert REMOVED in blocked(paths)
    clocks.let_pass(SECOND)
    again.step()
    assert REMOVED not in blocked(paths)
