"""The daemon's brain: the block list in force, the gate, the trusted clock and the hosts
file, driven by `step()` and by requests. No sockets, no threads, no sleeping: the process
shell (daemon.py) calls it, and tests drive it with their own clocks."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, tzinfo
from typing import Any, Protocol

from blocker import gate
from blocker.browsers import Browser, shipped_browsers
from blocker.catalog import Catalog
from blocker.clock import resume
from blocker.config import Config, PauseRules, parse_config
from blocker.enforce.layers import Layers
from blocker.errors import BlockerError, ConfigError
from blocker.listedit import BlockListFile, with_additions
from blocker.loosening import loosenings, tightened
from blocker.paths import Paths
from blocker.plan import Desired, everything, plan
from blocker.schedule import in_period
from blocker.store import Loaded, State, StateFile, StateWriteError
from blocker.truth import Rejected
from blocker.urgelog import UrgeLog
from blocker.watch.files import Signature, signature
from blocker.witness import held_after_loss, widened

logger = logging.getLogger(__name__)

LONGEST_SLEEP = 60.0
RETRY_FAILED_LAYER = 5.0  # seconds before a layer that failed is tried again


class Clocks(Protocol):
    """The machine's clocks; see clock.SystemClocks. Cheap, callable from any thread."""

    def wall(self) -> datetime: ...
    def elapsed(self) -> float: ...
    def boot_id(self) -> str: ...


