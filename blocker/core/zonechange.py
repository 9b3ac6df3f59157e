"""A change of the computer's time zone, followed only after the cooldown. The period's
days and its daily hours are read in the computer's zone, so changing the zone (to one
where it is not evening yet, or already tomorrow) would move them at once, a loosening
that waited for nothing. Instead, until the cooldown from when the change was noticed
is over, the block goes by the old zone and the new one together: blocking where either
says so. Pure; the daemon keeps the zone it plans by in its state."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ZoneChange:
    """The zone the block went by before the computer's changed, and until when it still
    counts (blocker's trusted time)."""

    before: str  # an IANA name, e.g. "Europe/Berlin"
    until: datetime

    def counts(self, now: datetime) -> bool:
        return now < self.until

    def postponed(self, saved_at: datetime, by: timedelta) -> ZoneChange:
        """Served only by time blocker saw pass, as a cooldown is (gate.postponed)."""
        if by <= timedelta(0) or not self.counts(saved_at):
            return self
        return dataclasses.replace(self, until=self.until + by)


def followed(
    planned_by: str | None,
    change: ZoneChange | None,
    machine: str | None,
    now: datetime,
    cooldown: timedelta,
    *,
    committed: bool,
) -> tuple[str | None, ZoneChange | None]:
    """The zone to plan by from now and the change still counting, once the computer's
    zone is `machine` (None: it has no name blocker can keep, so nothing is followed)."""
    if change is not None and not change.counts(now):
        change = None
    if machine is None or planned_by is None or machine == planned_by:
        return machine or planned_by, change
    if not committed:
        return machine, None  # outside the period the zone loosens nothing
    if change is not None and change.before == machine:
        return machine, None  # changed back before the cooldown was over
    # A second change within the cooldown keeps the first one's zone and end: the zone
    # the block went by before any of them counts until then.
    kept = change or ZoneChange(planned_by, now + cooldown)
    return machine, kept
