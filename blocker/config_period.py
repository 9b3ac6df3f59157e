"""The `period:` of the block list: dates, times of day, weekdays and daily windows,
read as people write them, into a schedule.Period. Errors name file:line:column."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from blocker.errors import ConfigError
from blocker.fields import items, mapping, scalar
from blocker.schedule import Period, Window
from blocker.yamlsource import Node, Scalar, Sequence

MAX_PERIOD_DAYS = 3660
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DATETIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_GROUPS = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "every day": frozenset(range(7)),
    "daily": frozenset(range(7)),
}


def _parse_moment(node: Node, *, end_of_day: bool) -> datetime:
    text = scalar(node, "a date like 2026-12-01 or a date and time like 2026-12-01 18:00").text
    text = text.strip()
    try:
        if _DATE.match(text):
            day = date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
            moment = datetime.combine(day, time())
            return moment + timedelta(days=1) if end_of_day else moment
        if _DATETIME.match(text):
            day_text, clock = re.split(r"[ T]", text, maxsplit=1)
            padded = "-".join(part.zfill(2) for part in day_text.split("-"))
            return datetime.fromisoformat(f"{padded} {clock.zfill(5)}")
    except ValueError:
        raise ConfigError(
            f"expected a date that exists on the calendar, found {text!r}", node.where
        ) from None
    raise ConfigError(
        f"expected a date like 2026-12-01 or a date and time like 2026-12-01 18:00 (local "
        f"time), found {text!r}",
        node.where,
    )


def _parse_clock(node: Node) -> time:
    text = scalar(node, "a time of day like 21:00").text.strip()
    match = _CLOCK.match(text)
    if match and int(match[1]) <= 24 and int(match[2]) < 60:
        hours, minutes = int(match[1]), int(match[2])
        if hours == 24 and minutes == 0:
            return time(0, 0)
        if hours < 24:
            return time(hours, minutes)
    raise ConfigError(f"expected a time of day like 21:00 or 07:30, found {text!r}", node.where)


def _parse_days(node: Node) -> frozenset[int]:
    if isinstance(node, Scalar) and node.text.strip().lower() in _DAY_GROUPS:
        return _DAY_GROUPS[node.text.strip().lower()]
    days: set[int] = set()
    entries = items(node) if isinstance(node, Sequence) else (node,)
    for entry in entries:
        word = scalar(entry, "a weekday such as mon").text.strip().lower()
        if word in _FULL_WEEKDAYS:
            word = word[:3]
        if word not in WEEKDAYS:
            raise ConfigError(
                f"expected weekdays (mon, tue, wed, thu, fri, sat, sun) or weekdays, weekends, "
                f"every day; found {scalar(entry, 'a weekday').text!r}",
                entry.where,
            )
        days.add(WEEKDAYS.index(word))
    if not days:
        raise ConfigError("expected at least one weekday, found none", node.where)
    return frozenset(days)


def _parse_window(node: Node) -> Window:
    fields = mapping(node, "a window with days, from and to", ("days", "from", "to"))
    for needed in ("from", "to"):
        if needed not in fields:
            raise ConfigError(f"this window needs `{needed}:` (a time like 21:00)", node.where)
    days = _parse_days(fields["days"]) if "days" in fields else _DAY_GROUPS["daily"]
    return Window(days, _parse_clock(fields["from"]), _parse_clock(fields["to"]))


def parse_period(node: Node) -> Period:
    fields = mapping(
        node, "the period (start, and days or until)", ("start", "days", "until", "windows")
    )
    if "start" not in fields:
        raise ConfigError("the period needs `start:` (a date like 2026-12-01)", node.where)
    start = _parse_moment(fields["start"], end_of_day=False)
    if ("days" in fields) == ("until" in fields):
        raise ConfigError(
            "write either `days:` (how long) or `until:` (the last day), not both or neither",
            node.where,
        )
    if "days" in fields:
        days_node = scalar(fields["days"], "a number of days")
        if not days_node.text.strip().isdigit() or not 0 < int(days_node.text) <= MAX_PERIOD_DAYS:
            raise ConfigError(
                f"expected a whole number of days from 1 to {MAX_PERIOD_DAYS}, "
                f"found {days_node.text!r}",
                days_node.where,
            )
        end = start + timedelta(days=int(days_node.text))
    else:
        end = _parse_moment(fields["until"], end_of_day=True)
        if end <= start:
            raise ConfigError(
                f"`until` ({end:%Y-%m-%d %H:%M}) is not after `start` ({start:%Y-%m-%d %H:%M})",
                fields["until"].where,
            )
    windows = tuple(_parse_window(w) for w in items(fields.get("windows")))
    return Period(start, end, windows)
