"""Notice changes to a few files (the hosts file, the block list) within a fraction of a second.

Native file events (inotify, FSEvents, ReadDirectoryChangesW through watchdog) make the
reaction immediate; a stat of each file every `poll_interval` is the safety net, because
some set-ups send no events: a hosts file bind-mounted into a container, network file
systems, an exhausted inotify limit. A stat costs about a microsecond, so the net is free.
"""

from __future__ import annotations

import logging
import os
import threading
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


class FileWatcher:
    """Calls `on_change()` from a background thread soon after a watched file changes.

    `on_change` must be cheap and thread-safe (setting a threading.Event is the intent).
    It may be called more often than files change; never less. start() and stop() are
    called from one thread; stop() blocks until the watcher threads have ended."""

    def __init__(
        self, paths: Iterable[Path], on_change: Callable[[], None], poll_interval: float = 0.5
    ) -> None:
        self._paths = tuple(Path(p).resolve() for p in paths)
        self._on_change = on_change
        self._poll_interval = poll_interval
        self._stopped = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="file-poll", daemon=True)
        self._observer: Any = None

    def start(self) -> None:
        self._poller.start()
        self._observer = self._start_native_events()

    def stop(self) -> None:
        self._stopped.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        self._poller.join()

    def _poll(self) -> None:
        last = {path: signature(path) for path in self._paths}
        while not self._stopped.wait(self._poll_interval):
            for path in self._paths:
                now = signature(path)
                if now != last[path]:
                    last[path] = now
                    self._on_change()

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
