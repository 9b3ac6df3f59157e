"""Every enforcement layer behind one call: the hosts file, each installed browser's
policies, and the DNS caches. Called from the daemon's loop thread only; blocks on I/O;
idempotent, so startup, repair and the end of a block are all the same call.

No layer takes the others down: each is reconciled on its own, and one that fails (a
malformed file of another program, a full disk, a bug of ours) is reported in the result
and tried again on the next step while the rest hold."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from blocker.blocklist.browser_catalog import Browser, policy_places
from blocker.core.policies import ExtensionInstall
from blocker.core.witness import Found
from blocker.enforce import dns
from blocker.enforce.chromium import ChromiumPolicyFolder
from blocker.enforce.extension import GECKO_ID, XPI_NAME
from blocker.enforce.firefox import FirefoxExtension, FirefoxPolicyFile
from blocker.enforce.hosts import HostsFile
from blocker.enforce.nativehost import NativeHostFiles, host_places
from blocker.errors import BlockerError
from blocker.system.paths import Paths

if TYPE_CHECKING:
    from blocker.enforce.extension.update_server import ExtensionServer

logger = logging.getLogger(__name__)


HOSTS_LAYER = "hosts file"
DNS_LAYER = "DNS cache flush"


@dataclass(frozen=True)
class Applied:
    hosts_changed: bool
    blocked_names: frozenset[str] | None  # None: the hosts file could not be read
    browsers_changed: tuple[str, ...]  # names of browsers whose policies were written or removed
    failures: dict[str, str] = field(default_factory=dict)  # layer name -> what went wrong


def _failure(layer: str, error: Exception) -> str:
    """What to report of a layer's error; an unexpected one is logged with its traceback,
    since only a bug of ours (or of the OS) raises something other than these."""
    if isinstance(error, BlockerError | OSError | ValueError):
        logger.error("%s: %s", layer, error)
        return str(error)
    logger.exception("%s failed unexpectedly", layer)
    return f"unexpected error: {error!r}"


class Layers:
    def __init__(self, paths: Paths, browsers: tuple[Browser, ...]) -> None:
        self.paths = paths
        self.browsers = browsers
        self.hosts = HostsFile(paths.hosts, paths.hosts_backup)
        # One enforcer per policy location, named after the first browser that reads it:
        # a Flatpak that reads the host's folder shares the package's file of ours.
        self.policies: list[
            tuple[tuple[Browser, ...], ChromiumPolicyFolder | FirefoxPolicyFile]
        ] = [
            (
                readers,
                ChromiumPolicyFolder(readers[0], paths.root)
                if readers[0].family == "chromium"
                else FirefoxPolicyFile(readers[0], paths.root, paths.state_dir),
            )
            for readers in policy_places(browsers)
        ]
        # Set by the daemon while it serves blocker's extension on loopback; without a
        # server (`run --once`) no policy names an extension nobody could install.
        self.extension: ExtensionInstall | None = None
        # The extension's line to the daemon, in each folder of host manifests.
        self.native_hosts = [
            NativeHostFiles(folder, readers, paths.root, paths.socket)
            for folder, readers in host_places(browsers, paths.root)
        ]
        # Set by the daemon once it has written the XPI; named in Firefox's policy only
        # where the block list allows unsigned add-ons (see apply).
        self.firefox_extension: FirefoxExtension | None = None

    def serve_extension(self) -> tuple[ExtensionServer | None, str]:
        """Serve blocker's browser extension on loopback and name it in the Chromium
        policies, and write Firefox's XPI. Returns the server, or None and why it cannot
        run (the rest of the block holds)."""
        from blocker.enforce.extension import (
            update_server as server,  # http.server: only for the daemon that serves
        )

        xpi = self.paths.shared_dir / XPI_NAME  # where Firefox installs it from
        try:
            serving = server.serve(self.paths.state_dir, xpi)
        except (BlockerError, OSError) as error:
            logger.error("blocker's browser extension cannot be served: %s", error)
            return None, str(error)
        self.extension = ExtensionInstall(serving.built.extension_id, serving.update_url)
        # Named in Firefox's policy only where the block list allows unsigned add-ons.
        # Firefox installs it from the file rather than from the loopback server, though it
        # takes both (measured with ESR 153): with signature checks off it would install
        # whatever a program that took the port while the daemon was away served under our
        # ID, where only root can write this file; and it looks at a file:// XPI at every
        # start, so a newer blocker reaches it (an http:// URL it installed from, never again).
        self.firefox_extension = FirefoxExtension(xpi.absolute().as_uri())
        return serving, ""

    def apply(
        self,
        domains: tuple[str, ...],
        prefixes: tuple[str, ...],
        blocking: bool,
        labels: tuple[tuple[str, str], ...] = (),
        firefox_unsigned_addons: bool = False,
    ) -> Applied:
        """Make every layer match the plan. `labels` pairs each prefix with the label of
        its page, for the extension's page in place of a blocked one.
        `firefox_unsigned_addons`: the block list lets Firefox install blocker's unsigned
        extension (with signature checks off for every add-on while the block is on)."""
        failures: dict[str, str] = {}
        hosts_changed, blocked = False, None
        try:
            hosts = self.hosts.reconcile(domains if blocking else ())
            hosts_changed, blocked = hosts.changed, hosts.blocked
            # Lines that would defeat the block are turned off inside the reconcile,
            # which logs them and keeps them on `self.hosts.neutralised`.
        except Exception as error:  # noqa: BLE001 - the other layers must still hold
            failures[HOSTS_LAYER] = _failure(HOSTS_LAYER, error)
        if hosts_changed and self.paths.is_system:
            try:
                dns.flush()
            except Exception as error:  # noqa: BLE001 - a cache is a nicety, the block holds
                failures[DNS_LAYER] = _failure(DNS_LAYER, error)
        changed = []
        extension = self.extension
        if extension is not None:
            extension = dataclasses.replace(extension, labels=dict(labels))
        firefox = self.firefox_extension if firefox_unsigned_addons else None
        if firefox is not None:
            firefox = dataclasses.replace(firefox, labels=dict(labels))
        for readers, enforcer in self.policies:
            browser = readers[0]
            try:
                # A browser removed during the block still gets our file taken away.
                if blocking and not any(reader.installed() for reader in readers):
                    continue
                if isinstance(enforcer, ChromiumPolicyFolder):
                    if enforcer.reconcile(prefixes, blocking, extension):
                        changed.append(browser.name)
                elif enforcer.reconcile(prefixes, blocking, firefox):
                    changed.append(browser.name)
            except Exception as error:  # noqa: BLE001 - the other layers must still hold
                failures[browser.name] = _failure(browser.name, error)
        installs = {
            "chromium": extension.extension_id if extension and blocking and prefixes else None,
            "firefox": GECKO_ID if firefox and blocking and prefixes else None,
        }
        self._apply_native_hosts(installs, changed, failures)
        return Applied(hosts_changed, blocked, tuple(changed), failures)

    def _apply_native_hosts(
        self, installs: dict[str, str | None], changed: list[str], failures: dict[str, str]
    ) -> None:
        """The host's files go with the extension the policies install, for each family
        the ID of the extension installed (None: none is)."""
        for files in self.native_hosts:
            name = files.readers[0].name
            try:
                installed = any(r.installed() for r in files.readers)
                wanted = installs[files.readers[0].family] if installed else None
                if files.reconcile(wanted) and name not in changed:
                    changed.append(name)
            except Exception as error:  # noqa: BLE001 - the other layers must still hold
                failures[f"{name}: native host"] = _failure(name, error)

    def found(self) -> Found:
        """What blocker's own parts of the machine hold now: the witnesses of what was in
        force when the state file is lost. A part that cannot be read witnesses nothing."""
        domains: frozenset[str] = frozenset()
        try:
            domains = self.hosts.blocked()
        except BlockerError as error:
            logger.warning("cannot tell what the hosts file blocks: %s", error)
        entries: set[str] = set()
        others: list[str] = []
        patterns: set[str] = set()
        for (browser, *_), enforcer in self.policies:
            try:
                if isinstance(enforcer, ChromiumPolicyFolder):
                    entries.update(enforcer.our_entries())
                    others.extend(enforcer.others_entries())
                else:
                    patterns.update(enforcer.our_patterns())
            except (OSError, ValueError) as error:
                logger.warning("cannot tell what %s blocks: %s", browser.name, error)
        return Found(domains, frozenset(entries), tuple(dict.fromkeys(others)), frozenset(patterns))

    def policy_folders(self) -> tuple[Path, ...]:
        """The Chromium-family policy folders: a file of anyone's there may override ours."""
        return tuple(e.folder for _, e in self.policies if isinstance(e, ChromiumPolicyFolder))

    def policy_paths(self) -> tuple[Path, ...]:
        """Every browser policy file a layer may write, installed browser or not, for the
        daemon to watch: a file deleted or edited there must be repaired at once. The
        native host's files too: without them the extension still stops what the policy
        names, but a profile added later would wait for the browser's policy reload."""
        policies = tuple(
            path
            for _, enforcer in self.policies
            for path in (
                (enforcer.ours,)
                if isinstance(enforcer, ChromiumPolicyFolder)
                else (enforcer.system_file, *enforcer.distribution_files)
            )
        )
        hosts = tuple(p for files in self.native_hosts for p in (files.manifest, files.launcher))
        return policies + hosts
