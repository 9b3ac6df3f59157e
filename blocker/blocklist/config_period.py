"""The `period:` of the block list: dates, times of day, weekdays and daily windows,
read as people write them, into a schedule.Period. Errors name file:line:column."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from blocker.blocklist.fields import items, mapping, scalar, shown, whole_number
from blocker.blocklist.yamlsource import Node, Scalar, Sequence
from blocker.core.schedule import Period, Window
from blocker.errors import ConfigError

# Bounds a person never meets (a period of about ten years, dates of this century), so
# that no date of the list reaches datetime's overflow at year 9999 in the plan or the gate.
MAX_PERIOD_DAYS = 3660
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
# re.ASCII: \d would otherwise match other scripts' digits too.
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$", re.ASCII)
_DATETIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$", re.ASCII)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$", re.ASCII)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_GROUPS = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "every day": frozenset(range(7)),
    "daily": frozenset(range(7)),
}


def _parse_moment(node: Node, *, end_of_day: bool) -> datetime:
    """A date (its start, or with `end_of_day` the start of the next day) or a date and
    time, between EARLIEST and LATEST."""
    text = scalar(node, "a date like 2026-12-01 or a date and time like 2026-12-01 18:00").text
    text = text.strip()
    whole_day = bool(_DATE.match(text))
    if not whole_day and not _DATETIME.match(text):
        raise ConfigError(
            f"expected a date like 2026-12-01 or a date and time like 2026-12-01 18:00 (local "
            f"time), found {shown(text)}",
            node.where,
        )
    day_text, _, clock = text.replace("T", " ").partition(" ")
    padded = "-".join(part.zfill(2) for part in day_text.split("-"))
    try:
        moment = datetime.fromisoformat(f"{padded} {clock.zfill(5)}" if clock else padded)
    except ValueError:
        raise ConfigError(
            f"expected a date that exists on the calendar, found {shown(text)}", node.where
        ) from None
    if not EARLIEST <= moment.date() <= LATEST:
        raise ConfigError(
            f"expected a date from {EARLIEST} to {LATEST}, found {shown(text)}", node.where
        )
    # The bound above keeps this addition far from datetime's end (year 9999).
    return moment + timedelta(days=1) if whole_day and end_of_day else moment


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
        end = start + timedelta(days=whole_number(fields["days"], "days", 1, MAX_PERIOD_DAYS))
    else:
        end = _parse_moment(fields["until"], end_of_day=True)
        if end <= start:
            raise ConfigError(
                f"`until` ({end:%Y-%m-%d %H:%M}) is not after `start` ({start:%Y-%m-%d %H:%M})",
                fields["until"].where,
            )
        if end - start > timedelta(days=MAX_PERIOD_DAYS):
            raise ConfigError(
                f"a period lasts at most {MAX_PERIOD_DAYS} days (about ten years); from "
                f"`start` to this `until` is {(end - start).days:,} days",
                fields["until"].where,
            )
    windows = tuple(_parse_window(w) for w in items(fields.get("windows")))
    return Period(start, end, windows)
