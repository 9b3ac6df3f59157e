"""A change of the computer's time zone is followed after the cooldown, not at once; a
zone is told by how it sets the clocks, not by its name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blocker.core.zonechange import ZoneChange, ZoneRecord, followed

NOW = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
COOLDOWN = timedelta(minutes=15)
BERLIN, TOKYO, DENVER = (
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Asia/Tokyo"),
    ZoneInfo("America/Denver"),
)


def record(zone: timezone | ZoneInfo) -> ZoneRecord:
    return ZoneRecord.of(zone, NOW.year)


def test_a_zones_record_keeps_its_offset_on_each_day_summer_time_included() -> None:
    berlin = record(BERLIN)
    assert berlin.name == "Europe/Berlin"
    assert berlin.clock_at(datetime(2026, 1, 15, tzinfo=UTC)).utcoffset(None) == timedelta(hours=1)
    assert berlin.clock_at(datetime(2026, 7, 15, tzinfo=UTC)).utcoffset(None) == timedelta(hours=2)
    assert len(berlin.changes) == 5  # winter, summer, winter, summer, winter over two years


def test_a_new_zone_during_the_period_keeps_the_old_one_counting_for_the_cooldown() -> None:
    zone, change = followed(record(BERLIN), None, TOKYO, NOW, COOLDOWN, committed=True)
    assert zone.name == "Asia/Tokyo"
    assert change == ZoneChange(record(BERLIN), NOW + COOLDOWN)
    assert change.counts(NOW + COOLDOWN - timedelta(seconds=1))
    assert not change.counts(NOW + COOLDOWN)


def test_the_same_name_with_another_zones_clocks_is_a_change() -> None:
    # Tokyo's rules under Berlin's name, as another zone's file over /etc/localtime gives.
    tokyo_file = Path("/usr/share/zoneinfo/Asia/Tokyo")
    with tokyo_file.open("rb") as rules:
        disguised = ZoneInfo.from_file(rules, key="Europe/Berlin")
    _, change = followed(record(BERLIN), None, disguised, NOW, COOLDOWN, committed=True)
    assert change is not None


def test_a_zone_with_no_name_is_told_by_its_clocks_too() -> None:
    _, change = followed(record(TOKYO), None, UTC, NOW, COOLDOWN, committed=True)
    assert change is not None
    assert change.before.clock_at(NOW).utcoffset(None) == timedelta(hours=9)


def test_outside_the_period_or_with_the_same_clocks_nothing_is_kept() -> None:
    assert followed(record(BERLIN), None, TOKYO, NOW, COOLDOWN, committed=False)[1] is None
    same = ZoneInfo("Europe/Paris")  # another name, the same clocks: nothing to follow
    assert followed(record(BERLIN), None, same, NOW, COOLDOWN, committed=True)[1] is None


def test_the_first_zone_blocker_sees_is_taken_as_it_is() -> None:
    assert followed(None, None, BERLIN, NOW, COOLDOWN, committed=True) == (record(BERLIN), None)


def test_a_second_change_within_the_cooldown_neither_restarts_nor_ends_it() -> None:
    first = ZoneChange(record(BERLIN), NOW + COOLDOWN)
    later = NOW + timedelta(minutes=5)
    zone, change = followed(record(TOKYO), first, DENVER, later, COOLDOWN, committed=True)
    assert (zone.name, change) == ("America/Denver", first)
    assert followed(record(TOKYO), first, BERLIN, later, COOLDOWN, committed=True)[1] is None


def test_a_change_whose_cooldown_is_over_counts_no_more() -> None:
    over = ZoneChange(record(BERLIN), NOW - timedelta(seconds=1))
    assert followed(record(TOKYO), over, TOKYO, NOW, COOLDOWN, committed=True)[1] is None


def test_time_the_daemon_was_not_running_makes_the_old_zone_count_that_much_longer() -> None:
    change = ZoneChange(record(BERLIN), NOW + COOLDOWN)
    assert change.postponed(NOW, timedelta(hours=1)).until == NOW + COOLDOWN + timedelta(hours=1)
    over = ZoneChange(record(BERLIN), NOW - timedelta(minutes=1))
    assert over.postponed(NOW, timedelta(hours=1)) == over


def test_a_zone_record_with_no_offsets_is_refused_as_a_damaged_state_would_be() -> None:
    with pytest.raises(ValueError, match="no offsets"):
        ZoneRecord("Europe/Berlin", 2026, ())
