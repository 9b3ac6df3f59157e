"""`blocker doctor`: which layers of the block work on this computer, which browsers need
a restart, and each known gap, in words a person understands."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blocker.blocklist.browser_catalog import Browser
from blocker.cli import doctor_firefox
from blocker.enforce import dns
from blocker.enforce.extension import XPI_NAME
from blocker.enforce.firefox import FirefoxPolicyFile
from blocker.hosts import hostsio, hoststext
from blocker.ipc.answers import DaemonStatus
from blocker.system.paths import Paths
from blocker.watch.sites import can_tell_owners

GAPS = (
    "A profile is blocked by the beginning of its address, so blocking "
    "instagram.com/alex.example also blocks instagram.com/alex.example2; the browsers' "
    "policy format has no way to say 'exactly this'.",
    "Chromium-family browsers compare addresses with their capitals; blocker also lists the "
    "usual spellings (Alex.Example, ALEX.EXAMPLE), and the window-title watcher notices the rest.",
    "Sites that change page without loading one (Instagram, X, TikTok) can show a profile "
    "the policies never see: blocker's extension stops it in the Chromium family on Linux, "
    "and in Firefox ESR where you chose it; in other browsers the window-title watcher "
    "notices it where it can read titles.",
    "A site that was already open may keep working for a minute or so after a block starts "
    "(open connections and the browser's own DNS cache).",
    "DNS over HTTPS is turned off in the browsers blocker manages; other apps that use it "
    "can still reach blocked sites.",
    "In strict mode blocker closes a browser started straight on a blocked page, or a "
    "Chromium-family browser started with its extensions off (--disable-extensions); a "
    "blocked profile opened later in a tab is noticed and answered with a reminder, not closed.",
    "Apps on a phone or another computer are not affected.",
    "Someone with sudo who stops the daemon and rewrites blocker's own files together (puts "
    "back an old state and deletes blocker's lines for an entry from the hosts file and the "
    "policy files, or deletes them all) has undone that part by hand: nothing on the machine "
    "witnesses it any more. Deleting, damaging or editing any one of them alone is caught.",
    "With blocker's state deleted, nothing vouches for the time: blocker's clock starts again "
    "from the system's, so a clock set forward with the state deleted ends the period after "
    "the hold that follows a lost state.",
    "The daily hours and the period's days follow the computer's time zone: a change of "
    "zone during the period is followed only after the cooldown (until then blocker blocks "
    "by both zones), but with blocker's state lost too, at once.",
)


@dataclass(frozen=True)
class Layer:
    name: str
    works: bool
    detail: str


def _site_attempts_layer(system: bool) -> Layer:
    if not system:
        return Layer(
            "counting whole-site attempts",
            False,
            "not under --sandbox: only the machine's own hosts file sends a blocked site to "
            "this machine, where the daemon would count it",
        )
    if not can_tell_owners():
        return Layer(
            "counting whole-site attempts",
            False,
            "this system does not say which user's program opens a connection (no "
            "/proc/net/tcp), so attempts are not counted: another account could fake them",
        )
    return Layer(
        "counting whole-site attempts",
        True,
        "the daemon listens on 127.0.0.1 and ::1, ports 443 and 80, where no other program "
        "uses them, to count a blocked site asked for by your programs or root's (names "
        "only; it never answers)",
    )


def _lines_turned_off(hosts: Path) -> list[int]:
    """Line numbers of the hosts lines blocker turned off, read in chunks."""
    try:
        with hosts.open("rb") as stream:
            lines = hostsio.count_lines(stream, ()).lines
    except OSError:
        return []
    return [line.number for line in lines if line.data.startswith(hoststext.OFF.encode())]


def _firefox_extension_layer(browser: Browser, paths: Paths, chosen: bool | None) -> Layer:
    builds = doctor_firefox.firefox_builds(Path("/"), browser.install_dirs)
    policies = FirefoxPolicyFile(browser, paths.root, paths.state_dir).target()
    works, detail = doctor_firefox.extension_layer(
        chosen, builds, policies, paths.shared_dir / XPI_NAME
    )
    return Layer(doctor_firefox.NAME, works, detail)


def diagnose(
    paths: Paths,
    browsers: tuple[Browser, ...],
    running: set[str],
    firefox_unsigned_addons: bool | None = False,
) -> list[Layer]:
    """`firefox_unsigned_addons`: what the block list in force says (None: unknown)."""
    hosts = paths.hosts
    writable = os.access(hosts, os.W_OK)
    detail = f"{hosts} is " + (
        "writable" if writable else "only writable by root: the daemon runs as root"
    )
    off = _lines_turned_off(hosts)
    if off:
        detail += "; turned off while the block is on (they gave a blocked name an address): "
        detail += ", ".join(f"{hosts}:{number}" for number in off)
    layers = [Layer("hosts file", writable, detail)]
    # Both build on this module's Layer.
    from blocker.cli.doctor_browsers import browser_layers
    from blocker.cli.doctor_desktop import desktop_layers

    layers.extend(browser_layers(browsers, paths, running, home=Path.home()))
    layers.extend(
        _firefox_extension_layer(b, paths, firefox_unsigned_addons)
        for b in browsers
        if b.family == "firefox" and b.installed()
    )
    layers.extend(desktop_layers())
    layers.append(_site_attempts_layer(paths.hosts_is_system))
    flushes = dns.flush_commands()
    layers.append(
        Layer(
            "DNS cache flush",
            True,
            ", ".join(" ".join(c) for c in flushes) or "no DNS cache runs here, nothing to flush",
        )
    )
    return layers


def failing_layers(status: DaemonStatus | None) -> list[Layer]:
    """The layers the running daemon could not reconcile on its last step, and how it
    notices browsers as they start."""
    if status is None:
        return [Layer("daemon", False, "not running: nothing keeps the block or repairs it")]
    how = status.process_watch  # empty from a daemon of an older version
    watch = [Layer("noticing browsers start", True, how)] if how else []
    failing = status.failing_layers
    layers = [
        Layer(f"daemon: {name}", False, f"{error} (the rest of the block holds; retried)")
        for name, error in failing.items()
    ] or [Layer("daemon", True, "running; every layer was reconciled on its last step")]
    layers.extend(watch)
    layers.extend(_extension_layer(status.extension or None))
    held = status.report.get("held")
    if held:
        layers.append(
            Layer(
                "daemon: state",
                True,
                f"{held['reason']}; what was in force is held until {held['until']}",
            )
        )
    return layers


def _extension_layer(extension: dict[str, Any] | None) -> list[Layer]:
    """What the daemon says of blocker's extension (nothing from an older daemon)."""
    if extension is None:
        return []
    name = "blocker's extension (Chromium family)"
    if not extension.get("served"):
        why = extension.get("problem") or "it is not served"
        return [
            Layer(
                name,
                False,
                f"{why}; typed addresses are still refused by the policies, but a site's "
                "in-app route to a profile is not stopped",
            )
        ]
    return [
        Layer(
            name,
            True,
            f"installed by policy from {extension['update_url']} while the block is on; "
            "it stops in-app routes to a profile and gets your list live through blocker's "
            "native-messaging host",
        )
    ]


def report_json(layers: list[Layer], not_found: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "layers": [vars(layer) for layer in layers],
        "browsers_not_found": list(not_found),
        "gaps": list(GAPS),
    }


def report_text(layers: list[Layer], not_found: tuple[str, ...] = ()) -> str:
    lines = ["What blocks on this computer:"]
    lines.extend(
        f"  {'✓' if layer.works else '✗'} {layer.name}: {layer.detail}" for layer in layers
    )
    if not_found:
        lines.append(f"Browsers blocker knows, not found here: {', '.join(not_found)}")
    lines.append("What no blocker can fully close (and what blocker does about it):")
    lines.extend(f"  • {gap}" for gap in GAPS)
    return "\n".join(lines)
