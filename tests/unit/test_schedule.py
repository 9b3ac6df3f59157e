"""When the block is on: plain datetimes, across midnight and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from blocker.core.schedule import Period, Window, is_blocking, next_change

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY = frozenset(range(7))


def local(
    zone: ZoneInfo,
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def test_the_block_is_on_from_the_first_moment_of_the_period_to_just_before_its_end() -> None:
    period = Period(datetime(2026, 11, 20), datetime(2026, 12, 20))
    assert not is_blocking(period, local(BERLIN, 2026, 11, 19, 23, 59, 59), BERLIN)
    assert is_blocking(period, local(BERLIN, 2026, 11, 20, 0, 0), BERLIN)
    assert is_blocking(period, local(BERLIN, 2026, 12, 19, 23, 59, 59), BERLIN)
    assert not is_blocking(period, local(BERLIN, 2026, 12, 20, 0, 0), BERLIN)


def test_the_next_change_before_the_period_is_its_start_and_during_it_its_end() -> None:
    period = Period(datetime(2026, 11, 20), datetime(2026, 12, 20))
    assert next_change(period, local(BERLIN, 2026, 11, 1), BERLIN) == local(BERLIN, 2026, 11, 20)
    assert next_change(period, local(BERLIN, 2026, 12, 1), BERLIN) == local(BERLIN, 2026, 12, 20)
    assert next_change(period, local(BERLIN, 2026, 12, 21), BERLIN) is None


def test_a_window_that_crosses_midnight_blocks_into_the_next_morning() -> None:
    friday = frozenset({4})
    period = Period(
        datetime(2026, 11, 1), datetime(2026, 12, 31), (Window(friday, time(21, 0), time(2, 0)),)
    )
    assert not is_blocking(period, local(BERLIN, 2026, 11, 27, 20, 59), BERLIN)  # Friday
    assert is_blocking(period, local(BERLIN, 2026, 11, 27, 23, 0), BERLIN)
    assert is_blocking(period, local(BERLIN, 2026, 11, 28, 1, 59), BERLIN)  # Saturday
    assert not is_blocking(period, local(BERLIN, 2026, 11, 28, 2, 0), BERLIN)
    assert not is_blocking(period, local(BERLIN, 2026, 11, 28, 23, 0), BERLIN)
    assert next_change(period, local(BERLIN, 2026, 11, 27, 23, 0), BERLIN) == local(
        BERLIN, 2026, 11, 28, 2, 0
    )
    assert next_change(period, local(BERLIN, 2026, 11, 28, 3, 0), BERLIN) == local(
        BERLIN, 2026, 12, 4, 21, 0
    )


def test_windows_only_block_inside_the_period() -> None:
    period = Period(
        datetime(2026, 11, 2, 12),
        datetime(2026, 11, 4),
        (Window(EVERY_DAY, time(9, 0), time(17, 0)),),
    )
    assert not is_blocking(period, local(BERLIN, 2026, 11, 2, 10), BERLIN)
    assert next_change(period, local(BERLIN, 2026, 11, 2, 10), BERLIN) == local(
        BERLIN, 2026, 11, 2, 12
    )
    assert next_change(period, local(BERLIN, 2026, 11, 3, 18), BERLIN) is None


def test_a_period_keeps_its_local_midnight_across_the_autumn_clock_change() -> None:
    # Berlin leaves summer time on 25 October 2026: that day has 25 hours.
    period = Period(datetime(2026, 10, 20), datetime(2026, 10, 30))
    end = next_change(period, local(BERLIN, 2026, 10, 24, 12), BERLIN)
    assert end == local(BERLIN, 2026, 10, 30, 0, 0)
    assert end is not None
    assert end.astimezone(UTC).hour == 23


def test_a_daily_window_keeps_its_wall_clock_hours_across_the_spring_change() -> None:
    # New York moves its clocks forward on 8 March 2026 at 02:00.
    period = Period(
        datetime(2026, 3, 1), datetime(2026, 3, 31), (Window(EVERY_DAY, time(21, 0), time(7, 0)),)
    )
    saturday_night = local(NEW_YORK, 2026, 3, 7, 22)
    assert next_change(period, saturday_night, NEW_YORK) == local(NEW_YORK, 2026, 3, 8, 7, 0)
    assert is_blocking(period, local(NEW_YORK, 2026, 3, 8, 6, 59), NEW_YORK)
    span = local(NEW_YORK, 2026, 3, 8, 7).astimezone(UTC) - local(
        NEW_YORK, 2026, 3, 7, 21
    ).astimezone(UTC)
    assert span == timedelta(hours=9)  # the night is an hour shorter, not shifted


def test_a_window_starting_inside_the_skipped_spring_hour_still_starts() -> None:
    period = Period(
        datetime(2026, 3, 1), datetime(2026, 3, 31), (Window(EVERY_DAY, time(2, 30), time(4, 0)),)
    )
    start = next_change(period, local(NEW_YORK, 2026, 3, 8, 0, 0), NEW_YORK)
    assert start is not None
    assert is_blocking(period, start, NEW_YORK)
    assert start.astimezone(NEW_YORK).hour == 3


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=60 * 24 * 40),
    start_hour=st.integers(min_value=0, max_value=23),
    end_hour=st.integers(min_value=0, max_value=23),
    days=st.frozensets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_nothing_changes_between_now_and_the_next_change_and_it_does_change_then(
    minutes: int, start_hour: int, end_hour: int, days: frozenset[int]
) -> None:
    period = Period(
        datetime(2026, 3, 1),
        datetime(2026, 4, 5),
        (Window(days, time(start_hour), time(end_hour)),),
    )
    now = local(BERLIN, 2026, 2, 25) + timedelta(minutes=minutes)
    current = is_blocking(period, now, BERLIN)
    change = next_change(period, now, BERLIN)
    if change is None:
        assert not current
        return
    assert change > now
    assert is_blocking(period, change, BERLIN) != current
    probe = now
    while probe + timedelta(minutes=30) < change:
        probe += timedelta(minutes=30)
        assert is_blocking(period, probe, BERLIN) == current
