"""Where the daemon starts from: the saved state if it can be believed and read, the
trusted clock resumed, waiting requests moved later by the time the daemon was not
running (after a restart or a reboot alike), and what the machine still enforces held
where the state lacks it (witness.py). Part of the engine; called once, while it starts."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from blocker.core import gate
from blocker.core.clock import resume
from blocker.core.durations import format_duration
from blocker.core.fresh import after_restart
from blocker.core.plan import everything
from blocker.core.truthtext import counted
from blocker.core.witness import STAND_IN, held_after_loss
from blocker.core.zonechange import ZoneChange, ZoneRecord, followed
from blocker.daemon.store import Loaded, State
from blocker.errors import ConfigError
from blocker.ipc.wire import EventName

if TYPE_CHECKING:
    from blocker.daemon.engine import Engine

logger = logging.getLogger(__name__)


def recovered_state(engine: Engine) -> State:
    """The state to run from. Sets `engine.state` on the way (the hold reads it)."""
    loaded = _still_readable(engine, engine.store.load())
    saved, clocks = loaded.state, engine.clocks
    doubts = clocks.doubts()
    checkpoint = resume(
        saved.checkpoint if saved else None,
        clocks.boot_id(),
        clocks.elapsed(),
        clocks.wall(),
        believe_a_reboot=not doubts,
    )
    if doubts and saved is not None and checkpoint.trusted == saved.checkpoint.trusted:
        logger.warning("%s: no time is credited for a reboot; blocker's time goes on", doubts)
    if saved is None:
        saved = State(checkpoint, _list_to_start_from(engine, checkpoint.trusted))
    else:
        # Waiting requests count only time blocker saw pass, not the time it was down,
        # whether the machine rebooted or not: else a sealed but older state put back
        # (a copy taken before a cancel) would find its cancelled requests matured.
        saved = _postponed_by_downtime(saved, checkpoint.trusted - saved.checkpoint.trusted)
        # Fresh entries are not postponed: the time down counts against their window,
        # which clocks that may be faked (a boot clock set back) could stretch.
        kept = () if doubts else after_restart(saved.fresh, saved.checkpoint, checkpoint)
        saved = dataclasses.replace(saved, fresh=kept)
    engine.state = dataclasses.replace(saved, checkpoint=checkpoint)
    _follow_the_zone(engine)
    if loaded.state is None or loaded.lost:
        hold_what_the_machine_holds(
            engine,
            loaded.lost or f"blocker found no state of its own in {engine.paths.state_dir}",
            known_loss=loaded.lost is not None,
        )
    elif engine.state.held is None:
        # Even a sealed state may be an old copy put back: whatever the machine
        # enforces beyond it is held all the same (the rules are the state's own).
        hold_what_the_machine_holds(
            engine, "blocker's saved state holds less than its block on this machine", lost=False
        )
    return engine.state


def _follow_the_zone(engine: Engine) -> None:
    """The computer's time zone from now on; one changed during the period is followed
    only after the cooldown (zonechange.py)."""
    state, now = engine.state, engine.trusted_now()
    cooldown = engine.pause_rules().cooldown
    planned, counting = state.zone, state.zone_change
    if counting is not None and not counting.counts(now):
        counting = None
    if planned is not None and not ZoneRecord.of(engine.zone, planned.year).same_clocks(planned):
        # Committed by any zone that counts: the period's last evening in the old one may
        # already be the day after it in the new one. A change still counting keeps the
        # zone before all of them (a second change must not judge by the first's zone).
        judged = counting or ZoneChange(planned, now + cooldown)
        engine.state = dataclasses.replace(state, zone_change=judged)
    committed = engine.committed()
    zone, change = followed(
        planned, state.zone_change, engine.zone, now, cooldown, committed=committed
    )
    if change is not None and change != state.zone_change:
        logger.warning(
            "the computer's time zone is now %s, not %s: the block goes by both until %s, "
            "then by %s",
            zone.name,
            change.before.name,
            engine.local_clock(change.until),
            zone.name,
        )
    engine.state = dataclasses.replace(state, zone=zone, zone_change=change)


def _list_to_start_from(engine: Engine, now: datetime) -> str:
    """The block list file's text; at the very first start a broken list is fatal. But
    where blocker's own files still block (the state was deleted, then the list broken),
    the daemon runs from a stand-in list of nothing, and the hold keeps what the machine
    blocks for as long as the file does not read: refusing to start would leave nothing
    repairing the block, and letting the hold run out would lift it all. A list refused
    only for naming this computer (renamed after a listed site) is the person's own."""
    try:
        text, _ = engine.blocklist.read()
    except ConfigError as error:
        if not engine.layers.found().anything:
            raise
        try:
            text = engine.paths.config.read_text(encoding="utf-8")
            engine.parse(text)  # read as a list in force is: this computer's names allowed
        except (OSError, UnicodeDecodeError, ConfigError):
            logger.error("%s; blocker holds what its files block until the list reads", error)
            return (
                STAND_IN + f"period:\n  start: {now.astimezone(engine.zone):%Y-%m-%d}\n  days: 1\n"
            )
    return text


