"""Notice changes to the files blocker owns or reads (the hosts file, the block list, the
browsers' policy files) within a fraction of a second, and nothing else.

Native file events (inotify, FSEvents, ReadDirectoryChangesW through watchdog) make the
reaction immediate. The kernel is asked only for events that can change a file: a write,
a create, a delete, a move, an attribute change. Never for opens, reads or read-only
closes: every program reads the hosts file on every name lookup, and asking for those
woke the daemon hundreds of times a second and overflowed the inotify queue.

A folder is watched, not a file, so that a file replaced by a rename or deleted and
written again stays watched. A folder that does not exist (yet, or any more) has its
nearest existing parent watched instead, and every folder between the file and `root`
is watched too, so that moving or removing any of them is noticed; the watches follow
the folders as they come and go.

A stat of each file is the safety net, because some set-ups send no events: a hosts file
bind-mounted into a container, network file systems, an exhausted inotify limit. The
owner's loop makes that check on its own wake-ups rather than a thread of ours waking
for it: every wake-up of a thread costs a fifth of a millisecond of CPU on a small
virtual machine, which is the whole of an idle daemon's cost.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

Signature = tuple[int, int, int, int, int] | None


def signature(path: Path) -> Signature:
    """What changes when a file is edited, replaced or removed."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


# How often the owner should check the files. While native events arrive the check only
# covers the set-ups that send none, and each check is a wake-up of an idle daemon: every
# 10 s keeps those at 6 a minute, within the 12 the benchmark allows. The check runs on
# every other wake-up too, so it is as frequent as the loop is busy. With no native
# events it is the only way to notice, so it is often.
SAFETY_NET_SECONDS = 10.0
POLL_SECONDS = 0.5


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        status = folder.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def folders_to_watch(path: Path, root: Path) -> set[Path]:
    """The nearest existing folder above `path`, and every existing folder between
    `path` and `root` (`root` itself excluded: a sandbox's root, or "/")."""
    nearest = next((f for f in path.parents if f.is_dir()), Path(path.anchor))
    below_root = {f for f in path.parents if root in f.parents and f.is_dir()}
    return {nearest, *below_root}


def _event_classes() -> list[Any]:
    """The watchdog events that can change a file. Given to schedule(), they narrow the
    inotify mask itself (watchdog ≥ 4), so that reads never reach the daemon."""
    from watchdog import events

    return [
        events.FileModifiedEvent,
        events.FileAttribEvent,
        events.FileClosedEvent,  # closed after writing
        events.FileCreatedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.DirAttribEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]


class FileWatcher:
    """Calls `on_change()` from watchdog's thread soon after a watched file changes, and
    tells its owner, through `changed()`, of changes no event reported.

    `on_change` must be cheap and thread-safe (writing a byte into a wake-up pipe is the
    intent). start(), changed() and stop() are called from the owner's thread; stop()
    blocks until watchdog's threads have ended."""

    def __init__(
        self,
        paths: Iterable[Path],
        on_change: Callable[[], None],
        root: Path = Path("/"),
        any_file_in: Iterable[Path] = (),
    ) -> None:
        """`any_file_in`: folders of the watched files where a change to any file counts
        (a browser's policy folder, where another file can override ours)."""
        self._paths = tuple(dict.fromkeys(Path(p).resolve() for p in paths))
        self._root = Path(root).resolve()
        self._on_change = on_change
        self._last = {path: signature(path) for path in self._paths}
        # A change to the file or to any folder above it (rm -rf, mv) concerns us.
        self._names = {os.fsencode(p) for path in self._paths for p in (path, *path.parents)}
        self._folders = {os.fsencode(Path(folder).resolve()) for folder in any_file_in}
        self._observer: Any = None
        self._watches: dict[Path, tuple[tuple[int, int] | None, Any]] = {}
        self._rewatch = False  # set from watchdog's thread: a folder may have come or gone
        self._native = False

    @property
    def poll_interval(self) -> float:
        """Seconds between two calls of changed() that the owner should keep to."""
        return SAFETY_NET_SECONDS if self._native else POLL_SECONDS

    @property
    def watched_folders(self) -> frozenset[Path]:
        return frozenset(self._watches)

    def start(self) -> None:
        self._observer = self._start_observer()
        self._native = self._observer is not None and self._follow_folders()[1]

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()

    def changed(self) -> bool:
        """Whether a file changed since the last call (a stat of each: microseconds), or
        a folder got a watch of its own only now (what happened in it before is unknown).
        """
        added = False
        if self._observer is not None and self._rewatch:
            self._rewatch = False
            added, self._native = self._follow_folders()
        changed = False
        for path in self._paths:
            now = signature(path)
            if now != self._last[path]:
                self._last[path] = now
                changed = True
        if changed and self._observer is not None and not added:
            # A change no event told of may have been a folder's: look again.
            added, self._native = self._follow_folders()
        return changed or added

    def folders_may_have_changed(self) -> None:
        """From watchdog's thread: look again at which folders to watch, and wake the
        owner."""
        self._rewatch = True
        self._on_change()

    def _follow_folders(self) -> tuple[bool, bool]:
        """Watch the folders that the files need now and drop the others (gone, or
        replaced by another folder of the same name). Returns (whether a watch was
        added, whether every folder has one)."""
        wanted: dict[Path, tuple[int, int] | None] = {}
        for path in self._paths:
            for folder in folders_to_watch(path, self._root):
                wanted[folder] = _identity(folder)
        for folder, (identity, watch) in list(self._watches.items()):
            if wanted.get(folder, ()) != identity:
                self._observer.unschedule(watch)
                del self._watches[folder]
        added, complete = False, True
        for folder, identity in wanted.items():
            if folder in self._watches:
                continue
            try:
                watch = self._observer.schedule(
                    self._handler, os.fspath(folder), event_filter=_event_classes()
                )
            except OSError as error:
                logger.warning("no file events for %s (%s); checking it by polling", folder, error)
                complete = False
                continue
            self._watches[folder] = (identity, watch)
            added = True
        return added, complete

    def _start_observer(self) -> Any:
        try:
            from watchdog.events import DirModifiedEvent, FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            logger.info("watchdog is not installed; noticing file changes by polling")
            return None
        names, folders = self._names, self._folders
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                # A folder's "modified" comes with every create or delete in it; the
                # event that names the entry is the one that tells whether it is ours.
                if isinstance(event, DirModifiedEvent):
                    return
                paths = {os.fsencode(event.src_path), os.fsencode(getattr(event, "dest_path", ""))}
                if paths & names or any(p.rpartition(b"/")[0] in folders for p in paths if p):
                    watcher.folders_may_have_changed()

        self._handler = Handler()
        observer = Observer()
        try:
            observer.start()
        except OSError as error:
            logger.warning("no native file events (%s); noticing file changes by polling", error)
            return None
        return observer