def iso(moment: datetime | None, zone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


class Engine:
    """Not thread-safe: one thread (the daemon's loop) calls every method."""

    def __init__(
        self,
        paths: Paths,
        catalog: Catalog,
        zone: tzinfo,
        machine_names: frozenset[str],
        clocks: Clocks,
        *,
        browsers: tuple[Browser, ...] | None = None,
    ) -> None:
        browsers = shipped_browsers() if browsers is None else browsers
        self.paths, self.catalog, self.zone, self.clocks = paths, catalog, zone, clocks
        self.machine_names = machine_names
        self.store = StateFile(paths.state_dir / "state.json", zone)
        self.layers = Layers(paths, browsers)
        self.blocklist = BlockListFile(paths.config, catalog, machine_names)
        self.events: list[dict[str, Any]] = []  # drained by the shell after each call
        self.uninstall_due = False
        self.watching_titles = False  # set by the daemon's watchers when it reads titles
        self.process_watch = ""  # how the daemon's watchers notice browsers start, in words
        self.log = UrgeLog(paths.state_dir / "urges.sqlite")
        self._parsed: dict[str, Config] = {}
        loaded = self._still_readable(self.store.load())
        saved = loaded.state
        checkpoint = resume(
            saved.checkpoint if saved else None, clocks.boot_id(), clocks.elapsed(), clocks.wall()
        )
        if saved is None:
            text, _ = self.blocklist.read()  # at the very first start a broken list is fatal
            saved = State(checkpoint, text)
        elif saved.checkpoint.boot_id != checkpoint.boot_id:
            # Waiting requests count only time blocker saw pass, not the time off.
            off = checkpoint.trusted - saved.checkpoint.trusted
            saved = dataclasses.replace(saved, gate=gate.postponed(saved.gate, off))
        self.state = dataclasses.replace(saved, checkpoint=checkpoint)
        self.unsaved = False  # the state in memory is newer than the file
        if loaded.state is None or loaded.lost:
            self._hold_what_the_machine_holds(
                loaded.lost or f"blocker found no state of its own in {paths.state_dir}",
                known_loss=loaded.lost is not None,
            )
        elif self.state.held is None:
            # Even a sealed state may be an old copy put back: whatever the machine
            # enforces beyond it is held all the same (the rules are the state's own).
            self._hold_what_the_machine_holds(
                "blocker's saved state holds less than its block on this machine",
                lost=False,
            )
        self.save()  # a daemon that cannot write still starts, and keeps the block
        self._file_seen: Signature = None
        self._enforcing: bool | None = None
        self._desired: Desired | None = None
        self._blocked: frozenset[str] | None = None  # what the hosts file held when last checked
        self._planned: tuple[tuple[str, ...], tuple[str, ...], bool] | None = None
        self._paused = False  # whether the last step found a pause running
        self.layer_failures: dict[str, str] = {}  # layer -> its error, as of the last step
        # The last edit of the list that was not taken in, until a good one is: status
        # tells it, not only the log and a notification the person may have missed.
        self.last_rejected: Rejected | None = None

    def _still_readable(self, loaded: Loaded) -> Loaded:
        """The saved state, if this version of blocker can still read the lists in it (a
        newer one may bound a value an older one took); a waiting edit it cannot read is
        dropped (a loosening, so dropping it tightens), and a list in force it cannot
        read makes the state count as lost: the machine then witnesses what was in force."""
        state = loaded.state
        if state is None:
            return loaded
        try:
            self._parse(state.in_force)
        except ConfigError as error:
            logger.error("the list in force in %s no longer reads: %s", self.store.path, error)
            return Loaded(None, f"the list in force in {self.store.path} no longer reads")
        readable = []
        for request in state.gate.pending:
            try:
                if request.payload is not None:
                    self._parse(request.payload)
                readable.append(request)
            except ConfigError as error:
                logger.error(
                    "dropped the waiting edit %s, which no longer reads: %s", request.id, error
                )
        gate_state = dataclasses.replace(state.gate, pending=tuple(readable))
        return Loaded(dataclasses.replace(state, gate=gate_state), loaded.lost)

    def _hold_what_the_machine_holds(
        self, reason: str, *, lost: bool = True, known_loss: bool = False
    ) -> None:
        """With no state to believe, what blocker's layers enforce now still counts: what
        they hold beyond the block list is kept for a fresh cooldown (witness.py)."""
        found = self.layers.found()
        if lost:
            # A state known to be gone (its key remains), or blocker's own files in
            # place, mean rules were in force that are unknown now; else a first start.
            if known_loss or found.domains or found.chromium_entries or found.firefox_patterns:
                self.state = dataclasses.replace(self.state, strict_rules=True)
            desired = self.planned()
        else:
            # A state blocker sealed is only doubted where it lacks what the machine
            # blocks: a list that ended while the computer was off is no reason to hold.
            desired = everything(self.effective())
            if self.state.stopped and (found.domains or found.chromium_entries):
                logger.warning("the saved state says stopped while the block is on; kept on")
                self.state = dataclasses.replace(self.state, stopped=False)
        now = self.trusted_now()
        cooldown = self.pause_rules().cooldown
        held = held_after_loss(found, desired, now, cooldown, reason)
        if held is None:
            return
        self.state = dataclasses.replace(self.state, held=held, stopped=False)
        self.emit(
            "block_held",
            f"{reason}; the block stays as blocker found it until "
            f"{held.until.astimezone(self.zone):%H:%M} ({len(held.domains)} names and "
            f"{len(held.url_prefixes)} pages beyond the block list)",
            until=iso(held.until, self.zone),
        )

    def holding(self, now: datetime | None = None) -> bool:
        """Whether what was found after a lost state is still held (see witness.py)."""
        held = self.state.held
        return held is not None and held.holds(self.trusted_now() if now is None else now)

    def refuse_while_held(self, what: str) -> None:
        """Loosening waits until the hold is over: the rules it would go by are unknown."""
        held = self.state.held
        if held is not None and self.holding():
            raise BlockerError(
                f"blocker lost its state and holds the block as it found it until "
                f"{held.until.astimezone(self.zone):%H:%M}; ask to {what} after that"
            )

    # -- time ---------------------------------------------------------------------------
    def trusted_now(self) -> datetime:
        return self.state.checkpoint.now(self.clocks.elapsed())

    def save(self, *, must_record: bool = False, **changes: Any) -> None:
        """Change the state and write it, with a fresh checkpoint of the trusted clock
        (called with no changes, it saves only how far that clock has come).

        Where the file cannot be written (a full disk), the state lives on in memory and
        the write is tried again on the next save: the block never waits for a disk. A
        change that loosens (`must_record`) is refused instead: a waiting loosening that
        a restart could not find again would be a promise blocker cannot keep."""
        changes.setdefault("checkpoint", self.state.checkpoint.advanced(self.clocks.elapsed()))
        before = self.state
        self.state = dataclasses.replace(self.state, **changes)
        try:
            self.store.save(self.state)
        except StateWriteError as error:
            if must_record:
                self.state = before
                raise BlockerError(f"{error}; nothing was asked, the block stays") from None
            if not self.unsaved:
                logger.error("%s; keeping the state in memory and trying again", error)
            self.unsaved = True
            return
        if self.unsaved:
            logger.info("the state is written to %s again", self.store.path)
        self.unsaved = False

    @property
    def enforcing(self) -> bool:
        return bool(self._enforcing)

    @property
    def blocked_names(self) -> frozenset[str] | None:
        """What the hosts file held when last checked (None before the first step)."""
        return self._blocked

    @property
    def desired(self) -> Desired | None:
        """What the last step planned (None before the first step)."""
        return self._desired

    def forget_state(self) -> None:
        """After uninstalling: remove what blocker kept, once the block is verifiably gone."""
        if self._blocked:
            raise BlockerError("the block is still in the hosts file; not forgetting state")
        log = self.log.path
        self.log.close()
        self.store.remove()
        for leftover in (
            self.paths.hosts_backup,
            log,
            log.with_name(log.name + "-wal"),
            log.with_name(log.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        logger.info("removed blocker's own files from %s", self.paths.state_dir)

    def emit(self, name: str, message: str, **details: Any) -> None:
        logger.info("%s", message)
        self.events.append(
            {
                "event": name,
                "message": message,
                "at": iso(self.trusted_now(), self.zone),
                **details,
            }
        )

    # -- the block list -----------------------------------------------------------------
    def _parse(self, text: str) -> Config:
        if text not in self._parsed:
            self._parsed[text] = parse_config(
                text, self.paths.config, self.catalog, self.machine_names
            )
        return self._parsed[text]

    def pending_config(self) -> gate.Request | None:
        return next((r for r in self.state.gate.pending if r.kind == "config"), None)

    def effective(self) -> Config:
        """In force now: the accepted list plus whatever a waiting edit adds."""
        base = self._parse(self.state.in_force)
        waiting = self.pending_config()
        return (
            tightened(base, self._parse(waiting.payload)) if waiting and waiting.payload else base
        )

    def pause_rules(self) -> PauseRules:
        """The rules loosening goes by: the list's, or after a lost state the stricter of
        the list's and blocker's defaults (the rules that were in force are unknown)."""
        rules = self.effective().pause
        if not self.state.strict_rules:
            return rules
        default = PauseRules()
        return PauseRules(
            cooldown=max(rules.cooldown, default.cooldown),
            max_length=min(rules.max_length, default.max_length),
            per_day=min(rules.per_day, default.per_day),
        )

    def committed(self) -> bool:
        """Whether loosening must wait for the cooldown now: from the period's start to
        its end, inside its daily hours or not, and while a hold lasts. The period is on
        if either clock says so: moving the wall clock can start it, never end it."""
        period = self.effective().period
        moments = (self.trusted_now(), self.clocks.wall())
        return self.holding() or any(in_period(period, m, self.zone) for m in moments)

    def after_waiting_edit(self) -> Config | None:
        """The list a waiting edit leaves once it applies (None: no edit waits)."""
        waiting = self.pending_config()
        return self._parse(waiting.payload) if waiting and waiting.payload else None

    def planned(self) -> Desired:
        """The period's plan now, by whichever clock blocks (as `_enforce` chooses)."""
        by_trusted, by_wall = self._plans(self.trusted_now(), self.clocks.wall())
        return by_trusted if by_trusted.blocking or not by_wall.blocking else by_wall

    def _blocking(self, plans: tuple[Desired, Desired]) -> bool:
        return (plans[0].blocking or plans[1].blocking) and not self.state.stopped

    def check_block_list(self, force: bool = False) -> None:
        """Take in an edit of the block list file: at once if it only tightens, through
        the gate if it loosens anything. A broken edit is reported and changes nothing."""
        seen = signature(self.paths.config)
        if seen == self._file_seen and not force:
            return
        self._file_seen = seen
        try:
            text, new = self.blocklist.read()
        except ConfigError as error:
            self.last_rejected = Rejected(str(error), self.trusted_now())
            self.emit(
                "config_rejected",
                f"the block list was not taken in, the last good one stays: {error}",
                error=str(error),
            )
            return
        self.last_rejected = None
        self._take_in(text, new)

    def _take_in(self, text: str, new: Config) -> None:
        waiting = self.pending_config()
        if text == self.state.in_force:
            if waiting:  # the edit that was waiting has been undone in the file
                self._drop_waiting_edit(waiting, f"the edit was undone: {waiting.summary}")
            return
        if (waiting and text == waiting.payload) or text == self.state.declined:
            return
        # The entries the edit adds are in force from now on, whatever else it does:
        # folded into the list in force, so that a later edit replacing this one
        # cannot take them off without the gate.
        absorbed = with_additions(self.state.in_force, text, self.blocklist)
        loosened = loosenings(self._parse(absorbed), new)
        if not loosened:
            kept = tuple(r for r in self.state.gate.pending if r.kind != "config")
            self.save(in_force=text, gate=dataclasses.replace(self.state.gate, pending=kept))
            self.emit("config_applied", "the edited block list applies now")
            return
        if waiting and waiting.payload and not loosenings(self._parse(waiting.payload), new):
            # It loosens nothing beyond what already waits: the wait keeps its end.
            self.save(in_force=absorbed, gate=gate.amended(self.state.gate, waiting.id, text))
            self.emit(
                "config_applied",
                f"the additions apply now; {waiting.summary} still waits until "
                f"{waiting.matures_at.astimezone(self.zone):%H:%M}",
            )
            return
        state, request = gate.ask_loosening(
            self.state.gate,
            self.trusted_now(),
            self.pause_rules(),
            committed=self.committed(),
            kind="config",
            summary="; ".join(loosened),
            payload=text,
        )
        try:
            self.save(in_force=absorbed, gate=state, must_record=True)
        except BlockerError as error:
            self._file_seen = None  # not taken in: look at the file again on the next step
            self.last_rejected = Rejected(str(error), self.trusted_now())
            self.emit(
                "config_rejected", f"the edit waits to be taken in: {error}", error=str(error)
            )
            return
        self.emit(
            "cooldown_started",
            f"the edit loosens the block ({request.summary}); it "
            f"applies at {request.matures_at.astimezone(self.zone):%H:%M} unless "
            "cancelled",
            request=request.id,
            kind="config",
        )

    def _drop_waiting_edit(self, waiting: gate.Request, message: str) -> None:
        kept = tuple(r for r in self.state.gate.pending if r is not waiting)
        self.save(gate=dataclasses.replace(self.state.gate, pending=kept))
        self.emit("request_cancelled", message, request=waiting.id, kind="config")

    def put_back_block_list(self, cancelled: gate.Request) -> None:
        """After a waiting edit is cancelled, the file says again what is in force (with
        the entries the edit added), so nothing cancelled is asked for again, unasked."""
        if cancelled.payload is None:
            return
        try:
            restored = self.blocklist.put_back(self.state.in_force, cancelled.payload)
        except (OSError, ConfigError) as error:
            logger.error("could not write the block list back after a cancel: %s", error)
            # The cancel holds all the same: the file's text is remembered as declined,
            # and what the edit added stays in force.
            added = with_additions(self.state.in_force, cancelled.payload, self.blocklist)
            self.save(in_force=added, declined=cancelled.payload)
            self.emit(
                "config_rejected",
                f"the cancel holds, but {self.paths.config} could not be put back ({error}); "
                "it still shows the cancelled edit, which stays cancelled",
                error=str(error),
            )
            return
        self.save(in_force=restored)
        self._file_seen = signature(self.paths.config)

    # -- the loop's step ------------------------------------------------------------------
    def step(self) -> float:
        """Bring everything up to date; returns the seconds until the next step is due."""
        self.check_block_list()
        # One reading of both clocks for the whole step: deciding at one instant and
        # planning the next wake-up from a later one could sleep through a boundary.
        now, wall = self.trusted_now(), self.clocks.wall()
        plans = self._plans(now, wall)
        advanced = gate.advance(self.state.gate, now, self.zone, blocking=self._blocking(plans))
        if advanced.state != self.state.gate:
            self.save(gate=advanced.state)
        if advanced.pause_started:
            self.emit(
                "pause_started",
                f"the pause has begun; the block returns at "
                f"{advanced.pause_started.ends_at.astimezone(self.zone):%H:%M}",
            )
        if advanced.pause_ended:
            self.emit("pause_ended", "the pause is over; the block is back")
        if self.state.held is not None and not self.holding(now):
            self.save(held=None)
            self.emit("hold_ended", "the block as blocker found it is held no longer")
        for request in advanced.matured:
            self._apply(request)
        if advanced.matured:  # a matured edit may have changed the list in force
            plans = self._plans(now, wall)
        self._enforce(now, plans)
        return self._seconds_to_next_step(now, wall, plans)

    def _plans(self, trusted: datetime, wall: datetime) -> tuple[Desired, Desired]:
        """The plan by blocker's own clock and by the system's, for one step."""
        config = self.effective()
        return plan(config, trusted, self.zone), plan(config, wall, self.zone)

    def _apply(self, request: gate.Request) -> None:
        if request.kind == "config" and request.payload is not None:
            self.save(in_force=request.payload)
            self.emit("config_applied", f"the cooldown is over: {request.summary}")
        elif request.kind == "forget":
            self.log.clear()
            self.emit("forgotten", "the urge log was emptied")
        elif request.kind in ("stop", "uninstall"):
            self.save(stopped=True)
            self.uninstall_due = request.kind == "uninstall"
            self.emit("stopped", "the cooldown is over: blocking is stopped until `blocker start`")

    def _enforce(self, trusted: datetime, plans: tuple[Desired, Desired]) -> None:
        by_trusted, by_wall = plans
        desired = by_trusted if by_trusted.blocking or not by_wall.blocking else by_wall
        enforcing = (
            desired.blocking
            and not self.state.stopped
            and not gate.is_paused(self.state.gate, trusted)
        )
        if self.holding(trusted):  # held whatever the list, the pause or a stop say
            domains, prefixes = widened(
                desired.domains if enforcing else (),
                desired.url_prefixes if enforcing else (),
                self.state.held,
                trusted,
            )
            desired = dataclasses.replace(
                desired, blocking=True, domains=domains, url_prefixes=prefixes
            )
            enforcing = True
        applied = self.layers.apply(
            desired.domains, desired.url_prefixes, enforcing, desired.page_labels
        )
        if applied.blocked_names is not None or self._blocked is None:
            self._blocked = applied.blocked_names
        self._report_layer_failures(applied.failures)
        # A layer that had to change although blocker's plan did not was changed by
        # someone else: that is a tamper. A change blocker asked for (an add) is not.
        planned = (desired.domains, desired.url_prefixes, enforcing)
        changed = applied.hosts_changed or applied.browsers_changed
        if changed and enforcing and planned == self._planned:
            self.emit("tamper_repaired", "part of the block was removed or edited; it is back")
        self._planned = planned
        if applied.browsers_changed:
            self.emit(
                "policies_changed",
                f"browser policies updated for {', '.join(applied.browsers_changed)}",
                browsers=applied.browsers_changed,
            )
        # A pause's start and end are announced by the gate's own events: one event,
        # one notification, so the block turning off and on again around it is not.
        paused = gate.is_paused(self.state.gate, trusted)
        if enforcing != self._enforcing:
            if enforcing and not self._paused:
                self.emit(
                    "block_started",
                    f"blocking {len(desired.domains)} names and {len(desired.url_prefixes)} pages",
                )
            elif not enforcing and self._enforcing is not None and not paused:
                self.emit("block_ended", "the block is off")
        self._enforcing, self._desired, self._paused = enforcing, desired, paused

    def _report_layer_failures(self, failures: dict[str, str]) -> None:
        """Say once when a layer starts failing (the rest hold), and when it works again."""
        for layer, error in failures.items():
            if self.layer_failures.get(layer) != error:
                self.emit(
                    "layer_failed",
                    f"{layer}: {error}; the rest of the block holds, blocker tries again",
                    layer=layer,
                    error=error,
                )
        for layer in self.layer_failures.keys() - failures.keys():
            self.emit("layer_recovered", f"{layer} works again", layer=layer)
        self.layer_failures = dict(failures)

    def _seconds_to_next_step(
        self, trusted: datetime, wall: datetime, plans: tuple[Desired, Desired]
    ) -> float:
        delays = [RETRY_FAILED_LAYER if self.layer_failures else LONGEST_SLEEP]
        for now, planned in zip((trusted, wall), plans, strict=True):
            change = planned.next_change
            if change is not None:
                delays.append((change - now).total_seconds())
        upcoming = gate.next_event(self.state.gate)
        if upcoming is not None:
            delays.append((upcoming - trusted).total_seconds())
        if self.state.held is not None:
            delays.append((self.state.held.until - trusted).total_seconds())
        return max(0.0, min(delays))

    # -- requests -----------------------------------------------------------------------
