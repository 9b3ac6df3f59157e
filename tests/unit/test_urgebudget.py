"""The urges the log takes in from the control socket: a few a minute, some hundreds a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from blocker.core.urgebudget import UrgeBudget

NOW = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)


def test_six_urges_a_minute_are_taken_and_the_seventh_waits_for_the_minute_to_pass() -> None:
    budget = UrgeBudget()
    assert all(budget.admit(NOW + timedelta(seconds=n), TODAY) for n in range(6))
    assert not budget.admit(NOW + timedelta(seconds=30), TODAY)
    assert budget.admit(NOW + timedelta(seconds=60), TODAY)  # the first has left the minute


def test_a_day_takes_at_most_its_budget_and_the_next_day_starts_afresh() -> None:
    budget = UrgeBudget(per_day=3)
    moments = [NOW + timedelta(minutes=n) for n in range(4)]
    assert [budget.admit(m, TODAY) for m in moments] == [True, True, True, False]
    assert budget.admit(NOW + timedelta(hours=4), TODAY + timedelta(days=1))


def test_a_clock_that_steps_back_does_not_open_the_minute_again() -> None:
    budget = UrgeBudget(per_minute=1)
    assert budget.admit(NOW, TODAY)
    assert not budget.admit(NOW - timedelta(seconds=5), TODAY)
