"""What the urge log says about the period so far: pure, from log entries and the period.
The daemon's answer and the CLI's own reading of the log (no daemon running) both come
from `period_summary`, so the two never tell a different story."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from blocker.core import truthtext as words
from blocker.core.schedule import Period, period_bounds


@dataclass(frozen=True)
class Entry:
    """One line of the urge log, as the statistics read it."""

    at: datetime
    kind: str
    target: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """As the daemon's answer to Op.LOG carries it."""
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "target": self.target,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, line: dict[str, Any]) -> Entry:
        detail = line.get("detail")
        return cls(
            datetime.fromisoformat(str(line["at"])),
            str(line["kind"]),
            str(line.get("target", "")),
            detail if isinstance(detail, dict) else {},
        )


BARS = "▁▂▃▄▅▆▇█"
DAYS_SHOWN = 14  # the sparkline's days: two weeks show a trend, and fit a terminal line

# The log's kinds that say the block list file was read whole and taken in: applied at
# once, a loosening edit that now waits out its cooldown, or a waiting edit undone.
TAKEN_IN = frozenset({"applied", "asked config", "cancelled config"})
# An editor often saves in two steps: nano, VS Code and vim with `backupcopy=yes` empty the
# file and then write it; vim's default and Emacs move the old file aside and then write a
# new one. The daemon reads between the steps and rejects an empty or missing list; the
# good read follows within milliseconds. The log's times are whole seconds, so those two
# reads can be a second apart on paper, and a busy machine delays the daemon's second look
# a little: 2 s covers both. A person's own broken edit takes longer than that to notice
# and put right, so it stays in the log.
SETTLING = timedelta(seconds=2)


# Fewer urges than this tell no pattern of hours worth planning around.
PATTERN_URGES = 5


def worth_showing(entries: list[Entry]) -> list[Entry]:
    """The entries without the transient rejections an editor's save leaves: a "rejected"
    followed within SETTLING by the list being taken in. Entries are in the log's order."""
    kept: list[Entry] = []
    taken_in: datetime | None = None  # the nearest later entry that took the list in
    for entry in reversed(entries):
        if entry.kind in TAKEN_IN:
            taken_in = entry.at
        elif (
            entry.kind == "rejected"
            and taken_in is not None
            and timedelta(0) <= taken_in - entry.at <= SETTLING
        ):
            continue
        kept.append(entry)
    kept.reverse()
    return kept


def sparkline(counts: list[int]) -> str:
    top = max(counts, default=0)
    if top == 0:
        return BARS[0] * len(counts)
    return "".join(BARS[round(c / top * (len(BARS) - 1))] for c in counts)


def days_shown(first: date, today: date, most: int = DAYS_SHOWN) -> list[date]:
    """The days the sparkline shows, oldest first: the last `most` up to today, but none
    before the period's first day (none at all before the period begins). Days are the
    person's calendar days, midnight to midnight where they are, 23 or 25 hours long on
    the days the clocks change."""
    oldest = max(first, today - timedelta(days=most - 1))
    return [oldest + timedelta(days=n) for n in range((today - oldest).days + 1)]


def longest_streak(start: date, today: date, broken: set[date]) -> int:
    """The most days in a row, from the start of the period to today, without a pause used."""
    best = run = 0
    day = start
    while day <= today:
        run = 0 if day in broken else run + 1
        best = max(best, run)
        day += timedelta(days=1)
    return best


def period_summary(
    entries: list[Entry], period: Period, now: datetime, zone: tzinfo
) -> dict[str, Any]:
    """The summary of the log for `period`, as the daemon answers Op.STATS and as the CLI
    tells it from the log file itself: one function, so that they cannot differ."""
    start, end = period_bounds(period, zone)
    return summary(worth_showing(entries), start, end, now, zone=zone)


def summary(
    entries: list[Entry],
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    zone: tzinfo,
    days: int = DAYS_SHOWN,
) -> dict[str, Any]:
    def local_day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    today = local_day(min(now, end - timedelta(microseconds=1)))
    first = local_day(start)
    urges = [e for e in entries if e.kind == "urge"]
    per_day = Counter(local_day(e.at) for e in urges)
    shown = days_shown(first, today, days)
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
        "days": (last - first).days + 1,
        "longest_streak": longest_streak(first, today, used_days) if now >= start else 0,
        "urges": len(urges),
        "urges_per_day": {day.isoformat(): count for day, count in zip(shown, counts, strict=True)},
        "sparkline": sparkline(counts),
        "pauses": {"asked": kinds["asked"], "cancelled": kinds["cancelled"], "used": kinds["used"]},
        "urge_hours": [hours.get(hour, 0) for hour in range(24)],
    }


def _per_day_phrase(stats: dict[str, Any]) -> str | None:
    """`Last 14 days: ▁▃█…`, or, in the period's first two weeks, from its first day on."""
    shown = len(stats["urges_per_day"])
    if shown == 0:  # the period has not begun
        return None
    if shown < DAYS_SHOWN:
        return f"Each day since the period began: {stats['sparkline']}"
    return f"Last {words.counted(shown, 'day')}: {stats['sparkline']}"


def text(stats: dict[str, Any], truth: dict[str, Any] | None = None) -> str:
    """The progress for a person; with the daemon's `truth`, its first line says the day
    and the mode as `blocker status` does."""
    pauses = stats["pauses"]
    lines = []
    day = words.day_phrase(truth) if truth else None
    streak = words.counted(stats["longest_streak"], "day")
    if truth is not None:
        lines.append(
            f"{day + ' · ' if day else ''}{words.mode_phrase(truth)}. Longest run without "
            f"a pause: {streak}."
        )
    elif stats["day"] is not None:
        lines.append(
            f"Day {stats['day']} of {stats['days']}. Longest run without a pause: {streak}."
        )
    per_day = _per_day_phrase(stats)
    lines.append(f"Urges resisted: {stats['urges']}." + (f" {per_day}" if per_day else ""))
    lines.append(
        f"Pauses: asked for {pauses['asked']}, cancelled {pauses['cancelled']}, "
        f"used {pauses['used']}."
    )
    busiest = sorted(range(24), key=lambda h: -stats["urge_hours"][h])[:3]
    if stats["urges"] >= PATTERN_URGES:
        lines.append(
            "Urges come most around "
            + ", ".join(f"{h:02d}:00" for h in busiest if stats["urge_hours"][h])
            + ": plan something for those hours."
        )
    return "\n".join(lines)
