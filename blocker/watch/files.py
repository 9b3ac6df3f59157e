"""Notice changes to a few files (the hosts file, the block list) within a fraction of a second.

Native file events (inotify, FSEvents, ReadDirectoryChangesW through watchdog) make the
reaction immediate. A stat of each file is the safety net, because some set-ups send no
events: a hosts file bind-mounted into a container, network file systems, an exhausted
inotify limit. The owner's loop makes that check on its own wake-ups rather than a
thread of ours waking for it: every wake-up of a thread costs a fifth of a millisecond of
CPU on a small virtual machine, which is the whole of an idle daemon's cost.
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


# How often the owner should check the files: rarely while native events arrive, since
# then the check only covers the set-ups that send none; often when there are none.
SAFETY_NET_SECONDS = 2.0
POLL_SECONDS = 0.5


class FileWatcher:
    """Calls `on_change()` from watchdog's thread soon after a watched file changes, and
    tells its owner, through `changed()`, of changes no event reported.

    `on_change` must be cheap and thread-safe (writing a byte into a wake-up pipe is the
    intent). start(), changed() and stop() are called from the owner's thread; stop()
    blocks until watchdog's threads have ended."""

    def __init__(self, paths: Iterable[Path], on_change: Callable[[], None]) -> None:
        self._paths = tuple(Path(p).resolve() for p in paths)
        self._on_change = on_change
        self._last = {path: signature(path) for path in self._paths}
        self._observer: Any = None

    @property
    def poll_interval(self) -> float:
        """Seconds between two calls of changed() that the owner should keep to."""
        return SAFETY_NET_SECONDS if self._observer is not None else POLL_SECONDS

    def start(self) -> None:
        self._observer = self._start_native_events()

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()

    def changed(self) -> bool:
        """Whether a file changed since the last call (a stat of each: microseconds)."""
        changed = False
        for path in self._paths:
            now = signature(path)
            if now != self._last[path]:
                self._last[path] = now
                changed = True
        return changed

    def _start_native_events(self) -> Any:
        try:
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            logger.info("watchdog is not installed; noticing file changes by polling")
            return None
        watched = {str(path) for path in self._paths}
        on_change = self._on_change

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                names = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", ""))}
                if event.event_type not in ("opened", "closed_no_write") and names & watched:
                    on_change()

        observer = Observer()
        try:
            for folder in {path.parent for path in self._paths}:
                observer.schedule(Handler(), str(folder), recursive=False)
            observer.start()
        except OSError as error:
            logger.warning("no native file events (%s); noticing file changes by polling", error)
            return None
        return observer
