"""What the daemon tells blocker's extension: the pages to stop now and what its page
says, from the one answer of what holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocker.core.extension_view import VIEW_VERSION, extension_view, platform_of
from blocker.core.gate import GateState, Pause
from blocker.core.plan import plan
from blocker.core.truth import what_holds
from tests.helpers import ZONE, block_list, config_from

NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # day 8 of 30, from 20 November
LIST = block_list(profiles="  - instagram: alex.example\n", sites="  - alexblog.example.com\n")
REASONS = "reasons:\n  - I want my evenings back\n"


def view_at(text: str, gate: GateState | None = None) -> dict[str, object]:
    config = config_from(text)
    truth = what_holds(NOW, ZONE, config, plan(config, NOW, ZONE), gate or GateState())
    return extension_view(truth, "a reminder")


def test_while_blocking_each_profile_page_comes_with_the_label_the_person_wrote() -> None:
    view = view_at(LIST)
    assert view["version"] == VIEW_VERSION
    targets = view["targets"]
    assert isinstance(targets, list)
    assert {"label": "instagram: alex.example", "prefix": "instagram.com/alex.example"} in targets
    assert all(t["label"] for t in targets)


def test_the_view_says_the_day_of_the_period_and_its_last_day_in_the_persons_zone() -> None:
    view = view_at(LIST)
    assert (view["day"], view["days"]) == (8, 30)
    assert view["last_day"] == "2026-12-19"  # the period ends at midnight after it


def test_the_persons_reasons_and_a_reminder_go_to_blockers_page() -> None:
    view = view_at(block_list(profiles="  - instagram: alex.example\n", extra=REASONS))
    assert view["reasons"] == ["I want my evenings back"]
    assert view["reminder"] == "a reminder"


def test_during_a_pause_the_extension_is_told_to_stop_nothing() -> None:
    pause = GateState(pause=Pause(NOW - timedelta(minutes=1), NOW + timedelta(minutes=9)))
    assert view_at(LIST, pause)["targets"] == []


def test_an_urge_is_logged_with_the_platform_of_the_entry_never_the_handle() -> None:
    config = config_from(LIST)
    truth = what_holds(NOW, ZONE, config, plan(config, NOW, ZONE), GateState())
    assert platform_of(truth, "instagram: alex.example") == "instagram"
    assert platform_of(truth, "alexblog.example.com") == "a site"
    assert platform_of(truth, "someone the list does not name") is None
