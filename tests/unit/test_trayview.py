"""The tray's menu and icon for each daemon state, and what each notification says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from blocker.core.config import PauseRules
from blocker.core.gate import GateState, Pause, ask_loosening, ask_pause
from blocker.core.plan import plan
from blocker.core.report import status_json
from blocker.core.truth import Rejected, what_holds
from blocker.core.truthtext import pause_phrase
from blocker.desktop.messages import notification, urgent
from blocker.desktop.trayview import Action, Item, every_item, pause_item, view
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName
from tests.helpers import ZONE, block_list, config_from

NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # 21:00 in Berlin, day 12 of 41
MIN = timedelta(minutes=1)
RULES = PauseRules(cooldown=15 * MIN, max_length=10 * MIN, per_day=2)
LIST = block_list(start="2026-11-16", length="days: 41", sites="  - alexblog.example.com\n")
EVENINGS = "  windows:\n    - from: '18:00'\n      to: '02:00'\n"


def status(
    text: str = LIST, now: datetime = NOW, gate: GateState | None = None, **more: Any
) -> dict[str, Any]:
    """The status the daemon would send, made by the same pure function it uses."""
    config = config_from(text)
    return status_json(
        what_holds(now, ZONE, config, plan(config, now, ZONE), gate or GateState(), **more)
    )


def labels(items: Any) -> list[str]:
    return [item.label for item in items]


def test_blocking_shows_the_day_and_offers_a_pause() -> None:
    shown = view(status())
    assert shown.icon == "blocking"
    assert shown.day == 12
    assert "Day 12 of 41 · blocking until 27 Dec (in 29 days)" in labels(shown.items)
    pause = next(i for i in shown.items if i.action == "pause")
    assert pause.enabled


def test_during_the_cooldown_cancel_is_first_and_the_default_with_a_countdown() -> None:
    gate, _ = ask_pause(GateState(), NOW - 30 * timedelta(seconds=1), RULES, ZONE, blocking=True)
    shown = view(status(gate=gate))
    assert shown.icon == "cooldown"
    first = shown.items[0]
    assert (first.label, first.action, first.default) == ("Cancel the pause", "cancel", True)
    assert "Pause starts in 14 min 30 s (at 21:14)" in labels(shown.items)
    assert not next(i for i in shown.items if i.action == "pause").enabled


def test_a_running_pause_can_be_ended_at_once_and_says_when_it_ends_that_night() -> None:
    shown = view(status(gate=GateState(pause=Pause(NOW - MIN, NOW + 6 * MIN))))
    assert shown.icon == "paused"
    assert shown.items[0].label == "End the pause now"
    assert "Day 12 of 41 · paused until 21:06 (in 6 min)" in labels(shown.items)
    assert shown.tooltip.startswith("blocker: Day 12 of 41 · paused until 21:06 (in 6 min)")
    assert not next(i for i in shown.items if i.action == "pause").enabled


def test_with_evening_hours_the_tray_says_when_they_lift_and_when_they_begin() -> None:
    evenings = block_list(
        start="2026-11-16", length="days: 41\n" + EVENINGS, sites="  - a.example\n"
    )
    assert view(status(evenings)).tooltip == "blocker: Day 12 of 41 · blocking until 02:00 (in 5 h)"
    afternoon = view(status(evenings, NOW - 5 * 60 * MIN))  # 16:00 in Berlin
    assert afternoon.icon == "idle"
    assert "Day 12 of 41 · outside your blocking hours until 18:00 (in 2 h)" in labels(
        afternoon.items
    )


def test_a_waiting_removal_shows_its_id_and_countdown_and_can_be_cancelled() -> None:
    gate, edit = ask_loosening(
        GateState(), NOW, RULES, committed=True, kind="config", summary="unblock a.example"
    )
    shown = view(status(gate=gate))
    assert shown.items[0] == Item("Cancel what is waiting", Action.CANCEL, default=True)
    assert f"Waiting ({edit.id}): unblock a.example at 21:15 (in 15 min)" in labels(shown.items)
    assert f"{edit.id} waits until 21:15 (in 15 min)" in shown.tooltip


def test_a_rejected_edit_of_the_list_is_in_the_menu_and_opens_the_list() -> None:
    rejected = Rejected("blocklist.yaml:2:3: 'dayz' is not a field", NOW - 4 * MIN)
    shown = view(status(rejected=rejected))
    item = next(i for i in shown.items if "not taken in" in i.label)
    assert item.action == "open_list"
    assert "blocklist.yaml:2:3" in item.label
    assert "not taken in" in shown.tooltip


def test_no_period_and_no_daemon_have_their_own_icons() -> None:
    after = status(now=datetime(2027, 1, 5, tzinfo=UTC))
    assert view(after).icon == "idle"
    assert "The period is over; nothing is blocked any more" in labels(view(after).items)
    unreachable = view(None)
    assert unreachable.icon == "unreachable"
    assert [i.action for i in unreachable.items if i.action] == ["open_list", "quit"]


def test_without_a_daemon_the_command_to_start_it_is_the_sandboxs_under_a_sandbox() -> None:
    assert "Start it with: sudo blocker daemon" in labels(view(None).items)
    sandboxed = labels(view(None, "/tmp/try").items)
    assert "Start it with: blocker --sandbox /tmp/try daemon" in sandboxed


def test_quitting_the_tray_says_the_block_stays() -> None:
    assert "Quit tray (the block stays on)" in labels(view(status()).items)


def test_a_pause_request_notification_shows_this_weeks_counts_and_a_reminder() -> None:
    event = Event(
        EventName.COOLDOWN_STARTED,
        "a pause was asked for; it starts at 21:15 unless you cancel it",
        details={"week": {"asked": 3, "cancelled": 2}},
    )
    shown = notification(event, "Give it ten minutes.")
    assert shown is not None
    title, body = shown
    assert title == "Your pause is waiting"
    assert "This week you asked for 3 pauses and cancelled 2." in body
    assert body.endswith("Give it ten minutes.")


def test_quiet_events_raise_no_notification() -> None:
    assert notification(Event(EventName.POLICIES_CHANGED), "x") is None
    assert notification(Event(EventName.URGE), "Close the tab.") == ("Not today", "Close the tab.")


def test_a_waiting_removal_notification_names_the_id_that_cancels_it() -> None:
    event = Event(
        EventName.COOLDOWN_STARTED,
        "the edit loosens the block (unblock a.example); it applies at 21:15",
        details={"request": "r3", "kind": "config"},
    )
    shown = notification(event, "x")
    assert shown is not None
    assert "`blocker cancel r3`" in shown[1]


def test_the_pause_submenu_offers_five_ten_and_fifteen_minutes_up_to_the_lists_longest() -> None:
    def lengths(longest: int, shortest: int = 60) -> list[tuple[str, str | None]]:
        item = pause_item({"shortest": shortest, "longest": longest, "refusal": None}, True)
        assert item.action is None  # a title: its lengths open beside it
        assert all(i.action == Action.PAUSE for i in item.submenu)
        return [(i.label, i.value) for i in item.submenu]

    assert lengths(3600) == [
        ("Pause for 5 minutes", "5m"),
        ("Pause for 10 minutes", "10m"),
        ("Pause for 15 minutes", "15m"),
        ("Pause for 1 hour", "1h"),
    ]
    assert lengths(15 * 60) == lengths(3600)[:3]
    assert lengths(7 * 60) == [("Pause for 5 minutes", "5m"), ("Pause for 7 minutes", "7m")]
    assert lengths(90, shortest=60) == [("Pause for 1 minute 30 seconds", "1m30s")]
    assert lengths(10, shortest=10) == [("Pause for 10 seconds", "10s")]


def test_when_no_pause_may_be_asked_for_the_item_says_why_and_cannot_be_clicked() -> None:
    why = "today's 2 pauses are used; the next one can be asked for tomorrow"
    item = pause_item({"shortest": 60, "longest": 600, "refusal": why}, True)
    assert (item.label, item.action, item.enabled) == (
        "No pause now: today's 2 pauses are used",  # what to do next is not a menu's
        None,
        False,
    )
    assert item.submenu == ()


def test_a_status_from_an_older_daemon_offers_one_pause_of_the_lists_longest() -> None:
    item = next(i for i in every_item(view(status()).items) if i.action == Action.PAUSE)
    assert (item.value, item.enabled) == (None, True)


def test_a_pause_asked_for_is_confirmed_in_the_words_blocker_pause_answers_with() -> None:
    event = Event(
        EventName.COOLDOWN_STARTED,
        "a pause was asked for; it starts at 18:42 unless you cancel it",
        "2026-11-27T18:27:00+01:00",
        {
            "kind": "pause",
            "request": "r4",
            "matures_at": "2026-11-27T18:42:00+01:00",
            "ends_at": "2026-11-27T18:52:00+01:00",
        },
    )
    shown = notification(event, "Give it ten minutes.")
    assert shown is not None
    sentence = pause_phrase(
        "2026-11-27T18:42:00+01:00", "2026-11-27T18:52:00+01:00", "2026-11-27T18:27:00+01:00"
    )
    assert sentence == "Your pause of 10 minutes starts at 18:42 (in 15 min) and ends at 18:52"
    assert shown[1].startswith(f"{sentence}. `blocker cancel r4` keeps the block.")


def test_a_pause_about_to_end_and_a_failing_layer_stay_on_screen_an_urge_does_not() -> None:
    assert urgent(Event(EventName.PAUSE_ENDING))
    assert urgent(Event(EventName.LAYER_FAILED))
    assert not urgent(Event(EventName.URGE))
    assert not urgent(Event(EventName.COOLDOWN_STARTED))
