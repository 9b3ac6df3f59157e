"""A change of the computer's time zone, followed only after the cooldown. The period's
days and its daily hours are read in the computer's zone, so changing the zone (to one
where it is not evening yet, or already tomorrow) would move them at once, a loosening
that waited for nothing. Instead, until the cooldown from when the change was noticed
is over, the block goes by the old zone and the new one together: blocking where either
says so. Pure; the daemon keeps a record of the zone it plans by in its state.

A zone is told by how it sets the clocks, not by its name: a name can be made to stand
for other rules (another zone's file over /etc/localtime, `TZ=` a file), a zone can have
no name blocker could load again (`TZ=:/some/file`, the UTC blocker falls back to), and
two names may share their rules. The record keeps the zone's offsets for two years, so
the old zone's clock is known during the cooldown without loading anything."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_DAYS = 731  # two years of noons: every change of offset a zone makes in them


@dataclass(frozen=True)
class ZoneRecord:
    """A zone's UTC offset (in minutes) from noon UTC of each day of two years from
    1 January of `year`, as the days on which it changes: ((day, offset), ...)."""

    name: str
    year: int
    changes: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        if not self.changes:  # a state file holding none is damaged, not believed
            raise ValueError("a zone with no offsets")

    @classmethod
    def of(cls, zone: tzinfo, year: int) -> ZoneRecord:
        first = datetime(year, 1, 1, 12, tzinfo=UTC)
        changes: list[tuple[int, int]] = []
        for day in range(_DAYS):
            offset = (first + timedelta(days=day)).astimezone(zone).utcoffset()
            minutes = round(offset.total_seconds() / 60) if offset is not None else 0
            if not changes or changes[-1][1] != minutes:
                changes.append((day, minutes))
        name = str(getattr(zone, "key", None) or zone.tzname(first) or "this computer's zone")
        return cls(name, year, tuple(changes))

    def same_clocks(self, other: ZoneRecord) -> bool:
        return self.year == other.year and self.changes == other.changes

    def clock_at(self, moment: datetime) -> tzinfo:
        """The zone as a fixed offset, the one it had on `moment`'s day (the nearest
        day of the record outside it): exact but for a few hours of a day it changes."""
        day = (moment - datetime(self.year, 1, 1, tzinfo=UTC)).days
        minutes = self.changes[0][1]
        for first, offset in self.changes:
            if first <= day:
                minutes = offset
        return timezone(timedelta(minutes=minutes), self.name)


@dataclass(frozen=True)
class ZoneChange:
    """The zone the block went by before the computer's changed, and until when it still
    counts (blocker's trusted time)."""

    before: ZoneRecord
    until: datetime

    def counts(self, now: datetime) -> bool:
        return now < self.until

    def postponed(self, saved_at: datetime, by: timedelta) -> ZoneChange:
        """Served only by time blocker saw pass, as a cooldown is (gate.postponed)."""
        if by <= timedelta(0) or not self.counts(saved_at):
            return self
        return dataclasses.replace(self, until=self.until + by)


def followed(
    planned_by: ZoneRecord | None,
    change: ZoneChange | None,
    machine: tzinfo,
    now: datetime,
    cooldown: timedelta,
    *,
    committed: bool,
) -> tuple[ZoneRecord, ZoneChange | None]:
    """The record of the zone to plan by from now, and the change still counting, once
    the computer's zone is `machine`."""
    if change is not None and not change.counts(now):
        change = None
    current = ZoneRecord.of(machine, now.year)
    if planned_by is None or ZoneRecord.of(machine, planned_by.year).same_clocks(planned_by):
        return current, change
    if not committed:
        # Outside the period by every zone that counts: the zone loosens nothing.
        return current, None
    if change is not None and ZoneRecord.of(machine, change.before.year).same_clocks(change.before):
        return current, None  # changed back before the cooldown was over
    # A second change within the cooldown keeps the first one's zone and end: the zone
    # the block went by before any of them counts until then.
    return current, change or ZoneChange(planned_by, now + cooldown)
