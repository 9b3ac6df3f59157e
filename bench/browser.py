"""How fast blocker's extension stops a profile in a real browser: from a pushState to
blocker's page (`inapp_block_ms`), and from `blocker add` to an open tab of the added
profile closed (`add_to_refusal_s`).

Real headless Debian Chromium runs the extension that a sandbox daemon's policy
installed (the sandbox's /etc/chromium bind-mounted over the real one in a private mount
namespace, a local HTTPS site standing in for instagram.com), driven over DevTools with
the end-to-end tests' driver. Each stop is timed by the browser's event telling the tab's
new address, and so is the baseline: the same tab sent straight to blocker's page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.figures import Figure
from bench.measure import percentile
from bench.sandbox import SandboxDaemon, block_on_now
from tests.e2e.devtools import Chromium
from tests.e2e.extension_browser import (
    APP,
    HOME,
    Tab,
    allow_devtools,
    installed_extension,
    on_blocker_page,
    running_extension,
)
from tests.e2e.fake_site import fake_site

# Chromium stops an extension's service worker after 30 s without events; the add is
# timed after a longer quiet, as when the person adds a profile to a browser left open.
QUIET_BEFORE_ADD = 35.0


def available() -> str | None:
    """Why the browser figures cannot be measured here, or None when they can."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "they need root and unshare for a private mount namespace"
    if shutil.which("chromium") is None or shutil.which("openssl") is None:
        return "they need Debian's chromium and openssl (scripts/test installs both)"
    return None


def _until_blocker_page(tab: Tab, extension_id: str, started: float) -> float:
    """Seconds from `started` until the browser says the tab is on blocker's page. Told
    by the browser's own event, not asked for in a loop: a poll every few milliseconds
    would keep the browser busy answering it, and slow what it measures."""
    page = f"chrome-extension://{extension_id}/blocked.html"
    deadline = time.monotonic() + 10
    while True:
        info = tab.browser.wait_for_event(
            "Target.targetInfoChanged", max(0.01, deadline - time.monotonic())
        )["targetInfo"]
        if info["targetId"] == tab.target and str(info["url"]).startswith(page):
            return time.perf_counter() - started


def _fresh_tab(browser: Chromium) -> Tab:
    """A tab on the site's home, with the events of its opening forgotten."""
    tab = Tab(browser, HOME)
    browser.events.clear()
    return tab


def in_app_stops(browser: Chromium, extension_id: str, samples: int) -> Figure:
    stops, direct = [], []
    for _ in range(samples):
        tab = _fresh_tab(browser)
        started = time.perf_counter()
        tab.run("history.pushState({}, '', '/alex.example/')")
        stops.append(_until_blocker_page(tab, extension_id, started) * 1e3)
        tab.close()
        tab = _fresh_tab(browser)
        started = time.perf_counter()
        # A page may not open an extension's page; the browser may (as tabs.update does).
        page = f"chrome-extension://{extension_id}/blocked.html"
        browser.call("Page.navigate", tab.session, url=page)
        direct.append(_until_blocker_page(tab, extension_id, started) * 1e3)
        tab.close()
    return Figure(
        "inapp_block_ms",
        percentile(stops, 0.99),
        300,
        "ms",
        f"p99 of {samples} pushStates to the profile; sending the tab straight to "
        f"blocker's page takes {percentile(direct, 0.99):.1f} ms (p99)",
    )


def add_to_refusal(
    daemon: SandboxDaemon, browser: Chromium, extension_id: str, samples: int
) -> Figure:
    delays = []
    for sample in range(samples):
        handle = f"jordan.lee{sample}"
        tab = Tab(browser, f"{HOME}{handle}/")
        if on_blocker_page(tab, extension_id):
            raise RuntimeError(f"{handle} was closed before it was added")
        time.sleep(QUIET_BEFORE_ADD)
        browser.events.clear()
        started = time.perf_counter()
        subprocess.run(daemon.cli("add", f"instagram: {handle}"), check=True, capture_output=True)
        delays.append(_until_blocker_page(tab, extension_id, started))
        tab.close()
    return Figure(
        "add_to_refusal_s",
        max(delays),
        2,
        "s",
        f"the slowest of {samples} `blocker add`s of a profile open in Chromium, each after "
        f"{QUIET_BEFORE_ADD:.0f} quiet seconds (the command's own start included)",
    )


def figures(folder: Path, stops: int, adds: int) -> list[Figure]:
    why_not = available()
    if why_not is not None:
        print(f"bench: the browser figures are left out: {why_not}", file=sys.stderr)
        return []
    daemon = SandboxDaemon(folder / "daemon", block_on_now())
    allow_devtools(daemon.folder)
    daemon.start()
    try:
        with fake_site({"/": APP}) as site:
            installed = installed_extension(daemon.folder, site, folder / "profile")
            with running_extension(installed) as browser:
                browser.call("Target.setDiscoverTargets", discover=True)  # addresses as events
                found = [in_app_stops(browser, installed.extension_id, stops)]
                found.append(add_to_refusal(daemon, browser, installed.extension_id, adds))
    finally:
        daemon.stop()
    return found
