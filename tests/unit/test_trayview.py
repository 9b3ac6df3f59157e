"""The tray's menu and icon for each daemon state, and what each notification says."""

from __future__ import annotations

from typing import Any

from blocker.messages import notification
from blocker.trayview import view

NOW = "2026-11-27T21:00:00+01:00"


def status(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "blocking": True,
        "now": NOW,
        "next_change": "2026-12-27T00:00:00+01:00",
        "period": {
            "start": "2026-11-16T00:00:00+01:00",
            "end": "2026-12-27T00:00:00+01:00",
            "day": 12,
            "days": 41,
        },
        "pause": {"state": "none", "starts_at": None, "ends_at": None, "pending": []},
    }
    base.update(changes)
    return base


def labels(items: Any) -> list[str]:
    return [item.label for item in items]


def test_blocking_shows_the_day_and_offers_a_pause() -> None:
    shown = view(status())
    assert shown.icon == "blocking"
    assert shown.day == 12
    assert "Day 12 of 41 · blocking until 27 Dec" in labels(shown.items)
    pause = next(i for i in shown.items if i.action == "pause")
    assert pause.enabled


def test_during_the_cooldown_cancel_is_first_and_the_default_with_a_countdown() -> None:
    shown = view(
        status(
            pause={
                "state": "cooldown",
                "starts_at": "2026-11-27T21:14:30+01:00",
                "ends_at": "2026-11-27T21:29:30+01:00",
                "pending": [],
            }
        )
    )
    assert shown.icon == "cooldown"
    first = shown.items[0]
    assert (first.label, first.action, first.default) == ("Cancel the pause", "cancel", True)
    assert "Pause starts in 14:30 (at 21:14)" in labels(shown.items)
    assert not next(i for i in shown.items if i.action == "pause").enabled


def test_a_running_pause_can_be_ended_at_once() -> None:
    shown = view(
        status(
            pause={
                "state": "active",
                "starts_at": NOW,
                "ends_at": "2026-11-27T21:10:00+01:00",
                "pending": [],
            }
        )
    )
    assert shown.icon == "paused"
    assert shown.items[0].label == "End the pause now"


def test_no_period_and_no_daemon_have_their_own_icons() -> None:
    after = status(
        blocking=False,
        period={
            "start": "2026-10-01T00:00:00+02:00",
            "end": "2026-11-01T00:00:00+01:00",
            "day": None,
            "days": None,
        },
    )
    assert view(after).icon == "idle"
    assert "The no-stalking period is over" in labels(view(after).items)
    unreachable = view(None)
    assert unreachable.icon == "unreachable"
    assert [i.action for i in unreachable.items if i.action] == ["open_list", "quit"]


def test_quitting_the_tray_says_the_block_stays() -> None:
    assert "Quit tray (the block stays on)" in labels(view(status()).items)


def test_a_pause_request_notification_shows_this_weeks_counts_and_a_reminder() -> None:
    event = {
        "event": "cooldown_started",
        "message": "a pause was asked for; it starts at 21:15 unless you cancel it",
        "week": {"asked": 3, "cancelled": 2},
    }
    shown = notification(event, "Give it ten minutes.")
    assert shown is not None
    title, body = shown
    assert title == "Your pause is waiting"
    assert "This week you asked for 3 pauses and cancelled 2." in body
    assert body.endswith("Give it ten minutes.")


def test_quiet_events_raise_no_notification() -> None:
    assert notification({"event": "policies_changed"}, "x") is None
    assert notification({"event": "urge"}, "Close the tab.") == ("Not today", "Close the tab.")
