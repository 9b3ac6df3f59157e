"""Fresh entries: what was added a few minutes ago can be taken back at once, since
undoing a fresh mistake (a wrong name pasted, a whole site meant as a profile) is not
loosening a commitment. Pure: the intake passes the lists, the state's fresh entries and
blocker's trusted `now`.

Built so that it cannot loosen the commitment:

* An entry is fresh only if nothing it blocks was blocked before it came: an entry in
  force before, one whose removal waits (it is still in force), one re-added while its
  removal waits, another page form of a listed profile that shares its title text, and
  anything the block holds after a lost state, are never fresh.
* An edit is compared with the list in force *without* the fresh entries, and the new
  list is read without them too: what the commitment blocks must still be blocked by
  entries that are not fresh, or the edit waits as any loosening does.
* The window is counted on blocker's trusted clock, never moved later by time the
  daemon was not running, and fresh entries are dropped wherever that time is not
  exactly known (a reboot) and wherever the state is not the one last written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from blocker.core.clock import Checkpoint
from blocker.core.config import Config
from blocker.core.loosening import Enforced, loosenings
from blocker.core.targets import Target, TargetKey, shorthand_of

# Five minutes: long enough to read the confirmation and see the wrong name or the whole
# site in it, short enough that nobody has come to lean on the entry yet. Never longer
# than the list's cooldown: the entry then counts as a commitment as soon as taking it
# back the ordinary way would have been done.
WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class FreshEntry:
    """An entry of the list in force that can be taken off at once until `until`."""

    key: TargetKey
    label: str
    added_at: datetime  # blocker's trusted time
    until: datetime

    @property
    def subject(self) -> tuple[str, ...]:
        """As Target.subject: `blocker remove` takes off every entry of one subject."""
        kind, platform, handle, names, _, _ = self.key
        return (kind, platform, handle, *names)


# What a shell reads as one word without quotes.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%~")


def removal(target: Target, typed: str) -> str:
    """The words after `blocker` that take `target` off again: `remove
    instagram:jordan.lee.92`, `remove --site alexblog.example.com`, or what was typed."""
    if target.kind == "site":
        return f"remove --site {target.label}"
    words = shorthand_of(target) or typed.strip()
    if set(words) <= _PLAIN:
        return f"remove {words}"
    if "'" not in words:
        return f"remove '{words}'"
    import shlex  # only for an address with a quote in it

    return f"remove {shlex.quote(words)}"


def window(cooldown: timedelta) -> timedelta:
    return min(WINDOW, cooldown)


def live(fresh: Iterable[FreshEntry], now: datetime, in_force: Config) -> tuple[FreshEntry, ...]:
    """The entries still fresh at `now`: inside their window and still in force."""
    keys = {t.key for t in in_force.targets}
    return tuple(f for f in fresh if now < f.until and f.key in keys)


def without(config: Config, keys: Collection[TargetKey]) -> Config:
    """`config` with the entries of `keys` left out."""
    return dataclasses.replace(
        config, targets=tuple(t for t in config.targets if t.key not in keys)
    )


def _blocks_any(target: Target, blocked: Enforced) -> bool:
    return (
        any(name in blocked.names for name in target.hosts_domains)
        or any(page in blocked.pages for page in target.url_prefixes)
        or any(title in blocked.titles for title in target.title_patterns)
    )


def added(
    in_force: Config,
    new: Config,
    blocked: Enforced,
    now: datetime,
    length: timedelta,
) -> tuple[FreshEntry, ...]:
    """The entries `new` adds to `in_force` that block nothing `blocked` (what the list in
    force, what waits and what is held block) already blocks: fresh from `now`."""
    if length <= timedelta(0):
        return ()
    known = {t.key for t in in_force.targets}
    found = {
        t.key: FreshEntry(t.key, t.label, now, now + length)
        for t in new.targets
        if t.key not in known and not _blocks_any(t, blocked)
    }
    return tuple(found.values())


@dataclass(frozen=True)
class Undo:
    """What an edit does to the fresh entries."""

    undone: tuple[FreshEntry, ...]  # fresh entries the edit takes off: gone at once
    kept: tuple[FreshEntry, ...]  # fresh entries the edit keeps: still fresh
    loosened: tuple[str, ...]  # what the edit loosens beyond them, in words: it waits


def undo(absorbed: Config, fresh: tuple[FreshEntry, ...], new: Config) -> Undo:
    """`new` against `absorbed` (the list in force with what `new` adds, and without the
    fresh entries `new` takes off), both read without the fresh entries: the commitment
    must hold without them, or the edit loosens it."""
    listed = {t.key for t in new.targets}
    undone = tuple(f for f in fresh if f.key not in listed)
    kept = tuple(f for f in fresh if f.key in listed)
    keys = {f.key for f in fresh}
    if not loosenings(without(absorbed, keys), without(new, keys)):
        return Undo(undone, kept, ())
    # Told as the lists read whole, where that shows the loss (a page of an entry
    # that stays listed); an entry covered only by fresh ones is told as coming off.
    told = loosenings(absorbed, new) or loosenings(without(absorbed, keys), without(new, keys))
    return Undo(undone, kept, told)


def after_restart(
    fresh: tuple[FreshEntry, ...], saved: Checkpoint, resumed: Checkpoint
) -> tuple[FreshEntry, ...]:
    """The fresh entries a daemon started again keeps: within one boot the elapsed clock
    counted the time it was down, so the window went on running; across a reboot (or a
    boot clock that went back) that time is known only from clocks the person can set,
    so nothing stays fresh."""
    same_boot = resumed.boot_id == saved.boot_id and resumed.elapsed >= saved.elapsed
    return fresh if same_boot else ()
