"""blocker's extension in real Debian Chromium, headless, in a private mount namespace
with the sandbox's policy folder bind-mounted over /etc/chromium: a real sandbox daemon
writes the policy and serves the extension on loopback; Chromium installs it and a
single-page app standing in for instagram.com moves to the blocked profile without
loading a page.

The oracles are what blocker caused: the tab's address is blocker's own page, whose DOM
has blocker's own element ids (never Chromium's wording), and the controls stay where
the page put them."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from blocker.ipc import client
from blocker.system import sockets
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
from tests.e2e.fake_site import FakeSite, fake_site
from tests.e2e.helpers import SandboxDaemon, require_namespaces, wait_for

# A period in its second week, as the README's picture of blocker's page shows it.
BLOCK_LIST = (
    f"period:\n  start: {date.today() - timedelta(days=12)}\n  days: 60\n"
    "profiles:\n  - https://www.instagram.com/alex.example/\n"
    "reasons:\n  - I want my evenings back\n"
)
LABEL = "instagram: alex.example"
STOP_WITHIN = 5.0  # seconds, for a busy machine; the budget of 300 ms is the bench's to measure
ADDED_WITHIN = 2.0  # seconds from `blocker add` to an open page of the profile closed
LOAD_WITHIN = 15.0  # seconds for a page load on a machine busy with other tests
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def instagram() -> Iterator[FakeSite]:
    with fake_site({"/": APP}) as site:
        yield site


def wait_for_blocker_page(tab: Tab, extension_id: str) -> float:
    """Seconds until the tab shows blocker's page; then until that page has loaded, so
    that what the test does next starts from it."""
    took = wait_for(
        lambda: on_blocker_page(tab, extension_id), STOP_WITHIN, "blocker's page in the tab"
    )
    wait_for(
        lambda: tab.run("document.readyState") == "complete" and on_blocker_page(tab, extension_id),
        LOAD_WITHIN,
        "blocker's page loaded",
    )
    return took


def test_the_extension_stops_every_in_app_route_to_the_profile_and_nothing_else(
    tmp_path: Path, instagram: FakeSite
) -> None:
    require_namespaces()
    real_chromium = sorted(str(p) for p in Path("/etc/chromium").rglob("*"))
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    allow_devtools(daemon.folder)
    try:
        daemon.start()
        installed = installed_extension(daemon.folder, instagram, tmp_path / "profile")
        extension_id = installed.extension_id
        assert installed.update_url.startswith("http://127.0.0.1:")
        assert installed.policy["URLBlocklist"]  # the layer for typed addresses stays
        with running_extension(installed) as browser:
            stops = {}
            for name, script in {
                "pushState": "history.pushState({}, '', '/alex.example/')",
                "replaceState": "history.replaceState({}, '', '/alex.example/')",
                "other capitals": "history.pushState({}, '', '/Alex.Example/')",
                "a sub-page": "history.pushState({}, '', '/alex.example/reels/')",
                "a hash route": "location.hash = '/alex.example/'",
            }.items():
                tab = Tab(browser, HOME)
                tab.run(script)
                stops[name] = wait_for_blocker_page(tab, extension_id)
                if name == "pushState":
                    # blocker's own page: the label as the list says it, and closing
                    # the tab is what Enter does.
                    assert tab.run("document.getElementById('blocker-label').textContent") == LABEL
                    assert tab.run("document.activeElement.id") == "blocker-close"
                    assert_blockers_page_says_the_day_and_a_reason(daemon, tab)
                    assert_back_and_forward_to_the_profile_are_stopped(tab, extension_id)
                tab.close()
            tab = Tab(browser, "https://www.instagram.com/alex.example/")  # a direct load
            stops["a direct load"] = wait_for_blocker_page(tab, extension_id)
            assert_one_entry_of_blockers_page(tab)
            tab.close()
            for control in ("/alex.example2/", "/someoneelse/"):
                tab = Tab(browser, HOME)
                tab.run(f"history.pushState({{}}, '', '{control}')")
                time.sleep(1.0)  # longer than any stop above took
                assert tab.url() == f"https://www.instagram.com{control}"
                assert tab.run("document.getElementById('app').textContent") == "home"
                tab.close()
            added = assert_a_profile_added_while_open_is_closed(daemon, browser, extension_id)
            assert_the_pause_button_asks_through_the_cooldown(daemon, browser, extension_id)
        print(f"from the address change to blocker's page: {stops}; after an add: {added:.2f} s")
        assert_each_stop_was_an_urge_of_its_platform(daemon, len(stops))
    finally:
        daemon.kill()
    assert sorted(str(p) for p in Path("/etc/chromium").rglob("*")) == real_chromium


def assert_back_and_forward_to_the_profile_are_stopped(tab: Tab, extension_id: str) -> None:
    # History now: home, the profile (pushed), blocker's page. Load another page, then
    # go back two entries, onto the profile: it must end on blocker's page again.
    tab.browser.navigate("https://www.instagram.com/someoneelse/", tab.session)
    tab.session = tab.browser.attach(tab.target)
    assert tab.url() == "https://www.instagram.com/someoneelse/"
    tab.run("history.go(-2)")
    wait_for_blocker_page(tab, extension_id)
    # And forward: back to home (the first entry, by DevTools: how many entries blocker's
    # page added depends on when the stop came), then one entry forward, onto the profile.
    tab.run("1")  # a session on the tab as it is now
    history = tab.browser.call("Page.getNavigationHistory", tab.session)
    urls = [entry["url"] for entry in history["entries"]]
    home = urls.index(HOME)  # after the tab's first about:blank
    assert urls[home + 1] == "https://www.instagram.com/alex.example/"
    tab.run(f"history.go({home - history['currentIndex']})")
    wait_for(lambda: tab.url() == HOME, LOAD_WITHIN, "back at home")
    wait_for(lambda: tab.run("document.readyState") == "complete", LOAD_WITHIN, "home loaded")
    tab.run("history.forward()")
    wait_for_blocker_page(tab, extension_id)


def assert_one_entry_of_blockers_page(tab: Tab) -> None:
    """However many events a stop came with, blocker's page is one entry of the tab's
    history, so that Back leaves it."""
    time.sleep(0.5)  # the events of the stopped navigation that come after it
    tab.run("1")  # a session on the tab as it is now
    history = tab.browser.call("Page.getNavigationHistory", tab.session)
    ours = [e["url"] for e in history["entries"] if "blocked.html" in e["url"]]
    assert len(ours) == 1, [e["url"] for e in history["entries"]]


def assert_blockers_page_says_the_day_and_a_reason(daemon: SandboxDaemon, tab: Tab) -> None:
    """The day of the period as the daemon counts it, and the person's own reason."""
    period = daemon.status()["period"]
    wait_for(
        lambda: not tab.run("document.getElementById('blocker-day').hidden"),
        LOAD_WITHIN,
        "the day of the period on blocker's page",
    )
    day = tab.run("document.getElementById('blocker-day').textContent")
    assert f"{period['day']}" in day
    assert f"{period['days']}" in day
    assert tab.run("document.getElementById('blocker-reason').textContent") == (
        "I want my evenings back"
    )
    ARTIFACTS.mkdir(exist_ok=True)  # the README shows this page
    tab.browser.call(
        "Emulation.setDeviceMetricsOverride",
        tab.session,
        width=900,
        height=560,
        deviceScaleFactor=1,
        mobile=False,
    )
    shot = tab.browser.call("Page.captureScreenshot", tab.session, format="png")["data"]
    (ARTIFACTS / "interstitial.png").write_bytes(base64.b64decode(shot))


