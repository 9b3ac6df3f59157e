"""The gate with plain datetimes: loosening waits out the cooldown, tightening is instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from blocker.core.config import PauseRules
from blocker.core.gate import (
    HISTORY_DAYS,
    GateError,
    GateState,
    MistakenRequest,
    advance,
    ask_loosening,
    ask_pause,
    cancel,
    is_paused,
    next_event,
    pause_refusal,
    postponed,
    week_counts,
)

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
RULES = PauseRules(cooldown=timedelta(minutes=15), max_length=timedelta(minutes=10), per_day=2)
MIN = timedelta(minutes=1)


def paused_once(state: GateState | None = None, at: datetime = T0) -> GateState:
    state = state or GateState()
    state, _ = ask_pause(state, at, RULES, UTC, blocking=True)
    return advance(state, at + 15 * MIN, UTC, blocking=True).state


def test_a_pause_starts_exactly_when_the_cooldown_is_over_and_ends_by_itself() -> None:
    state, request = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    assert request.matures_at == T0 + 15 * MIN
    assert next_event(state) == T0 + 15 * MIN
    early = advance(state, T0 + 15 * MIN - timedelta(seconds=1), UTC, blocking=True)
    assert early.pause_started is None
    assert not is_paused(early.state, T0 + 15 * MIN - timedelta(seconds=1))
    begun = advance(state, T0 + 15 * MIN, UTC, blocking=True)
    assert begun.pause_started is not None
    assert is_paused(begun.state, T0 + 15 * MIN)
    assert next_event(begun.state) == T0 + 25 * MIN
    over = advance(begun.state, T0 + 25 * MIN, UTC, blocking=True)
    assert over.pause_ended
    assert not is_paused(over.state, T0 + 25 * MIN)
    assert next_event(over.state) is None


def test_a_late_wake_up_does_not_lengthen_the_pause() -> None:
    state, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    late = advance(state, T0 + 20 * MIN, UTC, blocking=True)
    assert late.state.pause is not None
    assert late.state.pause.ends_at == T0 + 25 * MIN


def test_cancel_drops_a_waiting_pause_and_counts_it() -> None:
    state, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    state, dropped, ended = cancel(state, T0 + 5 * MIN, UTC)
    assert [r.kind for r in dropped] == ["pause"]
    assert not ended
    assert advance(state, T0 + 30 * MIN, UTC, blocking=True).state.pause is None
    assert week_counts(state, T0 + 6 * MIN, UTC) == {"asked": 1, "cancelled": 1, "started": 0}


def test_cancel_ends_a_running_pause_at_once() -> None:
    state = paused_once()
    state, _, ended = cancel(state, T0 + 16 * MIN, UTC)
    assert ended
    assert not is_paused(state, T0 + 16 * MIN)


def test_a_pause_is_refused_when_nothing_is_blocked() -> None:
    with pytest.raises(GateError, match="nothing to pause"):
        ask_pause(GateState(), T0, RULES, UTC, blocking=False)


def test_a_pause_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(GateError, match="at most 10m"):
        ask_pause(GateState(), T0, RULES, UTC, blocking=True, length=11 * MIN)


def test_a_pause_of_no_length_is_a_mistake_not_a_refusal() -> None:
    for length in (timedelta(0), timedelta(seconds=30)):
        with pytest.raises(MistakenRequest, match="at least a minute"):
            ask_pause(GateState(), T0, RULES, UTC, blocking=True, length=length)
    seconds = PauseRules(cooldown=MIN, max_length=timedelta(seconds=2), per_day=2)
    _, request = ask_pause(GateState(), T0, seconds, UTC, blocking=True)  # its own limit
    assert request.length == timedelta(seconds=2)
    with pytest.raises(MistakenRequest, match="at least 2s"):
        ask_pause(GateState(), T0, seconds, UTC, blocking=True, length=timedelta(seconds=1))


def test_cancelling_a_request_id_that_never_was_is_a_mistake() -> None:
    with pytest.raises(MistakenRequest, match="no waiting request 'r9'"):
        cancel(GateState(), T0, UTC, "r9")


def test_a_second_pause_is_refused_while_one_waits_or_runs() -> None:
    state, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    with pytest.raises(GateError, match="already waiting"):
        ask_pause(state, T0 + MIN, RULES, UTC, blocking=True)
    with pytest.raises(GateError, match="already on until"):
        ask_pause(paused_once(), T0 + 16 * MIN, RULES, UTC, blocking=True)


def test_the_daily_limit_counts_pauses_used_and_resets_the_next_day() -> None:
    state = paused_once(at=T0)
    state = paused_once(state, at=T0 + 60 * MIN)
    with pytest.raises(GateError, match="today's 2 pauses are used"):
        ask_pause(state, T0 + 120 * MIN, RULES, UTC, blocking=True)
    tomorrow = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    ask_pause(state, tomorrow, RULES, UTC, blocking=True)


def test_cancelled_pauses_do_not_use_up_the_daily_limit() -> None:
    state = GateState()
    for minute in range(0, 50, 10):
        state, _ = ask_pause(state, T0 + minute * MIN, RULES, UTC, blocking=True)
        state, _, _ = cancel(state, T0 + (minute + 1) * MIN, UTC)
    ask_pause(state, T0 + 60 * MIN, RULES, UTC, blocking=True)


def test_a_pause_that_matures_after_the_block_ended_never_starts() -> None:
    state, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    result = advance(state, T0 + 15 * MIN, UTC, blocking=False)
    assert result.pause_started is None
    assert result.state.pause is None
    assert week_counts(result.state, T0 + 16 * MIN, UTC)["started"] == 0


def test_loosening_while_blocking_matures_after_the_cooldown() -> None:
    state, request = ask_loosening(
        GateState(), T0, RULES, committed=True, kind="stop", summary="stop blocking"
    )
    assert request.matures_at == T0 + 15 * MIN
    assert advance(state, T0 + 14 * MIN, UTC, blocking=True).matured == ()
    assert advance(state, T0 + 15 * MIN, UTC, blocking=True).matured == (request,)


def test_loosening_when_not_blocking_matures_at_once() -> None:
    state, request = ask_loosening(
        GateState(), T0, RULES, committed=False, kind="config", summary="remove x", payload="text"
    )
    assert advance(state, T0, UTC, blocking=False).matured == (request,)


def test_a_newer_config_edit_replaces_the_older_one_and_waits_its_own_cooldown() -> None:
    state, older = ask_loosening(
        GateState(), T0, RULES, committed=True, kind="config", summary="first", payload="one"
    )
    state, newer = ask_loosening(
        state, T0 + 14 * MIN, RULES, committed=True, kind="config", summary="second", payload="two"
    )
    assert [r.summary for r in state.pending] == ["second"]
    assert newer.id == older.id  # `blocker cancel r1`, as told the first time, still cancels it
    assert advance(state, T0 + 15 * MIN, UTC, blocking=True).matured == ()
    assert advance(state, T0 + 29 * MIN, UTC, blocking=True).matured == (newer,)


def test_cancel_by_id_drops_only_that_request() -> None:
    state, stop = ask_loosening(GateState(), T0, RULES, committed=True, kind="stop", summary="s")
    state, _ = ask_pause(state, T0, RULES, UTC, blocking=True)
    state, dropped, _ = cancel(state, T0 + MIN, UTC, stop.id)
    assert dropped == (stop,)
    assert [r.kind for r in state.pending] == ["pause"]
    with pytest.raises(GateError, match="no waiting request"):
        cancel(state, T0 + MIN, UTC, "r99")


def test_a_zero_cooldown_lets_the_pause_start_at_once() -> None:
    rules = PauseRules(cooldown=timedelta(0), max_length=10 * MIN, per_day=2)
    state, _ = ask_pause(GateState(), T0, rules, UTC, blocking=True)
    assert advance(state, T0, UTC, blocking=True).pause_started is not None


def test_a_thousand_asked_and_cancelled_pauses_keep_the_history_to_one_line_a_day() -> None:
    state = GateState()
    for minute in range(1000):
        at = T0 + minute * 11 * MIN  # about eight days of asking and cancelling
        state, _ = ask_pause(state, at, RULES, UTC, blocking=True)
        state, _, _ = cancel(state, at + MIN, UTC)
    assert len(state.history) <= HISTORY_DAYS
    last = T0 + 999 * 11 * MIN
    since = datetime.combine(last.date() - timedelta(days=6), datetime.min.time(), UTC)
    in_week = sum(1 for minute in range(1000) if T0 + minute * 11 * MIN >= since)
    assert week_counts(state, last, UTC) == {
        "asked": in_week,
        "cancelled": in_week,
        "started": 0,
    }


def test_the_daily_limit_counts_pauses_by_the_persons_own_calendar_day() -> None:
    evening = timezone(timedelta(hours=-5))
    late = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # still the 27th at 23:00 in that zone
    state, _ = ask_pause(GateState(), late - 30 * MIN, RULES, evening, blocking=True)
    state = advance(state, late - 15 * MIN, evening, blocking=True).state
    state, _ = ask_pause(state, late, RULES, evening, blocking=True)
    state = advance(state, late + 15 * MIN, evening, blocking=True).state
    with pytest.raises(GateError, match="pauses are used"):
        ask_pause(state, late + 30 * MIN, RULES, evening, blocking=True)  # 23:30 there
    ask_pause(state, late + 90 * MIN, RULES, evening, blocking=True)  # 00:30 the next day


def test_postponing_moves_every_waiting_request_and_leaves_a_running_pause_its_end() -> None:
    running = paused_once()  # a pause from T0 + 15 min to T0 + 25 min
    assert running.pause is not None
    state, stop = ask_loosening(
        running, T0 + 20 * MIN, RULES, committed=True, kind="stop", summary="stop blocking"
    )
    state, forget = ask_loosening(
        state, T0 + 21 * MIN, RULES, committed=True, kind="forget", summary="forget"
    )
    later = postponed(state, 7 * MIN)
    assert [(r.id, r.matures_at) for r in later.pending] == [
        (stop.id, T0 + 42 * MIN),
        (forget.id, T0 + 43 * MIN),
    ]
    assert later.pause == running.pause
    assert later.history == state.history


def test_postponing_by_no_time_or_less_changes_nothing() -> None:
    state, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    assert postponed(state, timedelta(0)) is state
    assert postponed(state, -5 * MIN) is state


def test_why_no_pause_may_be_asked_for_is_what_asking_for_one_would_be_told() -> None:
    assert pause_refusal(GateState(), T0, RULES, UTC, blocking=True) is None
    waiting, _ = ask_pause(GateState(), T0, RULES, UTC, blocking=True)
    cases = [  # (state, when, blocking)
        (GateState(), T0, False),  # nothing to pause
        (waiting, T0 + MIN, True),  # one waits for its cooldown
        (paused_once(), T0 + 20 * MIN, True),  # one is on
        (paused_once(paused_once(), T0 + 30 * MIN), T0 + 60 * MIN, True),  # today's two used
    ]
    for state, when, blocking in cases:
        refusal = pause_refusal(state, when, RULES, UTC, blocking=blocking)
        assert refusal is not None
        with pytest.raises(GateError) as refused:
            ask_pause(state, when, RULES, UTC, blocking=blocking)
        assert str(refused.value) == refusal
