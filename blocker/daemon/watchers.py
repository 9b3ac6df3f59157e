"""The daemon's watchers: browsers as they start (told by the kernel where it can, else a
scan every 2 s), window titles every second (where an X display can be read). Each urge
they notice becomes an event."""

from __future__ import annotations

import logging
import queue
import time

from blocker.daemon.engine import Engine
from blocker.ipc.wire import EventName
from blocker.watch.browser_processes import BrowserStarted, BrowserWatcher, close
from blocker.watch.exec_events import ExecEvents, open_exec_events
from blocker.watch.titles import connect

logger = logging.getLogger(__name__)

PROCESS_SECONDS = 2.0  # only where the kernel does not tell of each program started
# Every program the machine starts is told of, a build's thousands a second too. After
# each look the daemon stops listening for a second and then looks at what came
# meanwhile: the first start after a quiet spell is seen at once, a browser's start
# within a second, and the machine's other activity costs one wake-up a second at most.
LOOK_SECONDS = 1.0
TITLE_SECONDS = 1.0
EXEC_EVENTS = "told by the kernel as each program starts (process events)"
SCANNING = f"a scan of the processes every {PROCESS_SECONDS:.0f} s (no process events here)"


SAME_SITE_SECONDS = 30.0  # a page opens many connections: one attempt, not twenty


class Watchers:
    """Called from the daemon's loop thread only (site names arrive on their own thread
    and wait in `site_names` until the loop takes them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.site_names: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._last_attempt: dict[str, float] = {}
        self.processes = BrowserWatcher(engine.layers.browsers)
        # Blocks up to a second where the kernel stays silent (a container).
        self.exec_events: ExecEvents | None = open_exec_events()
        engine.process_watch = EXEC_EVENTS if self.exec_events else SCANNING
        self.titles = connect(engine.layers.browsers)
        engine.watching_titles = self.titles is not None
        self._process_due = self._title_due = time.monotonic()
        self.look_due = float("inf")  # not listening to process events until then

    def close(self) -> None:
        if self.exec_events is not None:
            self.exec_events.close()

    def run_due(self) -> float:
        """Run the watchers that are due; returns the monotonic time the next one is."""
        now = time.monotonic()
        if now >= self._process_due:
            self._scan_processes()
            # With process events one scan at the start is enough (it learns which
            # browsers already run); the kernel tells of the rest.
            self._process_due = now + PROCESS_SECONDS if not self.exec_events else float("inf")
        if now >= self.look_due:
            self._look_at_started(now)
        if self.titles is not None and now >= self._title_due:
            self._scan_titles()
            self._title_due = now + TITLE_SECONDS
        due = min(self._process_due, self.look_due)
        return min(due, self._title_due) if self.titles else due

    def count_site_attempts(self) -> None:
        """Take the names the loopback listener heard; each blocked one is an urge."""
        desired = self.engine.desired
        while not self.site_names.empty():
            name = self.site_names.get()
            if desired is None or not self.engine.enforcing or name not in desired.domains:
                continue
            now = time.monotonic()
            if now - self._last_attempt.get(name, -SAME_SITE_SECONDS) < SAME_SITE_SECONDS:
                continue
            self._last_attempt[name] = now
            self.engine.emit(
                EventName.URGE, f"a blocked site was asked for: {name}", site=name, layer="site"
            )

    def programs_started(self) -> bool:
        """The process events' socket is readable: look at the processes that ran a new
        program. Returns whether the owner should go on listening on the socket (not
        until `look_due` after a look)."""
        self._look_at_started(time.monotonic())
        return self.look_due == float("inf")

    def _look_at_started(self, now: float) -> None:
        """When the kernel dropped some (a burst), every process is looked at."""
        if self.exec_events is None:
            return
        pids, lost = self.exec_events.read()
        # Nothing came while not listening: listen again, and wake only for the next.
        self.look_due = now + LOOK_SECONDS if pids or lost else float("inf")
        if lost:
            logger.info("process events were lost in a burst; scanning every process once")
            self._scan_processes()
            return
        desired = self.engine.desired
        if desired is None or not self.engine.enforcing:
            self.processes.started(pids, ())  # still learn which browsers run
            return
        self._answer(self.processes.started(pids, desired.url_prefixes, desired.domains))

    def _scan_processes(self) -> None:
        desired = self.engine.desired
        if desired is None or not self.engine.enforcing:
            self.processes.scan(())  # still learn which browsers run
            return
        self._answer(self.processes.scan(desired.url_prefixes, desired.domains))

    def _answer(self, browsers: list[BrowserStarted]) -> None:
        for started in browsers:
            name = started.browser.name
            for url in started.blocked_urls:
                self.engine.emit(
                    EventName.URGE,
                    f"{name} was opened on a blocked page ({url})",
                    browser=name,
                    url=url,
                    layer="process",
                )
            if started.extensions_off:
                # Its policies still refuse typed addresses; a site's in-app route to a
                # profile is not stopped there, so it counts as an urge all the same.
                self.engine.emit(
                    EventName.URGE,
                    f"{name} was started with its extensions off, blocker's among them",
                    browser=name,
                    layer="extensions_off",
                )
            if (started.blocked_urls or started.extensions_off) and self.engine.effective().strict:
                if not self.engine.paths.is_system:
                    # A sandbox sees the machine's real browsers start: it says, never closes.
                    logger.info("strict mode would close %s here; a sandbox leaves it", name)
                    continue
                outcome = close(started.pid, grace=1.0)
                self.engine.emit(
                    EventName.BROWSER_CLOSED, f"strict mode: {name} {outcome}", browser=name
                )

    def _scan_titles(self) -> None:
        desired = self.engine.desired
        if self.titles is None or desired is None or not self.engine.enforcing:
            return
        try:
            found = self.titles.scan(desired.title_patterns)
        except Exception as error:  # noqa: BLE001  (a display that went away ends this layer)
            logger.warning("lost the display (%s); window titles are no longer watched", error)
            self.titles = None
            self.engine.watching_titles = False
            return
        for match in found:
            self.engine.emit(
                EventName.URGE,
                f"a blocked profile is open in {match.browser}: {match.window.title}",
                browser=match.browser,
                title=match.window.title,
                layer="title",
            )
