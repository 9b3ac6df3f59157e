"""`blocker run`: the foreground loop that keeps the machine matching the plan.

It reconciles at start, at every planned change (waking exactly then), whenever the hosts
file or the block list changes on disk, and at least once a minute. Stopping it leaves the
block as it is: a stopped or crashed blocker fails closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from blocker import hoststext
from blocker.catalog import Catalog
from blocker.config import Config, load_config
from blocker.enforce.hosts import HostsFile
from blocker.errors import BlockerError, ConfigError
from blocker.paths import Paths
from blocker.plan import Desired, plan
from blocker.watch.files import FileWatcher, Signature, signature

logger = logging.getLogger(__name__)

LONGEST_SLEEP = 60.0  # seconds; also bounds how late a jump of the wall clock is noticed
RETRY_AFTER_ERROR = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runner:
    paths: Paths
    catalog: Catalog
    zone: tzinfo
    machine_names: frozenset[str] = frozenset()
    now: Callable[[], datetime] = utc_now

    def __post_init__(self) -> None:
        self.hosts = HostsFile(self.paths.hosts, self.paths.hosts_backup)
        self._config: Config | None = None
        self._config_signature: Signature = None
        self._expected_section = False
        self.wake = threading.Event()  # set by file events and by whoever sets `stop`

    def load(self) -> Config:
        """Read the block list if it changed. At start an invalid one is an error; later it is
        logged and the last good one is kept, so a typo never lifts a block."""
        current = signature(self.paths.config)
        if self._config is not None and current == self._config_signature:
            return self._config
        try:
            config = load_config(self.paths.config, self.catalog, self.machine_names)
        except ConfigError as error:
            if self._config is None:
                raise
            logger.error("the block list was not reloaded, the last good one stays: %s", error)
            self._config_signature = current
            return self._config
        for warning in config.warnings:
            logger.warning("%s", warning)
        if self._config is not None:
            logger.info("reloaded the block list from %s", self.paths.config)
        self._config, self._config_signature = config, current
        return config

    def reconcile(self) -> Desired:
        desired = plan(self.load(), self.now(), self.zone)
        result = self.hosts.reconcile(desired.domains)
        if result.changed and desired.blocking and self._expected_section:
            logger.warning(
                "the blocker section of %s was removed or edited; put it back", self.paths.hosts
            )
        elif result.changed and desired.blocking:
            logger.info("blocking %d names in %s", len(result.blocked), self.paths.hosts)
            self._warn_about_foreign_entries(desired.domains)
        elif result.changed:
            logger.info("the block is off; removed the blocker section from %s", self.paths.hosts)
        self._expected_section = desired.blocking
        return desired

    def _warn_about_foreign_entries(self, domains: tuple[str, ...]) -> None:
        for name, line in hoststext.foreign_entries(self.hosts.read(), domains).items():
            logger.warning(
                "%s:%d also gives %s an address, and that line wins over the block; remove "
                "it from the hosts file to block %s",
                self.paths.hosts,
                line,
                name,
                name,
            )

    def run(self, stop: threading.Event) -> None:
        """Reconcile until `stop` is set. The first reconcile's errors propagate."""
        wake = self.wake
        watcher = FileWatcher((self.paths.hosts, self.paths.config), wake.set)
        watcher.start()
        try:
            desired = self.reconcile()
            while not stop.is_set():
                wake.wait(self._sleep_for(desired))
                wake.clear()
                if stop.is_set():
                    break
                try:
                    desired = self.reconcile()
                except BlockerError as error:
                    logger.error("%s", error)
                    wake.wait(RETRY_AFTER_ERROR)
        finally:
            watcher.stop()

    def _sleep_for(self, desired: Desired) -> float:
        if desired.next_change is None:
            return LONGEST_SLEEP
        remaining = (desired.next_change - self.now()).total_seconds()
        return min(max(remaining, 0.0), LONGEST_SLEEP)
