"""What holds now, in one answer every view renders: the mode (blocking, paused, stopped,
outside the blocking hours, before or after the period, held), when it ends, the next
change and what it is, every request waiting for its cooldown, the entries in force
(marked where a waiting edit takes them off) and the last edit of the list that was
rejected.

Pure: the caller hands in the list in force, the period's plan, the gate and the flags;
status, plan, list, stats and the tray only put this answer into words. Two views that
each worked the mode out for themselves are how a pause came to read "blocking now".
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from blocker.core.config import Config
from blocker.core.gate import GateState, Request, is_paused
from blocker.core.loosening import Enforced, unblocked
from blocker.core.plan import Desired
from blocker.core.schedule import period_bounds
from blocker.core.targets import Target
from blocker.core.witness import Held, widened


class Mode(StrEnum):
    BLOCKING = "blocking"
    PAUSED = "paused"
    STOPPED = "stopped"
    OUTSIDE_HOURS = "outside_hours"
    BEFORE_PERIOD = "before_period"
    AFTER_PERIOD = "after_period"
    HELD = "held"  # after a lost state, what the machine held stays, whatever the list says


class Next(StrEnum):
    """What the next change is."""

    PERIOD_STARTS = "period_starts"
    PERIOD_ENDS = "period_ends"
    HOURS_BEGIN = "hours_begin"
    HOURS_END = "hours_end"
    PAUSE_ENDS = "pause_ends"
    HOLD_ENDS = "hold_ends"
    REQUEST = "request"  # a waiting request matures, unless cancelled


@dataclass(frozen=True)
class Rejected:
    """An edit of the block list that was not taken in: the last good list stays."""

    error: str
    at: datetime


@dataclass(frozen=True)
class Change:
    at: datetime
    what: Next
    request: Request | None = None  # the request that matures, for Next.REQUEST


@dataclass(frozen=True)
class Entry:
    target: Target
    comes_off: Request | None = None  # the waiting edit that takes it off the list
    page: str | None = None  # tells apart entries of one label (two forms of a profile)

    @property
    def label(self) -> str:
        return self.target.label if self.page is None else f"{self.target.label} ({self.page})"


@dataclass(frozen=True)
class Truth:
    now: datetime
    zone: tzinfo
    mode: Mode
    until: datetime | None  # when the mode ends by itself; None: it does not
    next: Change | None
    waiting: tuple[Request, ...]
    entries: tuple[Entry, ...]
    enforced: Desired  # what the layers hold now: nothing unless blocking or held
    period_blocking: bool  # whether the period's hours are on (pause and stop aside)
    period_start: datetime
    period_end: datetime
    rejected: Rejected | None = None
    held: Held | None = None  # only while it holds
    hosts_blocked: frozenset[str] | None = None  # what the hosts file holds; None: unknown
    reasons: tuple[str, ...] = ()

    @property
    def enforcing(self) -> bool:
        return self.mode in (Mode.BLOCKING, Mode.HELD)

    @property
    def hosts_as_enforced(self) -> bool | None:
        """Whether the hosts file holds exactly what is enforced now (None: not read)."""
        if self.hosts_blocked is None:
            return None
        return self.hosts_blocked == frozenset(self.enforced.domains)

    @property
    def day(self) -> tuple[int, int] | None:
        """(day N, of M days) while the period runs; None before or after it."""
        start, end = self.period_start, self.period_end
        if not start <= self.now < end:
            return None
        return (self.now - start).days + 1, max(1, round((end - start).total_seconds() / 86400))

    def local(self, moment: datetime | None) -> str | None:
        return None if moment is None else moment.astimezone(self.zone).isoformat("T", "seconds")

    def _request_json(self, request: Request) -> dict[str, Any]:
        ends = request.matures_at + request.length if request.length is not None else None
        return {
            "id": request.id,
            "kind": request.kind,
            "summary": request.summary,
            "asked_at": self.local(request.asked_at),
            "matures_at": self.local(request.matures_at),
            "in_seconds": _seconds(request.matures_at - self.now),
            "ends_at": self.local(ends),  # a pause's end, were it to start at maturity
        }

    def entry_json(self, entry: Entry) -> dict[str, Any]:
        off = entry.comes_off
        return {
            "label": entry.label,
            "kind": entry.target.kind,
            "comes_off": None if off is None else self._request_json(off),
        }

    def to_json(self) -> dict[str, Any]:
        day = self.day
        change = self.next
        held = self.held
        return {
            "at": self.local(self.now),
            "mode": str(self.mode),
            "until": self.local(self.until),
            "until_in_seconds": None if self.until is None else _seconds(self.until - self.now),
            "enforcing": self.enforcing,
            "period_blocking": self.period_blocking,
            "next": None
            if change is None
            else {
                "at": self.local(change.at),
                "in_seconds": _seconds(change.at - self.now),
                "what": str(change.what),
                "request": None if change.request is None else self._request_json(change.request),
            },
            "waiting": [self._request_json(r) for r in self.waiting],
            "entries": [self.entry_json(e) for e in self.entries],
            "rejected": None
            if self.rejected is None
            else {"error": self.rejected.error, "at": self.local(self.rejected.at)},
            "held": None
            if held is None
            else {
                "until": self.local(held.until),
                "reason": held.reason,
                "domains": list(held.domains),
                "url_prefixes": list(held.url_prefixes),
            },
            "period": {
                "start": self.local(self.period_start),
                "end": self.local(self.period_end),
                "day": day[0] if day else None,
                "days": day[1] if day else None,
            },
            "hosts": None
            if self.hosts_blocked is None
            else {
                "names": len(self.hosts_blocked),
                "expected": len(self.enforced.domains),
                "as_enforced": self.hosts_as_enforced,
            },
        }


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def _mode(
    now: datetime,
    planned: Desired,
    gate: GateState,
    *,
    stopped: bool,
    held: Held | None,
    bounds: tuple[datetime, datetime],
) -> tuple[Mode, datetime | None]:
    """The mode and when it ends by itself: the first rule that applies wins."""
    start, end = bounds
    pause_end = gate.pause.ends_at if gate.pause is not None and is_paused(gate, now) else None
    rules = (
        (held is not None, Mode.HELD, held.until if held is not None else None),
        (now >= end, Mode.AFTER_PERIOD, None),
        (stopped, Mode.STOPPED, None),  # until `blocker start`
        (now < start, Mode.BEFORE_PERIOD, start),
        (not planned.blocking, Mode.OUTSIDE_HOURS, planned.next_change),
        (pause_end is not None, Mode.PAUSED, pause_end),
    )
    return next(
        ((mode, until) for applies, mode, until in rules if applies),
        (Mode.BLOCKING, planned.next_change),
    )


def _next(
    mode: Mode,
    planned: Desired,
    gate: GateState,
    held: Held | None,
    bounds: tuple[datetime, datetime],
) -> Change | None:
    start, end = bounds
    changes: list[Change] = [Change(r.matures_at, Next.REQUEST, r) for r in gate.pending]
    boundary = planned.next_change
    if boundary is not None and mode is not Mode.STOPPED:
        if boundary == start:
            what = Next.PERIOD_STARTS
        elif boundary == end:
            what = Next.PERIOD_ENDS
        else:
            what = Next.HOURS_END if planned.blocking else Next.HOURS_BEGIN
        changes.append(Change(boundary, what))
    if mode is Mode.PAUSED and gate.pause is not None:
        changes.append(Change(gate.pause.ends_at, Next.PAUSE_ENDS))
    if held is not None:
        changes.append(Change(held.until, Next.HOLD_ENDS))
    # At a tie the schedule and the pause come first: they happen, a request may be cancelled.
    return min(changes, key=lambda c: (c.at, c.what is Next.REQUEST), default=None)


def what_holds(
    now: datetime,
    zone: tzinfo,
    config: Config,
    planned: Desired,
    gate: GateState,
    *,
    stopped: bool = False,
    held: Held | None = None,
    rejected: Rejected | None = None,
    after_edit: Config | None = None,
    hosts_blocked: frozenset[str] | None = None,
) -> Truth:
    """What holds at `now` for the list in force `config` (with what a waiting edit adds)
    and its plan `planned` (by whichever clock blocks). `after_edit` is the list the
    waiting edit leaves: entries in force that block something it does not come off
    (wholly or a page of them) when it matures."""
    bounds = period_bounds(config.period, zone)
    holding = held if held is not None and held.holds(now) else None
    mode, until = _mode(now, planned, gate, stopped=stopped, held=holding, bounds=bounds)
    blocks_by_plan = planned.blocking and not stopped and not is_paused(gate, now)
    enforced = planned if blocks_by_plan else Desired(False, (), (), (), planned.next_change)
    if holding is not None:  # as the engine does: held whatever the list, pause or stop say
        domains, prefixes = widened(enforced.domains, enforced.url_prefixes, holding, now)
        enforced = dataclasses.replace(
            enforced, blocking=True, domains=domains, url_prefixes=prefixes
        )
    edit = next((r for r in gate.pending if r.kind == "config"), None)
    kept = None if after_edit is None else Enforced.by(after_edit)
    labels = Counter(t.label for t in config.targets)
    entries = tuple(
        Entry(
            t,
            edit if edit is not None and kept is not None and unblocked(t, kept) else None,
            t.url_prefixes[0] if labels[t.label] > 1 and t.url_prefixes else None,
        )
        for t in config.targets
    )
    return Truth(
        now=now,
        zone=zone,
        mode=mode,
        until=until,
        next=_next(mode, planned, gate, holding, bounds),
        waiting=tuple(sorted(gate.pending, key=lambda r: r.matures_at)),
        entries=entries,
        enforced=enforced,
        period_blocking=planned.blocking,
        period_start=bounds[0],
        period_end=bounds[1],
        rejected=rejected,
        held=holding,
        hosts_blocked=hosts_blocked,
        reasons=config.reasons,
    )
