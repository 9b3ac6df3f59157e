"""The no-stalking period in words, as `blocker init` and `blocker period` say it:
"Your no-stalking period starts today, 3 Dec 2026, and lasts until the end of 31 Jan 2027
(60 days)."."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from blocker.core.schedule import Period, Window
from blocker.core.truthtext import counted

_GROUPS = {
    frozenset(range(7)): "every day",
    frozenset(range(5)): "on weekdays",
    frozenset({5, 6}): "at weekends",
}
_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_words(day: date) -> str:
    """`3 Dec 2026`."""
    return f"{day.day} {day:%b %Y}"


def last_day(period: Period) -> date:
    """The last day the period covers: the day before its end when it ends at midnight."""
    end = period.end
    return (end - timedelta(days=1)).date() if end.time() == time(0) else end.date()


def length_days(period: Period) -> int:
    return max(1, round((period.end - period.start).total_seconds() / 86400))


def _when(moment: datetime, today: date, day: date) -> str:
    """`today, 3 Dec 2026`, `on 31 Jan 2027 at 18:00`: `day`, and the time of `moment`
    unless it is midnight."""
    relative = {today: "today, ", today + timedelta(days=1): "tomorrow, "}.get(day, "on ")
    text = f"{relative}{day_words(day)}"
    return text if moment.time() == time(0) else f"{text} at {moment:%H:%M}"


def hours_words(windows: tuple[Window, ...]) -> str:
    """`from 18:00 to 02:00 every day`, or `all day` without windows."""
    if not windows:
        return "all day"
    return "; ".join(
        f"from {w.start:%H:%M} to {w.end:%H:%M} "
        + _GROUPS.get(w.weekdays, "on " + ", ".join(_NAMES[d] for d in sorted(w.weekdays)))
        for w in windows
    )


def period_sentence(period: Period, now: datetime) -> str:
    """The period from the person's side of `now` (local wall time, naive): started or
    starts, ends or ended, and how many days."""
    today = now.date()
    starts = "started" if period.start.date() < today else "starts"
    start = _when(period.start, today, period.start.date())
    end = _when(period.end, today, last_day(period))
    if period.end.time() == time(0):  # "until the end of" its last day: it is included
        lasts = "lasted" if period.end <= now else "lasts"
        ends = f"{lasts} until the end of {end.removeprefix('on ')}"
    else:
        ends = f"{'ended' if period.end <= now else 'ends'} {end}"
    days = counted(length_days(period), "day")
    return f"Your no-stalking period {starts} {start}, and {ends} ({days})."


def hours_sentence(period: Period) -> str:
    if not period.windows:
        return "It blocks all day, every day of the period."
    return f"It blocks only {hours_words(period.windows)}; outside those hours nothing is blocked."


def changed_sentence(old: Period, new: Period) -> str:
    """What an edit changed, in one sentence: `Your period now lasts until the end of
    2 Mar 2027 (90 days).`"""
    parts = []
    if new.start != old.start:
        parts.append(f"starts on {day_words(new.start.date())}")
    if new.end != old.end:
        last = day_words(last_day(new))
        at_midnight = new.end.time() == time(0)
        parts.append(
            f"lasts until the end of {last}"
            if at_midnight
            else f"ends on {last} at {new.end:%H:%M}"
        )
    if new.windows != old.windows:
        parts.append(f"blocks {hours_words(new.windows)}")
    if not parts:
        return "Your period stays as it was."
    return f"Your period now {' and '.join(parts)} ({counted(length_days(new), 'day')})."
