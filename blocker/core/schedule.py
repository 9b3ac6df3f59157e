"""When the no-stalking period blocks: pure functions of the period, `now` and the time zone.

The period and its daily windows are written in local wall-clock time; every comparison is
made on real instants (UTC), so midnight crossings and DST changes fall out of the
conversion rather than out of special cases.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Window:
    """Daily hours inside the period when blocking is on. `weekdays` (Monday = 0) name the
    day a window starts; a window whose end is not after its start runs past midnight."""

    weekdays: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class Period:
    start: datetime  # local wall time, naive
    end: datetime  # local wall time, naive, exclusive
    windows: tuple[Window, ...] = ()


def _instant(wall: datetime, zone: tzinfo) -> datetime:
    """A local wall time as a UTC instant. A wall time skipped by a DST jump maps to the
    instant the clock jumped over it; a repeated one to its first occurrence."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _window_spans(window: Window, day: date, zone: tzinfo) -> tuple[datetime, datetime] | None:
    if day.weekday() not in window.weekdays:
        return None
    begins = _instant(datetime.combine(day, window.start), zone)
    end_day = day if window.end > window.start else day + timedelta(days=1)
    ends = _instant(datetime.combine(end_day, window.end), zone)
    return (begins, ends) if ends > begins else None


def _in_windows(period: Period, moment: datetime, zone: tzinfo) -> bool:
    if not period.windows:
        return True
    today = moment.astimezone(zone).date()
    for day in (today - timedelta(days=1), today):
        for window in period.windows:
            span = _window_spans(window, day, zone)
            if span and span[0] <= moment < span[1]:
                return True
    return False


def period_bounds(period: Period, zone: tzinfo) -> tuple[datetime, datetime]:
    return _instant(period.start, zone), _instant(period.end, zone)


def in_period(period: Period, now: datetime, zone: tzinfo) -> bool:
    """Whether `now` falls between the period's start and end, inside its hours or not."""
    start, end = period_bounds(period, zone)
    return start <= now < end


def is_blocking(period: Period, now: datetime, zone: tzinfo) -> bool:
    """Whether the block is on at the aware instant `now`."""
    start, end = period_bounds(period, zone)
    return start <= now < end and _in_windows(period, now, zone)


def _boundaries(period: Period, now: datetime, zone: tzinfo) -> Iterator[datetime]:
    """Every instant after `now` at which blocking could change, in increasing order."""
    start, end = period_bounds(period, zone)
    if now < start:
        yield start
    after = max(now, start)
    # Windows that start on a day begin at or after that day's midnight but may end the
    # next day, so an instant is only released once every day that could precede it is in.
    pending: list[datetime] = []
    day = after.astimezone(zone).date() - timedelta(days=1)
    while period.windows and (pending or _instant(datetime.combine(day, time()), zone) < end):
        next_midnight = _instant(datetime.combine(day + timedelta(days=1), time()), zone)
        if _instant(datetime.combine(day, time()), zone) < end:
            for window in period.windows:
                for instant in _window_spans(window, day, zone) or ():
                    if after < instant < end:
                        heapq.heappush(pending, instant)
        else:
            next_midnight = end
        while pending and pending[0] <= next_midnight:
            yield heapq.heappop(pending)
        day += timedelta(days=1)
    if now < end:
        yield end


def next_change(period: Period, now: datetime, zone: tzinfo) -> datetime | None:
    """The next instant after `now` at which `is_blocking` flips; None when it never will."""
    current = is_blocking(period, now, zone)
    for instant in _boundaries(period, now, zone):
        if is_blocking(period, instant, zone) != current:
            return instant
    return None
