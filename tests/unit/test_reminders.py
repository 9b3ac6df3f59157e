"""Reminders: written for each of the five steps, the person's reasons first, no repeats."""

from __future__ import annotations

from blocker.blocklist.reminders import NOT_AGAIN_WITHIN, STEPS, pick, shipped_reminders

REMINDERS = shipped_reminders()


def test_every_step_has_several_short_reminders() -> None:
    assert set(REMINDERS.by_step) == set(STEPS)
    for step in STEPS:
        assert len(REMINDERS.by_step[step]) >= 4
    assert all(len(text) <= 100 for text in REMINDERS.all)
    assert len(set(REMINDERS.all)) == len(REMINDERS.all)


def test_the_persons_own_reasons_come_first() -> None:
    reasons = ["I want to sleep through the night again."]
    assert pick(reasons, REMINDERS, [], 3) == reasons[0]


def test_nothing_repeats_within_the_last_few_shown() -> None:
    shown: list[str] = []
    for number in range(60):
        text = pick(["My reason."], REMINDERS, shown, number * 7)
        assert text not in shown[-NOT_AGAIN_WITHIN:]
        shown.append(text)
    assert "My reason." in shown
    assert len(set(shown)) > 20


def test_a_step_can_be_asked_for() -> None:
    assert pick([], REMINDERS, [], 2, step="no_contact") in REMINDERS.by_step["no_contact"]
