"""The engine's step: what the clocks, the gate and the list say now, brought into force.
Part of the engine (engine.py), kept apart for its length: it reads and changes the
engine's state as the engine's own methods do, and nothing else calls it."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from blocker.core import gate
from blocker.core.plan import Desired, plan
from blocker.core.witness import STAND_IN, widened
from blocker.ipc.wire import EventName

if TYPE_CHECKING:
    from blocker.daemon.engine import Engine
    from blocker.daemon.inforce import ListInForce

logger = logging.getLogger(__name__)

LONGEST_SLEEP = 60.0
RETRY_FAILED_LAYER = 5.0  # seconds before a layer that failed is tried again


def _blocking(engine: Engine, plans: tuple[Desired, Desired]) -> bool:
    return (plans[0].blocking or plans[1].blocking) and not engine.state.stopped


def step(engine: Engine) -> float:
    """Bring everything up to date; returns the seconds until the next step is due."""
    engine.intake.check()
    # One reading of both clocks for the whole step: deciding at one instant and
    # planning the next wake-up from a later one could sleep through a boundary.
    now, wall = engine.trusted_now(), engine.clocks.wall()
    plans = plans_at(engine, now, wall)
    advanced = gate.advance(engine.state.gate, now, engine.zone, blocking=_blocking(engine, plans))
    if advanced.state != engine.state.gate:
        engine.save(gate=advanced.state)
    if advanced.pause_started:
        engine.emit(
            EventName.PAUSE_STARTED,
            f"the pause has begun; the block returns at "
            f"{engine.local_clock(advanced.pause_started.ends_at)}",
        )
    if advanced.pause_ended:
        engine.emit(EventName.PAUSE_ENDED, "the pause is over; the block is back")
    _hold_while_standing_in(engine, now)
    if engine.state.held is not None and not engine.holding(now):
        engine.save(held=None)
        engine.emit(EventName.HOLD_ENDED, "the block as blocker found it is held no longer")
    change = engine.state.zone_change
    if change is not None and not change.counts(now):
        engine.save(zone_change=None)
        logger.info("the block goes by the computer's time zone alone again")
    for request in advanced.matured:
        _apply(engine, request)
    if advanced.matured:  # a matured edit may have changed the list in force
        plans = plans_at(engine, now, wall)
    _enforce(engine, now, plans)
    return _seconds_to_next_step(engine, now, wall, plans)


def _hold_while_standing_in(engine: Engine, now: datetime) -> None:
    """While the daemon runs from the stand-in list (recovery.py: no state, and a list
    that did not read), the hold never comes within a cooldown of its end: once the file
    reads, it is taken in, and only then does the hold run out."""
    held = engine.state.held
    if held is None or not engine.state.in_force.startswith(STAND_IN):
        return
    later = now + engine.pause_rules().cooldown
    if held.until < later:
        engine.save(held=dataclasses.replace(held, until=later))


def in_force(plans: tuple[Desired, Desired]) -> Desired:
    """Of the plans by blocker's clock and by the system's, the one that blocks: moving
    the system clock can start a block, never end one."""
    by_trusted, by_wall = plans
    return by_trusted if by_trusted.blocking or not by_wall.blocking else by_wall


def plans_at(engine: ListInForce, trusted: datetime, wall: datetime) -> tuple[Desired, Desired]:
    """The plan by blocker's own clock and by the system's, for one step; each the one
    that blocks of the zones the block goes by (after a change of the computer's zone,
    the old one counts too for a while: a zone moved blocks sooner, never later)."""
    config, zones = engine.effective(), engine.zones(trusted)

    def by_any_zone(moment: datetime) -> Desired:
        plans = [plan(config, moment, zone) for zone in zones]
        return next((p for p in plans if p.blocking), plans[0])

    return by_any_zone(trusted), by_any_zone(wall)


def _apply(engine: Engine, request: gate.Request) -> None:
    if request.kind == "config" and request.payload is not None:
        engine.save(in_force=request.payload)
        engine.emit(EventName.CONFIG_APPLIED, f"the cooldown is over: {request.summary}")
    elif request.kind == "forget":
        engine.log.clear()
        engine.emit(EventName.FORGOTTEN, "the urge log was emptied")
    elif request.kind in ("stop", "uninstall"):
        engine.save(stopped=True)
        engine.uninstall_due = request.kind == "uninstall"
        engine.emit(
            EventName.STOPPED, "the cooldown is over: blocking is stopped until `blocker start`"
        )


def _enforce(engine: Engine, trusted: datetime, plans: tuple[Desired, Desired]) -> None:
    desired = in_force(plans)
    enforcing = (
        desired.blocking
        and not engine.state.stopped
        and not gate.is_paused(engine.state.gate, trusted)
    )
    # Held whatever the list, the pause or a stop say; but an uninstall that matured
    # lifts everything: no daemon is left to take a held page off later.
    if engine.holding(trusted) and not engine.uninstall_due:
        domains, prefixes = widened(
            desired.domains if enforcing else (),
            desired.url_prefixes if enforcing else (),
            engine.state.held,
            trusted,
        )
        desired = dataclasses.replace(
            desired, blocking=True, domains=domains, url_prefixes=prefixes
        )
        enforcing = True
    engine.enforcer.apply(desired, enforcing, paused=gate.is_paused(engine.state.gate, trusted))


def _seconds_to_next_step(
    engine: Engine, trusted: datetime, wall: datetime, plans: tuple[Desired, Desired]
) -> float:
    delays = [RETRY_FAILED_LAYER if engine.enforcer.failures else LONGEST_SLEEP]
    for now, planned in zip((trusted, wall), plans, strict=True):
        change = planned.next_change
        if change is not None:
            delays.append((change - now).total_seconds())
    upcoming = gate.next_event(engine.state.gate)
    if upcoming is not None:
        delays.append((upcoming - trusted).total_seconds())
    if engine.state.held is not None:
        delays.append((engine.state.held.until - trusted).total_seconds())
    if engine.state.zone_change is not None:
        delays.append((engine.state.zone_change.until - trusted).total_seconds())
    return max(0.0, min(delays))
