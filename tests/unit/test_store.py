"""The daemon's state file: everything survives a round trip; damage never stops the block."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from blocker.clock import Checkpoint
from blocker.config import PauseRules
from blocker.gate import GateState, advance, ask_loosening, ask_pause
from blocker.store import State, StateFile

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)


def busy_state() -> State:
    rules = PauseRules()
    gate, _ = ask_pause(GateState(), T0, rules, UTC, blocking=True)
    gate = advance(gate, T0 + timedelta(minutes=15), blocking=True).state
    gate, _ = ask_loosening(
        gate,
        T0 + timedelta(minutes=16),
        rules,
        blocking=True,
        kind="config",
        summary="unblock x",
        payload="period: {}\n",
    )
    return State(Checkpoint("boot", 12.5, T0), "period: {}\n", gate, stopped=False)


def test_the_state_survives_saving_and_loading_exactly(tmp_path: Path) -> None:
    store = StateFile(tmp_path / "state" / "state.json")
    store.save(busy_state())
    assert store.load() == busy_state()


def test_the_state_file_is_private(tmp_path: Path) -> None:
    store = StateFile(tmp_path / "state" / "state.json")
    store.save(busy_state())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_a_missing_state_file_means_a_fresh_start(tmp_path: Path) -> None:
    assert StateFile(tmp_path / "state.json").load() is None


def test_a_damaged_state_file_is_kept_aside_and_the_daemon_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"version": 1, "gate": {"pending": [{"id"')
    assert StateFile(path).load() is None
    assert (tmp_path / "state.json.damaged").exists()