def _postponed_by_downtime(saved: State, down: timedelta) -> State:
    """The saved state with its waiting requests, and a hold still on, `down` later; said
    once in the log."""
    at = saved.checkpoint.trusted
    held = saved.held.postponed(at, down) if saved.held else None
    zone_change = saved.zone_change.postponed(at, down) if saved.zone_change else None
    later = dataclasses.replace(
        saved, gate=gate.postponed(saved.gate, down), held=held, zone_change=zone_change
    )
    if later != saved:
        logger.info(
            "the daemon was not running for %s: waiting requests wait that much longer%s",
            format_duration(timedelta(seconds=round(down.total_seconds()))),
            ", and so does the hold" if held != saved.held else "",
        )
    return later


def _still_readable(engine: Engine, loaded: Loaded) -> Loaded:
    """The saved state, if this version of blocker can still read the lists in it (a
    newer one may bound a value an older one took); a waiting edit it cannot read is
    dropped (a loosening, so dropping it tightens), and a list in force it cannot
    read makes the state count as lost: the machine then witnesses what was in force."""
    state = loaded.state
    if state is None:
        return loaded
    try:
        engine.parse(state.in_force)
    except ConfigError as error:
        logger.error("the list in force in %s no longer reads: %s", engine.store.path, error)
        return Loaded(None, f"the list in force in {engine.store.path} no longer reads")
    readable = []
    for request in state.gate.pending:
        try:
            if request.payload is not None:
                engine.parse(request.payload)
            readable.append(request)
        except ConfigError as error:
            logger.error(
                "dropped the waiting edit %s, which no longer reads: %s", request.id, error
            )
    gate_state = dataclasses.replace(state.gate, pending=tuple(readable))
    return Loaded(dataclasses.replace(state, gate=gate_state), loaded.lost)


def hold_what_the_machine_holds(
    engine: Engine, reason: str, *, lost: bool = True, known_loss: bool = False
) -> None:
    """With no state to believe, what blocker's layers enforce now still counts: what
    they hold beyond the block list is kept for a fresh cooldown (witness.py)."""
    found = engine.layers.found()
    if lost:
        # A state known to be gone (its key remains), or blocker's own files in
        # place, mean rules were in force that are unknown now; else a first start.
        if known_loss or found.anything:
            engine.state = dataclasses.replace(engine.state, strict_rules=True)
        desired = engine.planned()
    else:
        # A state blocker sealed is only doubted where it lacks what the machine
        # blocks: a list that ended while the computer was off is no reason to hold.
        desired = everything(engine.effective())
        if engine.state.stopped and (found.domains or found.chromium_entries):
            logger.warning("the saved state says stopped while the block is on; kept on")
            engine.state = dataclasses.replace(engine.state, stopped=False)
    now = engine.trusted_now()
    cooldown = engine.pause_rules().cooldown
    held = held_after_loss(found, desired, now, cooldown, reason)
    if held is None:
        return
    engine.state = dataclasses.replace(engine.state, held=held, stopped=False)
    engine.emit(
        EventName.BLOCK_HELD,
        f"{reason}; the block stays as blocker found it until "
        f"{held.until.astimezone(engine.zone):%H:%M} ({counted(len(held.domains), 'name')} "
        f"and {counted(len(held.url_prefixes), 'page')} beyond the block list)",
        until=held.until.astimezone(engine.zone).isoformat(timespec="seconds"),
    )
