"""The cooldown's invariant, over random sequences of what a person does: at every moment
the blocked set holds everything it held a moment before, except what a loosening that
was asked for, not cancelled, and whose cooldown is over, let go, and a site added to
the list in force less than five minutes before (core/fresh.py), taken back. The engine on real
files, driven by test clocks; restarts are new engines on the same files."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core.gate import Request
from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from tests.helpers import ZONE, block_list, sandbox_paths
from tests.unit.test_engine import MovingClocks, blocked

SITES = ("a.example.org", "b.example.org", "c.example.org", "d.example.org")
LIST = block_list(
    sites="  - a.example.org\n  - b.example.org\n",
    extra="pause:\n  cooldown: 15m\n  max_length: 10m\n  per_day: 24\n",
)

FRESH = timedelta(minutes=5)
site = st.sampled_from(SITES)
wait = st.tuples(st.just("wait"), st.integers(min_value=1, max_value=20))
# Time passes often and loosenings are asked often, so that cooldowns do mature
# (repeating a strategy in one_of weighs it).
action = st.one_of(
    st.tuples(st.just("add"), site),
    st.tuples(st.just("remove"), site),
    st.tuples(st.just("remove"), site),
    st.tuples(st.just("hand_remove"), site),
    st.tuples(st.just("hand_add"), site),
    st.tuples(st.just("pause"), st.none()),
    st.tuples(st.just("cancel"), st.none()),
    st.tuples(st.just("cancel_newest"), st.none()),
    st.tuples(st.just("reload"), st.none()),
    st.tuples(st.just("restart"), st.none()),
    wait,
    wait,
    wait,
)


def _site_of(name: str) -> str:
    return next(s for s in SITES if name == s or name.endswith("." + s))


@dataclass
class Person:
    """The person, the machine and what they may expect of it."""

    folder: Path
    clocks: MovingClocks = field(default_factory=MovingClocks)
    seen: dict[str, Request] = field(default_factory=dict)  # every request ever waiting
    asked: set[str] = field(default_factory=set)  # those the person's own loosening made
    cancelled: set[str] = field(default_factory=set)
    added_at: dict[str, datetime] = field(default_factory=dict)  # sites new to the list

    def __post_init__(self) -> None:
        self.paths = sandbox_paths(self.folder, LIST)
        self.restart()

    def restart(self) -> None:
        self.engine = Engine(self.paths, shipped_catalog(), ZONE, frozenset(), self.clocks)
        self.requests = Requests(self.engine)
        self.engine.step()

    def ask(self, message: dict[str, object]) -> None:
        answer = self.requests.handle(message)
        if message["op"] == "cancel" and answer.get("ok"):
            self.cancelled.update(answer["cancelled"])
        self.engine.step()

    def hand_edit(self, name: str, *, remove: bool) -> None:
        text = self.paths.config.read_text()
        line = f"  - {name}\n"
        if remove:
            text = text.replace(line, "")
        elif line not in text:
            text = text.replace("sites:\n", "sites:\n" + line)
        self.paths.config.write_text(text)
        self.engine.step()

    def listed(self) -> set[str]:
        return {t.label for t in self.engine.effective().targets}

    def do(self, what: str, value: object) -> None:
        before = self.listed()
        self._do(what, value)
        if what in ("add", "hand_add") and str(value) not in before and str(value) in self.listed():
            self.added_at[str(value)] = self.engine.trusted_now()

    def _do(self, what: str, value: object) -> None:
        if what in ("add", "remove"):
            self.ask({"op": what, "target": value, "site": True})
        elif what in ("hand_remove", "hand_add"):
            self.hand_edit(str(value), remove=what == "hand_remove")
        elif what in ("pause", "reload"):
            self.ask({"op": what})
        elif what == "cancel":
            self.ask({"op": "cancel"})
        elif what == "cancel_newest" and self.engine.state.gate.pending:
            self.ask({"op": "cancel", "id": self.engine.state.gate.pending[-1].id})
        elif what == "restart":
            self.restart()
        elif what == "wait":
            self.clocks.let_pass(timedelta(minutes=int(str(value))))
            self.engine.step()

    def note_requests(self, after: str | None = None) -> None:
        """Remember what waits; a request that appears after anything but a loosening
        (a remove, a hand edit that removes, a pause) was asked for by nobody."""
        for request in self.engine.state.gate.pending:
            if request.id not in self.seen and after in ("remove", "hand_remove", "pause"):
                self.asked.add(request.id)
            self.seen[request.id] = request  # the latest form (an add amends a payload)

    def may_let_go(self, name: str, now: datetime, pending: set[str]) -> bool:
        """Whether a loosening that was asked for, not cancelled, and whose cooldown is
        over (by now) can explain `name` leaving the block, or whether its site came
        onto the list less than the fresh window before."""
        added = self.added_at.get(_site_of(name))
        if added is not None and now < added + FRESH:
            return True
        for request in self.seen.values():
            over = request.matures_at <= now and request.id not in pending
            if not over or request.id in self.cancelled or request.id not in self.asked:
                continue
            if request.kind == "pause":
                return True
            if request.kind == "config" and f"unblock {_site_of(name)}" in request.summary:
                return True
        return False


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(action, min_size=5, max_size=30))
def test_nothing_leaves_the_block_but_what_a_matured_uncancelled_loosening_let_go(
    actions: list[tuple[str, object]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        person = Person(Path(folder))
        before = blocked(person.paths)
        person.note_requests()
        for what, value in actions:
            person.do(what, value)
            now = person.engine.trusted_now()
            pending = {r.id for r in person.engine.state.gate.pending}
            after = blocked(person.paths)
            for name in before - after:
                assert person.may_let_go(name, now, pending), (what, value, name)
            person.note_requests(after=what)
            before = after
