"""Every enforcement layer behind one call: the hosts file, each installed browser's
policies, and the DNS caches. Called from the daemon's loop thread only; blocks on I/O;
idempotent, so startup, repair and the end of a block are all the same call."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from blocker import hostsedit
from blocker.browsers import Browser
from blocker.enforce import dns
from blocker.enforce.chromium import ChromiumPolicyFolder
from blocker.enforce.firefox import FirefoxPolicyFile
from blocker.enforce.hosts import HostsFile
from blocker.paths import Paths

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Applied:
    hosts_changed: bool
    blocked_names: frozenset[str]
    browsers_changed: tuple[str, ...]  # names of browsers whose policies were written or removed


class Layers:
    def __init__(self, paths: Paths, browsers: tuple[Browser, ...]) -> None:
        self.paths = paths
        self.browsers = browsers
        self.hosts = HostsFile(paths.hosts, paths.hosts_backup)
        self.policies: list[tuple[Browser, ChromiumPolicyFolder | FirefoxPolicyFile]] = [
            (
                b,
                ChromiumPolicyFolder(b, paths.root)
                if b.family == "chromium"
                else FirefoxPolicyFile(b, paths.root, paths.state_dir),
            )
            for b in browsers
        ]

    def apply(self, domains: tuple[str, ...], prefixes: tuple[str, ...], blocking: bool) -> Applied:
        hosts = self.hosts.reconcile(domains if blocking else ())
        if hosts.changed:
            if blocking:
                self._warn_about_foreign_entries(domains)
            if self.paths.is_system:
                dns.flush()
        changed = []
        for browser, enforcer in self.policies:
            # A browser removed during the block still gets our file taken away.
            if (browser.installed() or not blocking) and enforcer.reconcile(prefixes, blocking):
                changed.append(browser.name)
        return Applied(hosts.changed, hosts.blocked, tuple(changed))

    def policy_paths(self) -> tuple[Path, ...]:
        """Every browser policy file a layer may write, installed browser or not, for the
        daemon to watch: a file deleted or edited there must be repaired at once."""
        return tuple(
            path
            for _, enforcer in self.policies
            for path in (
                (enforcer.ours,)
                if isinstance(enforcer, ChromiumPolicyFolder)
                else (enforcer.system_file, *enforcer.distribution_files)
            )
        )

    def _warn_about_foreign_entries(self, domains: tuple[str, ...]) -> None:
        for name, line in hostsedit.foreign_entries(self.hosts.read_bytes(), domains).items():
            logger.warning(
                "%s:%d also gives %s an address, and that line wins over the block; remove "
                "it from the hosts file to block %s",
                self.paths.hosts,
                line,
                name,
                name,
            )
