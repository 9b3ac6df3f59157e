"""The daemon's brain: the block list in force, the gate, the trusted clock and the hosts
file, driven by `step()` and by requests. No sockets, no threads, no sleeping: the process
shell (loop.py) calls it, and tests drive it with their own clocks."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Unpack

from blocker.blocklist.browser_catalog import Browser, shipped_browsers
from blocker.blocklist.listedit import BlockListFile
from blocker.core import gate
from blocker.core.catalog import Catalog
from blocker.core.clock import Clocks
from blocker.core.commandhint import with_sandbox
from blocker.core.config import Config
from blocker.core.plan import Desired
from blocker.core.report import local_iso
from blocker.core.targets import Target
from blocker.core.witness import Held
from blocker.daemon import stepping
from blocker.daemon.enforcer import Enforcer
from blocker.daemon.inforce import ListInForce
from blocker.daemon.intake import Intake
from blocker.daemon.recovery import recovered_state
from blocker.daemon.store import StateFile, StateWriteError
from blocker.daemon.urgelog import UrgeLog
from blocker.enforce.extension import CRX_NAME, KEY_NAME, PORT_NAME, XPI_NAME
from blocker.enforce.layers import Layers
from blocker.errors import BlockerError
from blocker.ipc.events import Event
from blocker.ipc.statecodec import StateChange
from blocker.ipc.wire import EventName
from blocker.system.paths import Paths

logger = logging.getLogger(__name__)


class Engine(ListInForce):
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
        self._events: list[Event] = []  # taken by the shell after each call: drain_events
        self.uninstall_due = False
        self.watching_titles = False  # set by the daemon's watchers when it reads titles
        self.process_watch = ""  # how the daemon's watchers notice browsers start, in words
        self.extension_problem = ""  # why blocker's extension cannot be served, if it cannot
        self.log = UrgeLog(paths.state_dir / "urges.sqlite")
        self._parsed: dict[str, Config] = {}
        self.state, self.unsaved = recovered_state(self), False
        self.save()  # a daemon that cannot write still starts, and keeps the block
        self.intake = Intake(self)
        self.enforcer = Enforcer(self.layers, self.emit)

    def refuse_while_held(self, what: str) -> None:
        """Loosening waits until the hold is over: the rules it would go by are unknown."""
        held = self.state.held
        if held is not None and self.holding():
            raise BlockerError(
                f"blocker lost its state and holds the block as it found it until "
                f"{held.until.astimezone(self.zone):%H:%M}; ask to {what} after that"
            )

    # -- time ---------------------------------------------------------------------------
    def save(self, *, must_record: bool = False, **changes: Unpack[StateChange]) -> None:
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
        return bool(self.enforcer.enforcing)

    @property
    def blocked_names(self) -> frozenset[str] | None:
        """What the hosts file held when last checked (None before the first step)."""
        return self.enforcer.blocked

    @property
    def desired(self) -> Desired | None:
        """What the last step planned (None before the first step)."""
        return self.enforcer.desired

    @property
    def layer_failures(self) -> dict[str, str]:
        """Layers that failed on the last step (the rest hold), with their errors."""
        return dict(self.enforcer.failures)

    @property
    def stopped(self) -> bool:
        return self.state.stopped

    @property
    def held(self) -> Held | None:
        return self.state.held

    @property
    def gate_state(self) -> gate.GateState:
        """The pause and the waiting requests (immutable: changed through the methods)."""
        return self.state.gate

    def forget_state(self) -> None:
        """After uninstalling: remove what blocker kept, once the block is verifiably gone."""
        if self.enforcer.blocked:
            raise BlockerError("the block is still in the hosts file; not forgetting state")
        self.log.remove()
        self.store.remove()
        self.paths.hosts_backup.unlink(missing_ok=True)
        for name in (KEY_NAME, CRX_NAME, PORT_NAME):  # the extension's: a new one next time
            (self.paths.state_dir / name).unlink(missing_ok=True)
        (self.paths.shared_dir / XPI_NAME).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: someone else's file is left alone
            self.paths.state_dir.rmdir()
        logger.info("removed blocker's own files from %s", self.paths.state_dir)

    @property
    def sandbox(self) -> str | None:
        """The --sandbox DIR this daemon runs in, for the commands its words suggest."""
        root = self.paths.root
        return None if root == Path("/") else str(root.parent)

    def emit(self, name: EventName, message: str, **details: Any) -> None:
        message = with_sandbox(message, self.sandbox)  # the tray shows it as it is
        logger.info("%s", message)
        at = self.trusted_now().astimezone(self.zone).isoformat(timespec="seconds")
        self._events.append(Event(name, message, at, details))

    def drain_events(self) -> list[Event]:
        """What happened since the last call, oldest first; for the shell to publish."""
        events, self._events = self._events, []
        return events

    # -- the loop's step ------------------------------------------------------------------
    def step(self) -> float:
        """Bring everything up to date; returns the seconds until the next step is due."""
        return stepping.step(self)

    # -- what requests change: the handlers' way in (they never touch the state) --------
    def ask_pause(self, length: timedelta | None) -> gate.Request:
        """A pause, after the cooldown (GateError if the rules refuse it now)."""
        self.refuse_while_held("pause")
        now = self.trusted_now()
        state, request = gate.ask_pause(
            self.state.gate,
            now,
            self.pause_rules(),
            self.zone,
            blocking=self.enforcing,
            length=length,
        )
        self.save(gate=state, must_record=True)
        self.emit(
            EventName.COOLDOWN_STARTED,
            f"a pause was asked for; it starts at {self.local_clock(request.matures_at)} "
            "unless you cancel it",
            request=request.id,
            week=self.week(),
            kind="pause",
            # the tray confirms the pause in the CLI's words, which need both ends
            matures_at=local_iso(request.matures_at, self.zone),
            ends_at=local_iso(request.matures_at + (request.length or timedelta(0)), self.zone),
        )
        return request

    def ask_loosening(self, kind: gate.Loosening) -> gate.Request:
        """A stop, an uninstall or forgetting the log, after the cooldown while committed."""
        summary = gate.LOOSENINGS[kind]
        if kind == "stop" and self.state.stopped:
            raise BlockerError("blocking is already stopped; `blocker start` ends that")
        if kind != "forget":
            self.refuse_while_held(summary)
        state, request = gate.ask_loosening(
            self.state.gate,
            self.trusted_now(),
            self.pause_rules(),
            committed=self.committed(),
            kind=kind,
            summary=summary,
        )
        self.save(gate=state, must_record=True)
        self.emit(
            EventName.COOLDOWN_STARTED,
            f"{summary} was asked for; it happens at {self.local_clock(request.matures_at)} "
            "unless cancelled",
            request=request.id,
            kind=kind,
        )
        return request

    def cancel(self, request_id: str | None) -> tuple[tuple[gate.Request, ...], bool]:
        """Drop waiting requests (one by id, or all) and end a running pause: tightening,
        so at once. Returns what was dropped and whether a pause ended."""
        state, dropped, ended = gate.cancel(
            self.state.gate, self.trusted_now(), self.zone, request_id
        )
        self.save(gate=state)
        for request in dropped:
            if request.kind == "config":
                self.intake.put_back(request)
            self.emit(
                EventName.REQUEST_CANCELLED,
                f"cancelled: {request.summary}",
                request=request.id,
                kind=request.kind,
            )
        if ended:
            self.emit(EventName.PAUSE_ENDED, "the pause was ended early; the block is back")
        return dropped, ended

    def start(self) -> datetime | None:
        """Blocking on again, and any stop that waits taken back (both say "keep it on").
        Returns when a running pause ends (the block is back then), or None."""
        state, now = self.state.gate, self.trusted_now()
        for waiting in [r for r in state.pending if r.kind == "stop"]:
            state, _, _ = gate.cancel(state, now, self.zone, waiting.id)
            self.emit(
                EventName.REQUEST_CANCELLED,
                "cancelled: stop blocking",
                request=waiting.id,
                kind="stop",
            )
        self.save(stopped=False, gate=state)
        self.emit(EventName.STARTED, "blocking is on again")
        pause = state.pause
        return pause.ends_at if pause is not None and gate.is_paused(state, now) else None

    def edit(self, typed: str, *, add: bool, whole_site: bool) -> tuple[Target, bool]:
        """Add to or remove from the block list file; the step takes the edit in (a
        removal while committed waits for the cooldown: `pending_config`). Returns the
        entry and whether the file changed."""
        if add:
            target, changed = self.blocklist.add(typed, whole_site=whole_site)
        else:
            target, changed = self.blocklist.remove(typed, whole_site=whole_site), True
        self.step()
        return target, changed

    def week(self) -> dict[str, int]:
        """Pauses asked for, cancelled and used in the last seven days."""
        return gate.week_counts(self.state.gate, self.trusted_now(), self.zone)

    def local_clock(self, moment: datetime) -> str:
        """`moment` as the person's clock shows it, for a sentence."""
        return f"{moment.astimezone(self.zone):%H:%M}"