def assert_a_profile_added_while_open_is_closed(
    daemon: SandboxDaemon, browser: Chromium, extension_id: str
) -> float:
    """A profile open in a tab before it was added is closed within ADDED_WITHIN of the
    `blocker add`; returns how long it took."""
    tab = Tab(browser, "https://www.instagram.com/jordan.lee/")
    assert not on_blocker_page(tab, extension_id)
    started = time.monotonic()
    added = daemon.cli("add", "instagram: jordan.lee")
    assert added.returncode == 0, added.stderr
    wait_for(lambda: on_blocker_page(tab, extension_id), ADDED_WITHIN, "the added profile closed")
    took = time.monotonic() - started
    tab.close()
    return took


def assert_the_pause_button_asks_through_the_cooldown(
    daemon: SandboxDaemon, browser: Chromium, extension_id: str
) -> None:
    tab = Tab(browser, HOME)
    tab.run("history.pushState({}, '', '/alex.example/')")
    wait_for_blocker_page(tab, extension_id)
    tab.run("document.getElementById('blocker-pause').click()")
    wait_for(
        lambda: not tab.run("document.getElementById('blocker-pause-answer').hidden"),
        LOAD_WITHIN,
        "the daemon's answer on blocker's page",
    )
    waiting = daemon.status()["truth"]["waiting"]
    assert [r["kind"] for r in waiting] == ["pause"]  # asked, not granted: the cooldown runs
    assert waiting[0]["id"] in tab.run(
        "document.getElementById('blocker-pause-answer').textContent"
    )
    assert daemon.status()["blocking"]
    assert daemon.cli("cancel").returncode == 0
    tab.close()


def assert_each_stop_was_an_urge_of_its_platform(daemon: SandboxDaemon, stops: int) -> None:
    log = client.request(daemon.folder / sockets.SOCKET_NAME, {"op": "log"})["entries"]
    urges = [e for e in log if e["kind"] == "urge" and e["detail"].get("layer") == "extension"]
    assert len(urges) >= stops
    assert {u["detail"]["platform"] for u in urges} == {"instagram"}
    assert "alex.example" not in json.dumps(urges)  # the platform, never whose page
