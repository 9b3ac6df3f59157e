"""The gate: pauses and every other loosening wait out a cooldown and can be cancelled.

Pure: each function takes the state and the trusted `now` and returns a new state. The
daemon decides what "blocking" is and applies what matures; nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from blocker.core.config import PauseRules
from blocker.core.durations import format_duration

HISTORY_DAYS = 8  # a week of asked/cancelled/used pauses, for the counts the tray shows
# The shortest pause one may ask for by length (a list whose max_length is shorter, as the
# tests' lists of seconds are, allows its own): shorter is a slip of the keyboard.
SHORTEST_PAUSE = timedelta(minutes=1)


# What may be asked for besides a pause and an edit, as the person reads it.
Loosening = Literal["stop", "uninstall", "forget"]
LOOSENINGS: dict[Loosening, str] = {
    "stop": "stop blocking",
    "uninstall": "uninstall blocker",
    "forget": "forget the urge log",
}


class GateError(ValueError):
    """A request the gate refuses; the message says why and what the person can do."""


class MistakenRequest(GateError):
    """A request that cannot be right whatever the block holds (a request id that never
    was, a pause of no length): a mistake in what was typed, not a refusal to loosen."""


@dataclass(frozen=True)
class Request:
    id: str
    kind: str  # "pause", "config", "stop" or "uninstall"
    summary: str  # what it loosens, in words
    asked_at: datetime
    matures_at: datetime
    length: timedelta | None = None  # a pause's length
    payload: str | None = None  # a config request's new block list text


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class DayCount:
    """One day of pause history: how many pauses were asked for, cancelled and begun.
    Counts, not a line per event, so a thousand asks cost no more than one."""

    day: date  # in the person's time zone
    asked: int = 0
    cancelled: int = 0
    started: int = 0


@dataclass(frozen=True)
class GateState:
    pending: tuple[Request, ...] = ()
    pause: Pause | None = None
    history: tuple[DayCount, ...] = ()  # oldest first, at most HISTORY_DAYS days
    next_id: int = 1


@dataclass(frozen=True)
class Advanced:
    state: GateState
    matured: tuple[Request, ...] = ()
    pause_started: Pause | None = None
    pause_ended: bool = False


def _day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def _counted(
    history: tuple[DayCount, ...], moment: datetime, zone: tzinfo, what: str
) -> tuple[DayCount, ...]:
    """`history` with one more `what` ("asked", "cancelled", "started") on `moment`'s day,
    and days older than the history keeps dropped."""
    day = _day(moment, zone)
    horizon = day - timedelta(days=HISTORY_DAYS - 1)
    kept = {d.day: d for d in history if horizon <= d.day}
    counted = kept.get(day, DayCount(day))
    kept[day] = dataclasses.replace(counted, **{what: getattr(counted, what) + 1})
    return tuple(kept[d] for d in sorted(kept))


def pauses_started_on(state: GateState, day: date) -> int:
    return sum(d.started for d in state.history if d.day == day)


def week_counts(state: GateState, now: datetime, zone: tzinfo) -> dict[str, int]:
    """How many pauses were asked for, cancelled and used today and the six days before."""
    since = _day(now, zone) - timedelta(days=6)
    week = [d for d in state.history if d.day >= since]
    return {
        "asked": sum(d.asked for d in week),
        "cancelled": sum(d.cancelled for d in week),
        "started": sum(d.started for d in week),
    }


def _take_id(state: GateState) -> tuple[GateState, str]:
    return dataclasses.replace(state, next_id=state.next_id + 1), f"r{state.next_id}"


def shortest_pause(rules: PauseRules) -> timedelta:
    return min(SHORTEST_PAUSE, rules.max_length)


def pause_refusal(
    state: GateState, now: datetime, rules: PauseRules, zone: tzinfo, *, blocking: bool
) -> str | None:
    """Why no pause of any length may be asked for now, or None: what ask_pause refuses
    before the length, said here once so that the tray can grey its pause out with it."""
    if state.pause is not None and now < state.pause.ends_at:
        until = state.pause.ends_at.astimezone(zone)
        return f"a pause is already on until {until:%H:%M}"
    if not blocking:
        return "the block is not on right now, so there is nothing to pause"
    waiting = next((r for r in state.pending if r.kind == "pause"), None)
    if waiting is not None:
        return (
            f"a pause is already waiting for its cooldown ({waiting.id}); `blocker cancel` drops it"
        )
    if pauses_started_on(state, _day(now, zone)) >= rules.per_day:
        return f"today's {rules.per_day} pauses are used; the next one can be asked for tomorrow"
    return None


def ask_pause(
    state: GateState,
    now: datetime,
    rules: PauseRules,
    zone: tzinfo,
    *,
    blocking: bool,
    length: timedelta | None = None,
) -> tuple[GateState, Request]:
    """Ask for a pause: it starts once the cooldown is over, unless cancelled first."""
    length = rules.max_length if length is None else length
    shortest = shortest_pause(rules)
    if length < shortest:  # a slip of the keyboard, told before what the state refuses
        least = "a minute" if shortest == SHORTEST_PAUSE else format_duration(shortest)
        raise MistakenRequest(f"a pause must last at least {least}")
    refused = pause_refusal(state, now, rules, zone, blocking=blocking)
    if refused is not None:
        raise GateError(refused)
    if length > rules.max_length:
        longest = format_duration(rules.max_length)
        raise GateError(
            f"a pause can last at most {longest}; `blocker pause {longest}` asks for that"
        )
    state, request_id = _take_id(state)
    request = Request(
        request_id,
        "pause",
        f"pause for {format_duration(length)}",
        now,
        now + rules.cooldown,
        length=length,
    )
    history = _counted(state.history, now, zone, "asked")
    return dataclasses.replace(state, pending=(*state.pending, request), history=history), request


def ask_loosening(
    state: GateState,
    now: datetime,
    rules: PauseRules,
    *,
    committed: bool,
    kind: str,
    summary: str,
    payload: str | None = None,
) -> tuple[GateState, Request]:
    """Ask to loosen the block (a config edit, stop, uninstall). While the person is
    `committed` (the period is on, inside its hours or not) it matures after the
    cooldown; otherwise at once. A newer config request replaces an older one and waits
    its own full cooldown, so edits cannot ride on an older wait; it keeps the older
    one's id, which the person was told to cancel it by."""
    matures_at = now + rules.cooldown if committed else now
    replaced = [r for r in state.pending if kind == "config" and r.kind == "config"]
    kept = tuple(r for r in state.pending if r not in replaced)
    if kind != "config" and any(r.kind == kind for r in kept):
        raise GateError(f"a {kind} request is already waiting; `blocker cancel` drops it")
    if replaced:
        request_id = replaced[0].id
    else:
        state, request_id = _take_id(state)
    request = Request(request_id, kind, summary, now, matures_at, payload=payload)
    return dataclasses.replace(state, pending=(*kept, request)), request


