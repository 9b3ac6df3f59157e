"""Edits of the block list file, taken in: at once where they only tighten, through the
gate where they loosen anything, and a cancelled edit written back. A broken edit is
reported and changes nothing. Part of the engine (it reads and changes the engine's
state); called from the daemon's loop thread only."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from blocker.blocklist.listedit import with_additions
from blocker.core import gate
from blocker.core.config import Config
from blocker.core.fresh import FreshEntry
from blocker.core.truth import Rejected
from blocker.daemon import freshness
from blocker.errors import BlockerError, ConfigError
from blocker.ipc.wire import EventName
from blocker.watch.files import Signature, signature

if TYPE_CHECKING:
    from blocker.daemon.engine import Engine

logger = logging.getLogger(__name__)


class Intake:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.file_seen: Signature = None
        # The last edit of the list that was not taken in, until a good one is: status
        # tells it, not only the log and a notification the person may have missed.
        self.last_rejected: Rejected | None = None
        self.taken_in_once = False  # entries become fresh only after a first look
        self.undone: tuple[FreshEntry, ...] = ()  # fresh entries the last edit took off

    def check(self, force: bool = False) -> None:
        """Take in an edit of the block list file: at once if it only tightens, through
        the gate if it loosens anything. A broken edit is reported and changes nothing."""
        engine = self.engine
        seen = signature(engine.paths.config)
        if seen == self.file_seen and not force:
            return
        self.file_seen = seen
        try:
            text, new = engine.blocklist.read()
        except ConfigError as error:
            self.last_rejected = Rejected(str(error), engine.trusted_now())
            engine.emit(
                EventName.CONFIG_REJECTED,
                f"the block list was not taken in, the last good one stays: {error}",
                error=str(error),
            )
            return
        self.last_rejected = None
        self.undone = ()
        self._take_in(text, new, grant=self.taken_in_once)
        self.taken_in_once = True

    def _take_in(self, text: str, new: Config, *, grant: bool) -> None:
        engine = self.engine
        waiting = engine.pending_config()
        if text == engine.state.in_force:
            if waiting:  # the edit that was waiting has been undone in the file
                self._drop_waiting_edit(waiting, f"the edit was undone: {waiting.summary}")
            return
        if (waiting and text == waiting.payload) or text == engine.state.declined:
            return
        # The entries the edit adds are in force from now on, whatever else it does:
        # folded into the list in force, so that a later edit replacing this one
        # cannot take them off without the gate. Fresh entries it takes off go at once.
        weighed = freshness.weigh(engine, text, new, grant=grant)
        absorbed, loosened, fresh = weighed.absorbed, weighed.undo.loosened, weighed.fresh
        undone = freshness.undone_words(weighed.undo.undone)
        if not loosened:
            kept = tuple(r for r in engine.state.gate.pending if r.kind != "config")
            state = dataclasses.replace(engine.state.gate, pending=kept)
            engine.save(in_force=text, gate=state, fresh=fresh)
            self.undone = weighed.undo.undone
            engine.emit(EventName.CONFIG_APPLIED, f"the edited block list applies now{undone}")
            return
        if (
            waiting
            and waiting.payload
            and not freshness.loosens_beyond(engine, waiting.payload, new)
        ):
            # It loosens nothing beyond what already waits: the wait keeps its end.
            state = gate.amended(engine.state.gate, waiting.id, text)
            engine.save(in_force=absorbed, gate=state, fresh=fresh)
            self.undone = weighed.undo.undone
            engine.emit(
                EventName.CONFIG_APPLIED,
                f"the additions apply now{undone}; {waiting.summary} still waits until "
                f"{waiting.matures_at.astimezone(engine.zone):%H:%M}",
            )
            return
        state, request = gate.ask_loosening(
            engine.state.gate,
            engine.trusted_now(),
            engine.pause_rules(),
            committed=engine.committed(),
            kind="config",
            summary="; ".join(loosened),
            payload=text,
        )
        try:
            engine.save(in_force=absorbed, gate=state, fresh=fresh, must_record=True)
        except BlockerError as error:
            self.file_seen = None  # not taken in: look at the file again on the next step
            self.last_rejected = Rejected(str(error), engine.trusted_now())
            engine.emit(
                EventName.CONFIG_REJECTED,
                f"the edit waits to be taken in: {error}",
                error=str(error),
            )
            return
        self.undone = weighed.undo.undone
        engine.emit(
            EventName.COOLDOWN_STARTED,
            f"the edit loosens the block ({request.summary}); it "
            f"applies at {request.matures_at.astimezone(engine.zone):%H:%M} unless "
            f"cancelled{undone}",
            request=request.id,
            kind="config",
        )

    def _drop_waiting_edit(self, waiting: gate.Request, message: str) -> None:
        engine = self.engine
        kept = tuple(r for r in engine.state.gate.pending if r is not waiting)
        engine.save(gate=dataclasses.replace(engine.state.gate, pending=kept))
        engine.emit(EventName.REQUEST_CANCELLED, message, request=waiting.id, kind="config")

    def put_back(self, cancelled: gate.Request) -> None:
        """After a waiting edit is cancelled, the file says again what is in force (with
        the entries the edit added), so nothing cancelled is asked for again, unasked."""
        engine = self.engine
        if cancelled.payload is None:
            return
        try:
            restored = engine.blocklist.put_back(engine.state.in_force, cancelled.payload)
        except (OSError, ConfigError) as error:
            logger.error("could not write the block list back after a cancel: %s", error)
            # The cancel holds all the same: the file's text is remembered as declined,
            # and what the edit added stays in force.
            added = with_additions(engine.state.in_force, cancelled.payload, engine.blocklist)
            engine.save(in_force=added, declined=cancelled.payload)
            engine.emit(
                EventName.CONFIG_REJECTED,
                f"the cancel holds, but {engine.paths.config} could not be put back ({error}); "
                "it still shows the cancelled edit, which stays cancelled",
                error=str(error),
            )
            return
        engine.save(in_force=restored)
        self.file_seen = signature(engine.paths.config)
