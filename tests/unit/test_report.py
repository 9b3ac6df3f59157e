"""What status, plan and list print, each from the one answer of truth.what_holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from blocker.core import report, stats, truthtext
from blocker.core.config import PauseRules
from blocker.core.gate import GateState, Pause, ask_loosening
from blocker.core.plan import plan
from blocker.core.truth import Rejected, Truth, what_holds
from tests.helpers import ZONE, block_list, config_from

NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # 21:00 in Berlin, day 8 of 30
MIN = timedelta(minutes=1)
RULES = PauseRules(cooldown=15 * MIN, max_length=10 * MIN, per_day=2)
TWO_SITES = "  - alexblog.example.com\n  - alexphotos.example.org\n"
ONE_SITE = "  - alexblog.example.com\n"
LIST = block_list(sites=TWO_SITES)


def holds(gate: GateState | None = None, **more: Any) -> Truth:
    config = config_from(LIST)
    return what_holds(NOW, ZONE, config, plan(config, NOW, ZONE), gate or GateState(), **more)


def status_text(truth: Truth, daemon: bool = True) -> str:
    return truthtext.status_text({**report.status_json(truth), "daemon": daemon})


def waiting_removal() -> tuple[Truth, str]:
    """alexphotos.example.org removed from the file, its removal waiting for the cooldown."""
    edited = block_list(sites=ONE_SITE)
    gate, edit = ask_loosening(
        GateState(),
        NOW - MIN,
        RULES,
        committed=True,
        kind="config",
        summary="unblock alexphotos.example.org",
        payload=edited,
    )
    return holds(gate, after_edit=config_from(edited)), edit.id


def test_during_a_pause_status_says_paused_until_its_end_and_the_empty_hosts_file_is_right() -> (
    None
):
    truth = holds(GateState(pause=Pause(NOW - MIN, NOW + 6 * MIN)), hosts_blocked=frozenset())
    status = report.status_json(truth)
    assert status["blocking"] is False
    assert status["hosts_section"] == {"names": 0, "matches_plan": True}
    text = status_text(truth)
    assert text.startswith("Day 8 of 30 · paused until 21:06 (in 6 min) · the period ends 20 Dec.")
    assert "Next change: 21:06 (in 6 min): the pause ends and the block comes back" in text
    assert "Hosts file: as it should be now (0 names blocked)." in text


def test_while_blocking_a_hosts_file_without_the_names_is_not_as_it_should_be() -> None:
    text = status_text(holds(hosts_blocked=frozenset()))
    assert "Day 8 of 30 · blocking until 20 Dec (in 22 days)" in text
    assert "Hosts file: not as it should be yet (0 names blocked," in text


def test_status_gives_each_waiting_request_its_id_and_countdown_next_to_its_clock_time() -> None:
    truth, request = waiting_removal()
    text = status_text(truth)
    assert (
        f"Waiting: unblock alexphotos.example.org: applies at 21:14 (in 14 min) unless "
        f"cancelled (`blocker cancel {request}`)."
    ) in text
    assert f"Next change: 21:14 (in 14 min): {request} · unblock alexphotos" in text


def test_status_tells_the_rejected_edit_and_its_error() -> None:
    rejected = Rejected("blocklist.yaml:2:3: 'dayz' is not a field", NOW - 2 * MIN)
    text = status_text(holds(rejected=rejected))
    assert "your edit of the block list at 20:58 was not taken in" in text
    assert "blocklist.yaml:2:3: 'dayz' is not a field" in text


def test_without_a_daemon_status_says_how_to_start_one() -> None:
    assert "Daemon: not running" in status_text(holds(), daemon=False)


def test_list_marks_the_entry_whose_removal_waits_with_its_time_and_id() -> None:
    truth, request = waiting_removal()
    listing = report.list_json(truth)
    assert [s["label"] for s in listing["sites"]] == [
        "alexblog.example.com",
        "alexphotos.example.org",
    ]
    assert listing["sites"][1]["comes_off"]["id"] == request
    assert listing["sites"][0]["comes_off"] is None
    text = report.list_text(listing)
    assert (
        "  alexphotos.example.org · comes off at 21:14 (in 14 min) unless cancelled "
        f"(`blocker cancel {request}`)"
    ) in text
    assert "  alexblog.example.com\n" in text


def test_plan_keeps_a_waiting_removal_blocked_and_says_when_it_comes_off() -> None:
    truth, request = waiting_removal()
    text = report.plan_text(report.plan_json(truth))
    assert "  alexphotos.example.org\n" in text
    assert "Still blocked: alexphotos.example.org comes off at 21:14 (in 14 min)" in text
    assert f"`blocker cancel {request}`" in text


def test_plan_during_a_pause_says_nothing_is_blocked_until_it_ends() -> None:
    planned = report.plan_json(holds(GateState(pause=Pause(NOW - MIN, NOW + 6 * MIN))))
    assert planned["blocking"] is False
    assert planned["domains"] == []
    text = report.plan_text(planned)
    assert text.startswith("Blocking now: no; paused until 21:06 (in 6 min)")
    assert "Nothing is blocked now." in text


def test_plan_after_stop_says_nothing_is_blocked() -> None:
    text = report.plan_text(report.plan_json(holds(stopped=True)))
    assert text.startswith("Blocking now: no; stopped by `blocker stop`")


def test_stats_open_with_the_day_and_the_mode_as_status_says_them() -> None:
    truth = holds(GateState(pause=Pause(NOW - MIN, NOW + 6 * MIN))).to_json()
    summary = {
        "day": 8,
        "days": 30,
        "longest_streak": 7,
        "urges": 0,
        "urges_per_day": {},
        "sparkline": "",
        "pauses": {"asked": 1, "cancelled": 0, "used": 1},
        "urge_hours": [0] * 24,
    }
    first = stats.text(summary, truth).splitlines()[0]
    assert first == (
        "Day 8 of 30 · paused until 21:06 (in 6 min). Longest run without a pause: 7 days."
    )


def test_status_after_an_uninstall_says_so_and_where_the_list_is_not_blocking() -> None:
    uninstalled = {"at": "2026-11-27T20:40:00+01:00", "block_list": "/etc/blocker/blocklist.yaml"}
    status = {**report.status_json(holds()), "daemon": False, "uninstalled": uninstalled}
    assert truthtext.status_text(status) == (
        "blocker is uninstalled (since 20:40): nothing is blocked.\n"
        "Your block list is still at /etc/blocker/blocklist.yaml; "
        "`sudo blocker service install` puts blocker back."
    )


def test_a_length_is_said_in_words_with_each_unit_once() -> None:
    assert truthtext.length_phrase(600) == "10 minutes"
    assert truthtext.length_phrase(60) == "1 minute"
    assert truthtext.length_phrase(5400) == "1 hour 30 minutes"
    assert truthtext.length_phrase(86400 + 2) == "1 day 2 seconds"


def test_a_count_of_one_is_written_in_the_singular() -> None:
    assert truthtext.counted(1, "page") == "1 page"
    assert truthtext.counted(0, "name") == "0 names"
    assert truthtext.counted(67, "name") == "67 names"
