"""`blocker doctor`'s rows for the browsers: one per install found (package, Snap,
system-wide or per-user Flatpak), ✓ where blocker's policy reaches it and the whole block
holds there, ✗ and the one-line why where not; and the known browsers not found.

Installs are found on the machine as the daemon finds them (under --sandbox too: the real
browsers are what reads a policy), plus a Flatpak in the person's own home, which the
daemon, as root, does not look for."""

from __future__ import annotations

from pathlib import Path

from blocker.blocklist.browser_catalog import Browser, Install, policy_places
from blocker.cli.doctor import Layer
from blocker.enforce.chromium import ChromiumPolicyFolder
from blocker.enforce.firefox import FirefoxPolicyFile
from blocker.system.paths import Paths

RESTART_FLATPAK = "it links the policy files in when it starts: restart it after a block starts"
FLATPAK_EXTENSIONS = "/var/lib/flatpak/extension/"


def _chromium_detail(browser: Browser, folder: ChromiumPolicyFolder) -> list[str]:
    parts = [f"policies in {folder.folder}"]
    if folder.ours.exists():
        parts[0] += " (the block's file is in place)"
    if browser.snap:
        parts.append(
            f"read through the Snap's etc-chromium-browser-policies connection "
            f"(`snap connections {browser.snap}` shows it)"
        )
    late = folder.overriding_files()
    if late:
        parts.append(
            f"{', '.join(p.name for p in late)} sorts after blocker's file and would "
            "override what it sets: while the block is on it is set aside"
        )
    return parts


def _firefox_detail(
    browser: Browser, enforcer: FirefoxPolicyFile, running: set[str]
) -> tuple[list[str], str]:
    """The detail, and why the block misses this Firefox ("" when it does not)."""
    target = enforcer.target()
    parts = [f"policies in {target}; Firefox reads them only when it starts"]
    if browser.name in running:
        parts[0] += " — it is running now: restart it after a change"
    if browser.ships_as != "package" and target != enforcer.system_file:
        # The Snap reads only the system file, which blocker leaves uncreated while the
        # package's distribution file is there (it would hide that file).
        return parts, f"it reads only {enforcer.system_file}, which blocker does not write here"
    return parts, ""


def browser_layers(
    browsers: tuple[Browser, ...],
    paths: Paths,
    running: set[str],
    machine: Path = Path("/"),
    home: Path | None = None,
) -> list[Layer]:
    """The rows of the installs found on `machine` and in `home`."""
    layers = []
    for readers in policy_places(browsers):
        # The daemon writes a place's file while a system-wide reader of it is there.
        written = any(not i.per_user for reader in readers for i in reader.installs(machine))
        first = readers[0]
        enforcer: ChromiumPolicyFolder | FirefoxPolicyFile = (
            ChromiumPolicyFolder(first, paths.root)
            if first.family == "chromium"
            else FirefoxPolicyFile(first, paths.root, paths.state_dir)
        )
        for browser in readers:
            for install in browser.installs(machine, home):
                layers.append(_install_layer(install, enforcer, written, running))
    return layers


def _install_layer(
    install: Install,
    enforcer: ChromiumPolicyFolder | FirefoxPolicyFile,
    written: bool,
    running: set[str],
) -> Layer:
    browser = install.browser
    missed = browser.limits
    if isinstance(enforcer, ChromiumPolicyFolder):
        parts = _chromium_detail(browser, enforcer)
    else:
        parts, uncovered = _firefox_detail(browser, enforcer, running)
        missed = uncovered or missed
    if browser.flatpak:
        parts.append(RESTART_FLATPAK)
    name = browser.name
    if install.per_user:
        name += ", installed for you only"
        if not written or browser.linux.startswith(FLATPAK_EXTENSIONS):
            missed = (
                f"installed in your home ({install.where}), where blocker's daemon does not "
                "look, so it writes nothing for it; installed for everyone "
                "(flatpak install --system) it is covered"
            )
    return Layer(name, not missed, "; ".join([missed, *parts] if missed else parts))


def browsers_not_found(
    browsers: tuple[Browser, ...], machine: Path = Path("/"), home: Path | None = None
) -> tuple[str, ...]:
    return tuple(b.name for b in browsers if not b.installs(machine, home))
