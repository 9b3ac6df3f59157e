"""The daemon's brain: the block list in force, the gate, the trusted clock and the hosts
file, driven by `step()` and by requests. No sockets, no threads, no sleeping: the process
shell (loop.py) calls it, and tests drive it with their own clocks."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, tzinfo
from typing import Any, Protocol

from blocker.blocklist.browser_catalog import Browser, shipped_browsers
from blocker.blocklist.config_file import parse_config
from blocker.blocklist.listedit import BlockListFile
from blocker.core import gate
from blocker.core.catalog import Catalog
from blocker.core.config import Config, PauseRules
from blocker.core.loosening import tightened
from blocker.core.plan import Desired, plan
from blocker.core.report import local_iso
from blocker.core.schedule import in_period
from blocker.core.witness import widened
from blocker.daemon.intake import Intake
from blocker.daemon.recovery import recovered_state
from blocker.daemon.store import StateFile, StateWriteError
from blocker.daemon.urgelog import UrgeLog
from blocker.enforce.layers import Layers
from blocker.errors import BlockerError
from blocker.system.paths import Paths

logger = logging.getLogger(__name__)

LONGEST_SLEEP = 60.0
RETRY_FAILED_LAYER = 5.0  # seconds before a layer that failed is tried again


class Clocks(Protocol):
    """The machine's clocks; see clock.SystemClocks. Cheap, callable from any thread."""

    def wall(self) -> datetime: ...
    def elapsed(self) -> float: ...
    def boot_id(self) -> str: ...


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
        self.extension_problem = ""  # why blocker's extension cannot be served, if it cannot
        self.log = UrgeLog(paths.state_dir / "urges.sqlite")
        self._parsed: dict[str, Config] = {}
        self.state, self.unsaved = recovered_state(self), False
        self.save()  # a daemon that cannot write still starts, and keeps the block
        self.intake = Intake(self)
        self._enforcing: bool | None = None
        self._desired: Desired | None = None
        self._blocked: frozenset[str] | None = None  # what the hosts file held when last checked
        self._planned: tuple[tuple[str, ...], tuple[str, ...], bool] | None = None
        self._paused = False  # whether the last step found a pause running
        self.layer_failures: dict[str, str] = {}  # layer -> its error, as of the last step

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
                "at": local_iso(self.trusted_now(), self.zone),
                **details,
            }
        )

    # -- the block list -----------------------------------------------------------------
    def parse(self, text: str) -> Config:
        """A block list text as a Config, each text parsed once."""
        if text not in self._parsed:
            self._parsed[text] = parse_config(
                text, self.paths.config, self.catalog, self.machine_names
            )
        return self._parsed[text]

    def pending_config(self) -> gate.Request | None:
        return next((r for r in self.state.gate.pending if r.kind == "config"), None)

    def effective(self) -> Config:
        """In force now: the accepted list plus whatever a waiting edit adds."""
        base = self.parse(self.state.in_force)
        waiting = self.pending_config()
        return tightened(base, self.parse(waiting.payload)) if waiting and waiting.payload else base

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
        return self.parse(waiting.payload) if waiting and waiting.payload else None

    def planned(self) -> Desired:
        """The period's plan now, by whichever clock blocks (as `_enforce` chooses)."""
        by_trusted, by_wall = self._plans(self.trusted_now(), self.clocks.wall())
        return by_trusted if by_trusted.blocking or not by_wall.blocking else by_wall

    def _blocking(self, plans: tuple[Desired, Desired]) -> bool:
        return (plans[0].blocking or plans[1].blocking) and not self.state.stopped

    # -- the loop's step ------------------------------------------------------------------
    def step(self) -> float:
        """Bring everything up to date; returns the seconds until the next step is due."""
        self.intake.check()
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
            desired.domains,
            desired.url_prefixes,
            enforcing,
            desired.page_labels,
            firefox_unsigned_addons=desired.firefox_unsigned_addons,
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
