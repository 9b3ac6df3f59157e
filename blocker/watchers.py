"""The daemon's periodic watchers: browser processes every 2 s, window titles every
second (where an X display can be read). Each urge they notice becomes an event."""

from __future__ import annotations

import logging
import queue
import time

from blocker.engine import Engine
from blocker.watch.browsers import BrowserWatcher, close
from blocker.watch.titles import connect

logger = logging.getLogger(__name__)

PROCESS_SECONDS = 2.0
TITLE_SECONDS = 1.0


SAME_SITE_SECONDS = 30.0  # a page opens many connections: one attempt, not twenty


class Watchers:
    """Called from the daemon's loop thread only (site names arrive on their own thread
    and wait in `site_names` until the loop takes them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.site_names: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._last_attempt: dict[str, float] = {}
        self.processes = BrowserWatcher(engine.layers.browsers)
        self.titles = connect(engine.layers.browsers)
        engine.watching_titles = self.titles is not None
        self._process_due = self._title_due = time.monotonic()

    def run_due(self) -> float:
        """Run the watchers that are due; returns the monotonic time the next one is."""
        now = time.monotonic()
        if now >= self._process_due:
            self._scan_processes()
            self._process_due = now + PROCESS_SECONDS
        if self.titles is not None and now >= self._title_due:
            self._scan_titles()
            self._title_due = now + TITLE_SECONDS
        return min(self._process_due, self._title_due if self.titles else self._process_due)

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
                "urge", f"a blocked site was asked for: {name}", site=name, layer="site"
            )

    def _scan_processes(self) -> None:
        desired = self.engine.desired
        if desired is None or not self.engine.enforcing:
            self.processes.scan(())  # still learn which browsers run
            return
        for started in self.processes.scan(desired.url_prefixes, desired.domains):
            name = started.browser.name
            for url in started.blocked_urls:
                self.engine.emit(
                    "urge",
                    f"{name} was opened on a blocked page ({url})",
                    browser=name,
                    url=url,
                    layer="process",
                )
            if started.blocked_urls and self.engine.effective().strict:
                outcome = close(started.pid, grace=1.0)
                self.engine.emit("browser_closed", f"strict mode: {name} {outcome}", browser=name)

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
                "urge",
                f"a blocked profile is open in {match.browser}: {match.window.title}",
                browser=match.browser,
                title=match.window.title,
                layer="title",
            )
