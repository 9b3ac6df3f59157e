"""The tray's one queue and the one thread that empties it (style.md, practice 16).

Menu clicks (on the desktop's main thread), the daemon's messages (the listener thread)
and ticks (the ticker thread) only put jobs here. The worker takes them in the order they
were put, one at a time, and is the only thread that reads or changes the tray's state,
so the tray needs no lock."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from blocker.desktop.trayview import Action
from blocker.ipc.events import Event

logger = logging.getLogger(__name__)

JOIN_SECONDS = 10.0  # the longest job is a request (3 s) and a notification: well within


@dataclass(frozen=True)
class Click:
    """A menu item was clicked; `value` is the item's (a pause's length), if any."""

    action: Action
    value: str | None = None


@dataclass(frozen=True)
class StatusArrived:
    """The daemon's status (a dict), or anything else for "the daemon went away"."""

    status: object


@dataclass(frozen=True)
class DaemonEvent:
    """One of the daemon's events."""

    event: Event


@dataclass(frozen=True)
class Tick:
    """A second has passed."""


@dataclass(frozen=True)
class Redraw:
    """The desktop has a (new) icon: draw the current state on it."""


@dataclass(frozen=True)
class _Wake:
    """Put by stop() so that a worker waiting on an empty queue sees it should end."""


Job = Click | StatusArrived | DaemonEvent | Tick | Redraw


class Worker:
    """One thread that hands each job to `handle`, in order. post() is safe from any
    thread and never blocks; stop() is safe from any thread, the worker's own included."""

    def __init__(
        self, handle: Callable[[Job], None], finish: Callable[[], None], name: str
    ) -> None:
        self._handle = handle
        self._finish = finish  # run on the worker as it ends: it closes what the jobs opened
        self._jobs: queue.Queue[Job | _Wake] = queue.Queue()
        self.stopped = threading.Event()  # the producers end when this is set
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def post(self, job: Job) -> None:
        self._jobs.put(job)

    def idle(self) -> bool:
        """Nothing waits: the ticker posts a tick only then, so ticks never pile up
        behind a slow request."""
        return self._jobs.empty()

    def on_worker(self) -> bool:
        return threading.current_thread() is self._thread

    def start(self) -> None:
        if self._thread.ident is None and not self.stopped.is_set():  # once, never after stop()
            self._thread.start()

    def stop(self) -> None:
        """End the worker after the job it is on (jobs still queued are dropped) and, from
        another thread, wait until it has ended."""
        self.stopped.set()
        self._jobs.put(_Wake())
        if not self.on_worker() and self._thread.is_alive():
            self._thread.join(JOIN_SECONDS)
            if self._thread.is_alive():
                logger.warning("the tray's worker did not end within %s s", JOIN_SECONDS)

    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            while not self.stopped.is_set():
                job = self._jobs.get()
                if isinstance(job, _Wake):
                    continue
                try:
                    self._handle(job)
                except Exception:  # a long-running loop logs and goes on (practice 14)
                    logger.exception("the tray failed to handle %s", job)
        finally:
            self._finish()
