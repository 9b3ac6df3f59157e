"""The intake's side of fresh entries (core/fresh.py): an edit weighed with the list in
force and the state's fresh entries, and the entries it makes fresh. Part of the
engine; called from the daemon's loop thread only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from blocker.blocklist.listedit import with_additions, without_entries
from blocker.core import fresh
from blocker.core.config import Config
from blocker.core.loosening import Enforced, loosenings

if TYPE_CHECKING:
    from blocker.daemon.engine import Engine
    from blocker.daemon.inforce import ListInForce


@dataclass(frozen=True)
class Weighed:
    undo: fresh.Undo
    absorbed: str  # the list in force, less the fresh entries taken off, plus the additions
    fresh: tuple[fresh.FreshEntry, ...]  # fresh once the edit is taken in


def live(engine: ListInForce) -> tuple[fresh.FreshEntry, ...]:
    """The state's entries that are still fresh now."""
    in_force = engine.parse(engine.state.in_force)
    return fresh.live(engine.state.fresh, engine.trusted_now(), in_force)


def weigh(engine: Engine, text: str, new: Config, *, grant: bool) -> Weighed:
    """`new` (the file's `text`) against the list in force. `grant`: whether entries it
    adds may be fresh (not on a daemon's first look at the file, which may follow an old
    state put back: its "additions" may be entries long in force)."""
    now, in_force = engine.trusted_now(), engine.state.in_force
    current = live(engine)
    listed = {t.key for t in new.targets}
    dropped = {f.key for f in current if f.key not in listed}
    base = without_entries(in_force, dropped, engine.blocklist) if dropped else in_force
    absorbed = with_additions(base, text, engine.blocklist)
    undo = fresh.undo(engine.parse(absorbed), current, new)
    added: tuple[fresh.FreshEntry, ...] = ()
    if grant:
        length = fresh.window(engine.pause_rules().cooldown)
        added = fresh.added(engine.parse(in_force), new, _blocked(engine), now, length)
    return Weighed(undo, absorbed, undo.kept + added)


def _blocked(engine: Engine) -> Enforced:
    """What is blocked before the edit: by the list in force, by what a waiting edit
    adds, and by a hold after a lost state."""
    blocked = Enforced.by(engine.effective())
    held = engine.state.held
    if held is None or not engine.holding():
        return blocked
    return Enforced(
        blocked.names | set(held.domains), blocked.pages | set(held.url_prefixes), blocked.titles
    )


def loosens_beyond(engine: Engine, waiting: str, new: Config) -> bool:
    """Whether `new` loosens more than the waiting edit's list `waiting` does, the fresh
    entries left out of both (taking one off does not start a wait of its own)."""
    keys = {f.key for f in live(engine)}
    return bool(loosenings(fresh.without(engine.parse(waiting), keys), fresh.without(new, keys)))


def undone_words(undone: tuple[fresh.FreshEntry, ...]) -> str:
    """`; instagram: x came off at once (added a few minutes ago)`, or ""."""
    if not undone:
        return ""
    labels = ", ".join(dict.fromkeys(f.label for f in undone))
    return f"; {labels} came off at once (added a few minutes ago)"
