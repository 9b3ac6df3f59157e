"""The daemon's state file: everything survives a round trip; a file blocker did not write
as it is (missing, damaged, edited, of another version) is never believed."""

from __future__ import annotations

import dataclasses
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from blocker.core.clock import Checkpoint
from blocker.core.config import PauseRules
from blocker.core.gate import DayCount, GateState, advance, ask_loosening, ask_pause, cancel
from blocker.core.witness import Held
from blocker.daemon.store import Loaded, State, StateFile

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)


def busy_state() -> State:
    rules = PauseRules()
    gate, _ = ask_pause(GateState(), T0, rules, UTC, blocking=True)
    gate = advance(gate, T0 + timedelta(minutes=15), UTC, blocking=True).state
    gate, _ = ask_loosening(
        gate,
        T0 + timedelta(minutes=16),
        rules,
        committed=True,
        kind="config",
        summary="unblock x",
        payload="period: {}\n",
    )
    held = Held(("alexblog.example.com",), ("instagram.com/alex.example",), T0, "lost")
    return State(Checkpoint("boot", 12.5, T0), "period: {}\n", gate, stopped=False, held=held)


def store_in(folder: Path) -> StateFile:
    return StateFile(folder / "state" / "state.json", UTC)


def test_the_state_survives_saving_and_loading_exactly(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    loaded = store.load()
    assert loaded.state == busy_state()
    assert loaded.lost is None


def test_the_state_file_and_its_key_are_private(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_no_state_and_no_key_is_a_first_start(tmp_path: Path) -> None:
    loaded = store_in(tmp_path).load()
    assert loaded.state is None
    assert loaded.lost is None


def test_a_deleted_state_file_is_reported_lost_because_its_key_remains(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    store.path.unlink()
    store.copy_path.unlink()
    loaded = store.load()
    assert loaded.state is None
    assert loaded.lost is not None
    assert "missing" in loaded.lost


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d["state"]["gate"]["pending"][0].update(matures_at=T0.isoformat()), "changed"),
        (lambda d: d["state"].update(stopped=True), "changed"),
        (lambda d: d.update(version=7), "unknown version"),
        (lambda d: d.update(seal="0" * 64), "changed"),
        (lambda d: d.pop("state"), "changed"),
    ],
    ids=["matures-earlier", "stopped", "unknown-version", "forged-seal", "no-state"],
)
def test_a_state_file_edited_by_hand_counts_as_damaged_and_is_kept_aside(
    tmp_path: Path, change: object, why: str
) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    store.copy_path.unlink()
    data = json.loads(store.path.read_text())
    change(data)  # type: ignore[operator]
    store.path.write_text(json.dumps(data))
    loaded = store.load()
    assert loaded.state is None
    assert loaded.lost is not None
    assert why in loaded.lost
    assert str(store.path) in loaded.lost
    assert store.path.with_name("state.json.damaged").exists()


def test_garbage_in_the_state_file_is_damage_not_a_crash(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.path.parent.mkdir()
    for garbage in ('{"version": 2, "gate": {"pending": [{"id"', "[]", "\x00\xff", "null"):
        store.path.write_bytes(garbage.encode("latin-1"))
        loaded = store.load()
        assert loaded.state is None
        assert loaded.lost is not None


def test_a_missing_key_makes_the_state_unbelievable(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    store.key_path.unlink()
    loaded = store.load()
    assert loaded.state is None
    assert loaded.lost is not None
    assert "key" in loaded.lost


def test_a_version_one_file_is_migrated_with_its_history_counted_per_day(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.path.parent.mkdir()
    marks = [("2026-11-26T10:00:00+00:00", "asked"), ("2026-11-26T10:05:00+00:00", "cancelled")]
    marks += [("2026-11-27T09:00:00+00:00", "asked"), ("2026-11-27T09:15:00+00:00", "started")]
    version_one = {
        "version": 1,
        "checkpoint": Checkpoint("boot", 1.0, T0).to_json(),
        "gate": {
            "pending": [],
            "pause": None,
            "history": [{"at": at, "what": what} for at, what in marks],
            "next_id": 4,
        },
        "in_force": "period: {}\n",
        "stopped": False,
    }
    store.path.write_text(json.dumps(version_one))
    loaded = store.load()
    assert loaded.state is not None
    assert loaded.state.gate.history == (
        DayCount(T0.date() - timedelta(days=1), asked=1, cancelled=1),
        DayCount(T0.date(), asked=1, started=1),
    )
    assert loaded.state.gate.next_id == 4
    # Nothing vouches for a file without a seal: the engine goes by the machine too.
    assert loaded.lost is not None
    assert "older blocker" in loaded.lost
    store.save(loaded.state)
    assert store.load() == Loaded(loaded.state, None)


def test_three_thousand_pause_cycles_keep_the_state_file_small(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    rules = PauseRules(per_day=24)
    gate = GateState()
    for n in range(3000):
        at = T0 + timedelta(minutes=3 * n)
        gate, _ = ask_pause(gate, at, rules, UTC, blocking=True)
        gate, _, _ = cancel(gate, at + timedelta(minutes=1), UTC)
    store.save(State(Checkpoint("boot", 1.0, T0), "period: {}\n", gate))
    assert store.path.stat().st_size < 4096


def test_a_state_copied_from_another_place_with_its_key_is_not_believed(tmp_path: Path) -> None:
    elsewhere = store_in(tmp_path / "throwaway")
    elsewhere.save(busy_state())
    here = store_in(tmp_path / "real")
    here.path.parent.mkdir(parents=True)
    for name in ("state.json", "state.json.key"):
        (here.path.parent / name).write_bytes((elsewhere.path.parent / name).read_bytes())
    loaded = here.load()
    assert loaded.state is None
    assert loaded.lost is not None
    assert "changed by something other than blocker" in loaded.lost


def test_a_deleted_or_damaged_state_file_is_replaced_by_its_sealed_copy(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.save(busy_state())
    store.path.unlink()
    assert store.load() == Loaded(busy_state(), None)
    store.save(busy_state())
    store.path.write_text("{ garbage")
    assert store.load() == Loaded(busy_state(), None)
    assert store.path.with_name("state.json.damaged").exists()


def test_the_copy_is_written_only_when_more_than_the_clock_changed(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    state = busy_state()
    store.save(state)
    written = store.copy_path.stat().st_mtime_ns
    store.copy_path.write_bytes(store.copy_path.read_bytes())  # a marker of "untouched"
    marker = store.copy_path.stat().st_mtime_ns
    later = dataclasses.replace(state, checkpoint=Checkpoint("boot", 99.0, T0))
    store.save(later)
    assert store.copy_path.stat().st_mtime_ns == marker
    store.save(dataclasses.replace(later, stopped=True))
    assert store.copy_path.stat().st_mtime_ns >= max(marker, written)
    assert '"stopped": true' in store.copy_path.read_text()