def amended(state: GateState, request_id: str, payload: str) -> GateState:
    """The waiting config request with a new block list text that loosens nothing more
    (an entry added while it waits): it keeps its maturity."""
    pending = tuple(
        dataclasses.replace(r, payload=payload) if r.id == request_id else r for r in state.pending
    )
    return dataclasses.replace(state, pending=pending)


def cancel(
    state: GateState, now: datetime, zone: tzinfo, request_id: str | None = None
) -> tuple[GateState, tuple[Request, ...], bool]:
    """Drop pending requests (all, or one by id) and end a running pause: both tighten, so
    both happen at once. Returns the new state, what was dropped, and whether a pause ended."""
    dropped = tuple(r for r in state.pending if request_id in (None, r.id))
    if request_id is not None and not dropped:
        raise MistakenRequest(f"there is no waiting request {request_id!r}")
    kept = tuple(r for r in state.pending if r not in dropped)
    ended = request_id is None and state.pause is not None and now < state.pause.ends_at
    history = state.history
    for request in dropped:
        if request.kind == "pause":
            history = _counted(history, now, zone, "cancelled")
    return (
        dataclasses.replace(
            state, pending=kept, pause=None if ended else state.pause, history=history
        ),
        dropped,
        ended,
    )


def advance(state: GateState, now: datetime, zone: tzinfo, *, blocking: bool) -> Advanced:
    """Mature what is due at `now`: a pause begins (at its maturity, so a late wake-up
    never lengthens it), a finished pause ends, and other requests are handed back."""
    due = tuple(r for r in state.pending if r.matures_at <= now)
    pending = tuple(r for r in state.pending if r.matures_at > now)
    pause, history, started = state.pause, state.history, None
    for request in due:
        if request.kind == "pause" and request.length is not None and blocking:
            pause = started = Pause(request.matures_at, request.matures_at + request.length)
            history = _counted(history, request.matures_at, zone, "started")
    ended = pause is not None and now >= pause.ends_at
    if ended:
        pause = None
    new_state = dataclasses.replace(state, pending=pending, pause=pause, history=history)
    others = tuple(r for r in due if r.kind != "pause")
    return Advanced(new_state, others, started if not ended else None, ended)


def postponed(state: GateState, by: timedelta) -> GateState:
    """Every waiting request `by` later: the daemon starts again after `by` of not
    running, and no cooldown is served by time blocker did not see pass. Across a reboot
    that time is known only from the wall clock, which the person can set; within a boot
    it is exact, but a sealed state file can be an older copy put back, whose waiting
    requests (cancelled since) would otherwise find their cooldown served. A running
    pause keeps its end: moving that later would lengthen it."""
    if by <= timedelta(0):
        return state
    pending = tuple(dataclasses.replace(r, matures_at=r.matures_at + by) for r in state.pending)
    return dataclasses.replace(state, pending=pending)


def is_paused(state: GateState, now: datetime) -> bool:
    return state.pause is not None and state.pause.started_at <= now < state.pause.ends_at


def next_event(state: GateState) -> datetime | None:
    """The next instant at which `advance` has something to do."""
    moments = [r.matures_at for r in state.pending]
    if state.pause is not None:
        moments.append(state.pause.ends_at)
    return min(moments, default=None)
