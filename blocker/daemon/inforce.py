"""The block list in force, as the engine's state and its clocks make it: the accepted
text, what a waiting edit adds, the rules loosening goes by, whether it must wait. A part
of the Engine (engine.py inherits it), apart because it only reads the state."""

from __future__ import annotations

from datetime import datetime, tzinfo

from blocker.blocklist.config_file import parse_config
from blocker.core import gate
from blocker.core.catalog import Catalog
from blocker.core.clock import Clocks
from blocker.core.config import Config, PauseRules
from blocker.core.loosening import tightened
from blocker.core.plan import Desired
from blocker.core.schedule import in_period
from blocker.daemon import stepping
from blocker.ipc.statecodec import State
from blocker.system.paths import Paths


class ListInForce:
    """Read-only views of the engine's state; the Engine sets these attributes."""

    state: State
    paths: Paths
    catalog: Catalog
    machine_names: frozenset[str]
    zone: tzinfo
    clocks: Clocks
    _parsed: dict[str, Config]

    def trusted_now(self) -> datetime:
        return self.state.checkpoint.now(self.clocks.elapsed())

    def holding(self, now: datetime | None = None) -> bool:
        """Whether what was found after a lost state is still held (see witness.py)."""
        held = self.state.held
        return held is not None and held.holds(self.trusted_now() if now is None else now)

    def parse(self, text: str) -> Config:
        """A block list text the daemon took in (or one made of such texts) as a Config,
        each text parsed once. This computer's own names are not refused here, only in
        an edit being taken in: a name renamed after a listed site (`hostnamectl`) must
        not make the list in force unreadable, and the daemon stop repairing."""
        if text not in self._parsed:
            self._parsed[text] = parse_config(text, self.paths.config, self.catalog)
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
        return rules.stricter(PauseRules()) if self.state.strict_rules else rules

    def committed(self) -> bool:
        """Whether loosening must wait for the cooldown now: from the period's start to
        its end, inside its daily hours or not, and while a hold lasts. The period is on
        if either clock says so: moving the wall clock can start it, never end it."""
        period = self.effective().period
        now = self.trusted_now()
        moments = (now, self.clocks.wall())
        zones = self.zones(now)
        return self.holding() or any(in_period(period, m, z) for m in moments for z in zones)

    def zones(self, now: datetime) -> tuple[tzinfo, ...]:
        """The time zones the block goes by: the computer's, and for the cooldown after
        the computer's zone changed during the period, the one before (zonechange.py)."""
        change = self.state.zone_change
        if change is None or not change.counts(now):
            return (self.zone,)
        return (self.zone, change.before.clock_at(now))

    def after_waiting_edit(self) -> Config | None:
        """The list a waiting edit leaves once it applies (None: no edit waits)."""
        waiting = self.pending_config()
        return self.parse(waiting.payload) if waiting and waiting.payload else None

    def planned(self) -> Desired:
        """The period's plan now, by whichever clock blocks."""
        return stepping.in_force(stepping.plans_at(self, self.trusted_now(), self.clocks.wall()))
