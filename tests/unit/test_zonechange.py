"""A change of the computer's time zone is followed after the cooldown, not at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocker.core.zonechange import ZoneChange, followed

NOW = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
COOLDOWN = timedelta(minutes=15)


def test_a_new_zone_during_the_period_keeps_the_old_one_counting_for_the_cooldown() -> None:
    zone, change = followed(
        "Europe/Berlin", None, "Pacific/Kiritimati", NOW, COOLDOWN, committed=True
    )
    assert zone == "Pacific/Kiritimati"
    assert change == ZoneChange("Europe/Berlin", NOW + COOLDOWN)
    assert change.counts(NOW + COOLDOWN - timedelta(seconds=1))
    assert not change.counts(NOW + COOLDOWN)


def test_outside_the_period_or_with_the_same_zone_nothing_is_kept() -> None:
    assert followed("Europe/Berlin", None, "Asia/Tokyo", NOW, COOLDOWN, committed=False) == (
        "Asia/Tokyo",
        None,
    )
    assert followed("Europe/Berlin", None, "Europe/Berlin", NOW, COOLDOWN, committed=True) == (
        "Europe/Berlin",
        None,
    )


def test_the_first_zone_blocker_sees_is_taken_as_it_is() -> None:
    assert followed(None, None, "Europe/Berlin", NOW, COOLDOWN, committed=True) == (
        "Europe/Berlin",
        None,
    )


def test_a_second_change_within_the_cooldown_neither_restarts_nor_ends_it() -> None:
    first = ZoneChange("Europe/Berlin", NOW + COOLDOWN)
    later = NOW + timedelta(minutes=5)
    zone, change = followed("Asia/Tokyo", first, "America/Denver", later, COOLDOWN, committed=True)
    assert (zone, change) == ("America/Denver", first)
    assert followed("Asia/Tokyo", first, "Europe/Berlin", later, COOLDOWN, committed=True) == (
        "Europe/Berlin",
        None,
    )


def test_a_change_whose_cooldown_is_over_counts_no_more() -> None:
    over = ZoneChange("Europe/Berlin", NOW - timedelta(seconds=1))
    assert followed("Asia/Tokyo", over, "Asia/Tokyo", NOW, COOLDOWN, committed=True) == (
        "Asia/Tokyo",
        None,
    )


def test_time_the_daemon_was_not_running_makes_the_old_zone_count_that_much_longer() -> None:
    change = ZoneChange("Europe/Berlin", NOW + COOLDOWN)
    assert change.postponed(NOW, timedelta(hours=1)).until == NOW + COOLDOWN + timedelta(hours=1)
    over = ZoneChange("Europe/Berlin", NOW - timedelta(minutes=1))
    assert over.postponed(NOW, timedelta(hours=1)) == over
