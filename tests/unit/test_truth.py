"""What holds now, in each mode: one pure answer from the list, the plan and the gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from blocker.core.config import Config, PauseRules
from blocker.core.gate import GateState, Pause, advance, ask_loosening, ask_pause
from blocker.core.plan import plan
from blocker.core.truth import Mode, Next, Rejected, Truth, what_holds
from blocker.core.witness import Held
from tests.helpers import ZONE, block_list, config_from

# 21:00 in Berlin on day 8 of a 30-day period that starts on 20 November.
NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
LIST = block_list(
    profiles="  - instagram: alex.example\n",
    sites="  - alexblog.example.com\n  - alexphotos.example.org\n",
)
EVENINGS = "  windows:\n    - from: '18:00'\n      to: '02:00'\n"
RULES = PauseRules(cooldown=15 * MIN, max_length=10 * MIN, per_day=2)


def holds(config: Config, now: datetime = NOW, gate: GateState | None = None, **more: Any) -> Truth:
    return what_holds(now, ZONE, config, plan(config, now, ZONE), gate or GateState(), **more)


def test_inside_the_period_it_blocks_until_the_period_ends_and_enforces_every_name() -> None:
    config = config_from(LIST)
    truth = holds(config, hosts_blocked=frozenset(plan(config, NOW, ZONE).domains))
    assert truth.mode is Mode.BLOCKING
    assert truth.enforcing
    assert truth.local(truth.until) == "2026-12-20T00:00:00+01:00"
    assert truth.next is not None
    assert truth.next.what is Next.PERIOD_ENDS
    assert "alexblog.example.com" in truth.enforced.domains
    assert truth.hosts_as_enforced is True
    assert truth.day == (8, 30)


def test_during_a_pause_nothing_is_enforced_and_an_empty_hosts_section_is_as_it_should_be() -> None:
    config = config_from(LIST)
    gate = GateState(pause=Pause(NOW - MIN, NOW + 9 * MIN))
    truth = holds(config, gate=gate, hosts_blocked=frozenset())
    assert truth.mode is Mode.PAUSED
    assert not truth.enforcing
    assert truth.until == NOW + 9 * MIN
    assert truth.next is not None
    assert (truth.next.at, truth.next.what) == (NOW + 9 * MIN, Next.PAUSE_ENDS)
    assert truth.enforced.domains == ()
    assert truth.hosts_as_enforced is True
    assert holds(config, gate=gate, hosts_blocked=frozenset({"x.example"})).hosts_as_enforced is (
        False
    )


def test_after_stop_nothing_is_enforced_and_nothing_changes_by_itself() -> None:
    truth = holds(config_from(LIST), stopped=True, hosts_blocked=frozenset())
    assert truth.mode is Mode.STOPPED
    assert truth.until is None
    assert truth.next is None
    assert truth.hosts_as_enforced is True


def test_outside_the_evening_hours_it_waits_until_they_begin_and_inside_until_two() -> None:
    config = config_from(block_list(length="days: 30\n" + EVENINGS, sites="  - a.example\n"))
    afternoon = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
    outside = holds(config, afternoon)
    assert outside.mode is Mode.OUTSIDE_HOURS
    assert outside.local(outside.until) == "2026-11-27T18:00:00+01:00"
    assert outside.next is not None
    assert outside.next.what is Next.HOURS_BEGIN
    inside = holds(config)
    assert inside.mode is Mode.BLOCKING
    assert inside.local(inside.until) == "2026-11-28T02:00:00+01:00"
    assert inside.next is not None
    assert inside.next.what is Next.HOURS_END


def test_before_the_period_it_waits_for_the_start_and_after_it_nothing_is_left() -> None:
    config = config_from(LIST)
    before = holds(config, datetime(2026, 11, 1, tzinfo=UTC))
    assert before.mode is Mode.BEFORE_PERIOD
    assert before.local(before.until) == "2026-11-20T00:00:00+01:00"
    assert before.next is not None
    assert before.next.what is Next.PERIOD_STARTS
    assert before.day is None
    after = holds(config, datetime(2027, 1, 5, tzinfo=UTC), stopped=True)
    assert after.mode is Mode.AFTER_PERIOD
    assert (after.until, after.next) == (None, None)


def test_a_hold_after_a_lost_state_enforces_what_was_found_even_during_a_pause() -> None:
    held = Held(("found.example",), ("x.com/alex",), NOW + 20 * MIN, "the state file was gone")
    gate = GateState(pause=Pause(NOW - MIN, NOW + 9 * MIN))
    truth = holds(config_from(LIST), gate=gate, held=held)
    assert truth.mode is Mode.HELD
    assert truth.enforcing
    assert truth.until == NOW + 20 * MIN
    assert truth.enforced.domains == ("found.example",)
    assert truth.to_json()["held"]["reason"] == "the state file was gone"
    over = holds(config_from(LIST), NOW + 21 * MIN, held=held)
    assert over.mode is Mode.BLOCKING
    assert over.held is None


def test_every_waiting_request_has_its_id_maturity_and_countdown_and_the_first_is_next() -> None:
    config = config_from(LIST)
    gate, pause = ask_pause(GateState(), NOW - 3 * MIN, RULES, ZONE, blocking=True)
    gate, stop = ask_loosening(
        gate, NOW - MIN, RULES, committed=True, kind="stop", summary="stop blocking"
    )
    truth = holds(config, gate=gate)
    assert truth.mode is Mode.BLOCKING  # asking loosens nothing yet
    assert [r.id for r in truth.waiting] == [pause.id, stop.id]
    waiting = truth.to_json()["waiting"]
    assert waiting[0]["in_seconds"] == 12 * 60
    assert waiting[0]["ends_at"] == truth.local(pause.matures_at + 10 * MIN)
    assert waiting[1] | {"asked_at": None} == {
        "id": stop.id,
        "kind": "stop",
        "summary": "stop blocking",
        "asked_at": None,
        "matures_at": truth.local(NOW + 14 * MIN),
        "in_seconds": 14 * 60,
        "ends_at": None,
    }
    assert truth.next is not None
    assert (truth.next.what, truth.next.request) == (Next.REQUEST, pause)


def test_an_entry_whose_removal_waits_is_in_force_and_marked_with_the_edit_that_takes_it_off() -> (
    None
):
    in_force = config_from(LIST)
    text = block_list(profiles="  - instagram: alex.example\n", sites="  - alexblog.example.com\n")
    edited = config_from(text)
    gate, edit = ask_loosening(
        GateState(),
        NOW,
        RULES,
        committed=True,
        kind="config",
        summary="unblock alexphotos.example.org",
        payload=text,
    )
    truth = holds(in_force, gate=gate, after_edit=edited)
    marked = {e.target.label: e.comes_off for e in truth.entries}
    assert marked["alexphotos.example.org"] == edit
    assert marked["alexblog.example.com"] is None
    assert "alexphotos.example.org" in truth.enforced.domains
    entry = next(e for e in truth.to_json()["entries"] if e["comes_off"])
    assert (entry["label"], entry["comes_off"]["id"]) == ("alexphotos.example.org", edit.id)


def test_the_last_rejected_edit_is_part_of_the_answer_with_its_error_and_time() -> None:
    rejected = Rejected("blocklist.yaml:3:5: 'dayz' is not a field", NOW - 2 * MIN)
    shown = holds(config_from(LIST), rejected=rejected).to_json()["rejected"]
    assert shown == {
        "error": "blocklist.yaml:3:5: 'dayz' is not a field",
        "at": "2026-11-27T20:58:00+01:00",
    }
    assert holds(config_from(LIST)).to_json()["rejected"] is None


def test_a_pause_that_matured_while_outside_the_hours_does_not_read_as_paused() -> None:
    config = config_from(block_list(length="days: 30\n" + EVENINGS, sites="  - a.example\n"))
    late = datetime(2026, 11, 28, 1, 55, tzinfo=UTC)  # 02:55 in Berlin, the hours are over
    gate = advance(
        GateState(pause=Pause(late - MIN, late + 9 * MIN)), late, ZONE, blocking=False
    ).state
    assert holds(config, late, gate=gate).mode is Mode.OUTSIDE_HOURS
