"""What the urge log says about the period so far: pure, from log entries and the period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from blocker.core import truthtext as words


@dataclass(frozen=True)
class Entry:
    """One line of the urge log, as the statistics read it."""

    at: datetime
    kind: str
    target: str
    detail: dict[str, Any]


BARS = "▁▂▃▄▅▆▇█"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def sparkline(counts: list[int]) -> str:
    top = max(counts, default=0)
    if top == 0:
        return BARS[0] * len(counts)
    return "".join(BARS[round(c / top * (len(BARS) - 1))] for c in counts)


def longest_streak(start: date, today: date, broken: set[date]) -> int:
    """The most days in a row, from the start of the period to today, without a pause used."""
    best = run = 0
    day = start
    while day <= today:
        run = 0 if day in broken else run + 1
        best = max(best, run)
        day += timedelta(days=1)
    return best


def summary(
    entries: list[Entry],
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    zone: tzinfo,
    days_shown: int = 14,
) -> dict[str, Any]:
    def local_day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    today = local_day(min(now, end - timedelta(microseconds=1)))
    first = local_day(start)
    urges = [e for e in entries if e.kind == "urge"]
    per_day = Counter(local_day(e.at) for e in urges)
    shown = [today - timedelta(days=n) for n in reversed(range(days_shown))]
    counts = [per_day.get(day, 0) for day in shown]
    kinds = Counter(e.kind for e in entries)
    used_days = {local_day(e.at) for e in entries if e.kind == "used"}
    hours = Counter(e.at.astimezone(zone).hour for e in urges)
    last = local_day(end - timedelta(microseconds=1))
    used_per_day = Counter(local_day(e.at) for e in entries if e.kind == "used")
    period_days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        "period_days": [
            {
                "date": d.isoformat(),
                "urges": per_day.get(d, 0),
                "pauses_used": used_per_day.get(d, 0),
                "past": d <= today,
            }
            for d in period_days
        ],
        "day": (today - first).days + 1 if now >= start else None,
        "days": (local_day(end - timedelta(microseconds=1)) - first).days + 1,
        "longest_streak": longest_streak(first, today, used_days) if now >= start else 0,
        "urges": len(urges),
        "urges_per_day": {day.isoformat(): count for day, count in zip(shown, counts, strict=True)},
        "sparkline": sparkline(counts),
        "pauses": {"asked": kinds["asked"], "cancelled": kinds["cancelled"], "used": kinds["used"]},
        "urge_hours": [hours.get(hour, 0) for hour in range(24)],
    }


def text(stats: dict[str, Any], truth: dict[str, Any] | None = None) -> str:
    """The progress for a person; with the daemon's `truth`, its first line says the day
    and the mode as `blocker status` does."""
    pauses = stats["pauses"]
    lines = []
    day = words.day_phrase(truth) if truth else None
    if truth is not None:
        lines.append(
            f"{day + ' · ' if day else ''}{words.mode_phrase(truth)}. Longest run without "
            f"a pause: {_days(stats['longest_streak'])}."
        )
    elif stats["day"] is not None:
        lines.append(
            f"Day {stats['day']} of {stats['days']}. Longest run without a pause: "
            f"{_days(stats['longest_streak'])}."
        )
    lines.append(
        f"Urges resisted: {stats['urges']}. Last {len(stats['urges_per_day'])} "
        f"days: {stats['sparkline']}"
    )
    lines.append(
        f"Pauses: asked for {pauses['asked']}, cancelled {pauses['cancelled']}, "
        f"used {pauses['used']}."
    )
    busiest = sorted(range(24), key=lambda h: -stats["urge_hours"][h])[:3]
    if stats["urges"]:
        lines.append(
            "Urges come most around "
            + ", ".join(f"{h:02d}:00" for h in busiest if stats["urge_hours"][h])
            + ": plan something for those hours."
        )
    return "\n".join(lines)
