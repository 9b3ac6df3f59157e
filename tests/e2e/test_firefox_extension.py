"""blocker's extension in real Debian Firefox ESR, headless, in a private mount namespace
with the sandbox's distribution folder bind-mounted over Firefox's: a real sandbox daemon,
with the block list allowing unsigned add-ons, merges the extension into the person's
policies.json; Firefox installs it from the XPI the daemon wrote, and a page standing in
for www.instagram.com moves to the blocked profile without loading a page. When the block
ends, the policies.json is the person's again, byte for byte, and at its next start
Firefox no longer has the extension.

The oracles are what blocker caused: the tab's address is blocker's own page, whose DOM
has blocker's own element ids (never Firefox's wording), and the add-on's file in the
profile, there during the block and gone after."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from blocker.enforce.extension import GECKO_ID
from blocker.ipc import client
from blocker.system import sockets
from tests.e2e.helpers import SandboxDaemon, require_namespaces, wait_for, with_bind_mounts
from tests.e2e.marionette import Firefox, firefox
from tests.e2e.test_firefox import DISTRIBUTION, requested

__all__ = ["requested"]  # the fixture of the local site, shared with test_firefox

# Another program's policies, with managed storage for an add-on of its own: both must
# survive. (Not an ExtensionSettings of its own: measured with ESR 153, Firefox then
# re-checks every add-on's signature at its next start after the block and disables
# blocker's before it can remove itself, as README says; the merge keeping such entries
# is a unit test.)
ORIGINAL_POLICIES = (
    b'{"policies": {"DisableAppUpdate": true,\n'
    b'  "3rdparty": {"Extensions": {"other@example.org": {"server": "example.org"}}}}}\n'
)
BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n  - https://www.instagram.com/alex.example/\n"
    "pause:\n  cooldown: 1s\n"
    "firefox:\n  allow_unsigned_addons: true\n"
)
LABEL = "instagram: alex.example"
MOZILLA = "usr/lib/mozilla"
ADDED_WITHIN = 5.0  # seconds: the 2 s is Chromium's, measured by the bench
STOP_WITHIN = 3.0  # seconds; the budget of the issue is 300 ms, for the bench to measure
# The add-on as Firefox keeps it in the profile: its own copy of the XPI.
INSTALLED = Path("extensions") / f"{GECKO_ID}.xpi"


def on_blocker_page(browser: Firefox) -> bool:
    address = browser.url()
    return address.startswith("moz-extension://") and "/blocked.html" in address


def wait_for_the_extension(browser: Firefox, home: str) -> None:
    """Until it stops the profile: Firefox installs a force-installed add-on while it
    starts, within seconds of the first window (measured with ESR 153)."""

    def stops_the_profile() -> bool:
        browser.navigate(home)
        browser.run("history.pushState({}, '', '/alex.example/')")
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if on_blocker_page(browser):
                return True
            time.sleep(0.05)
        return False

    wait_for(stops_the_profile, timeout=30, what="the extension stopping the profile")


def assert_an_added_profile_is_stopped_at_once(
    daemon: SandboxDaemon, browser: Firefox, home: str
) -> float:
    """Firefox reads its policies only when it starts: a profile added while it runs
    reaches the extension through blocker's native host, live."""
    manifest = daemon.folder / "root" / MOZILLA / "native-messaging-hosts/blocker_daemon.json"
    assert json.loads(manifest.read_text())["allowed_extensions"] == [GECKO_ID]
    assert daemon.cli("add", "instagram: jordan.lee").returncode == 0
    started = time.monotonic()

    def stopped() -> bool:
        browser.navigate(home)
        browser.run("history.pushState({}, '', '/jordan.lee/')")
        time.sleep(0.2)
        return on_blocker_page(browser)

    wait_for(stopped, ADDED_WITHIN, "the profile added while Firefox runs")
    took = time.monotonic() - started
    # The host told the daemon of the stops, naming the browser by the program it ran under.
    log = client.request(daemon.folder / sockets.SOCKET_NAME, {"op": "log"})["entries"]
    urges = [e for e in log if e["kind"] == "urge" and e["detail"].get("layer") == "extension"]
    assert {u["detail"]["browser"] for u in urges} == {"Firefox"}
    return took


def test_firefox_installs_blockers_extension_while_blocking_and_lets_it_go_after(
    tmp_path: Path, requested: tuple[int, list[str]]
) -> None:
    require_namespaces()
    if shutil.which("firefox-esr") is None or not Path("/" + DISTRIBUTION).is_dir():
        pytest.skip("Debian's firefox-esr is needed (scripts/test installs it)")
    real = sorted(str(p) for p in Path("/" + DISTRIBUTION).resolve().rglob("*"))
    real_hosts = Path("/etc/hosts").read_bytes()
    assert not Path("/etc/firefox").exists()
    port, _ = requested
    home = f"http://www.instagram.com:{port}/"
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    policies = daemon.folder / "root" / DISTRIBUTION / "policies.json"
    policies.parent.mkdir(parents=True)
    policies.write_bytes(ORIGINAL_POLICIES)
    profile = tmp_path / "profile"
    mounts = [(policies.parent, "/" + DISTRIBUTION)]
    # Where Firefox reads host manifests: the sandbox's, for blocker's live list.
    hosts = daemon.folder / "root" / MOZILLA
    live = Path("/" + MOZILLA).is_dir()
    if live:
        hosts.mkdir(parents=True)
        mounts.append((hosts, "/" + MOZILLA))
    # www.instagram.com is this machine, where the test's site answers.
    prefs = 'user_pref("network.dns.localDomains", "www.instagram.com");\n'
    try:
        daemon.start()
        wait_for(
            lambda: GECKO_ID in policies.read_text(), timeout=10, what="the extension's policy"
        )
        merged = json.loads(policies.read_text())["policies"]
        theirs = merged["3rdparty"]["Extensions"]["other@example.org"]
        assert theirs == {"server": "example.org"}
        assert merged["3rdparty"]["Extensions"][GECKO_ID]["targets"][0]["label"] == LABEL
        assert merged["ExtensionSettings"][GECKO_ID]["install_url"].startswith("file:///")
        assert merged["WebsiteFilter"]["Block"]  # the layer for typed addresses stays

        with firefox(with_bind_mounts(mounts), profile, prefs=prefs) as browser:
            wait_for_the_extension(browser, home)
            assert (profile / INSTALLED).exists()
            stops = {}
            for name, script in {
                "pushState": "history.pushState({}, '', '/alex.example/')",
                "other capitals": "history.pushState({}, '', '/Alex.Example/')",
                "a hash route": "location.hash = '/alex.example/'",
            }.items():
                browser.navigate(home)
                browser.run(script)
                stops[name] = wait_for(lambda: on_blocker_page(browser), STOP_WITHIN, name)
            # blocker's own page: the label as the list says it, and closing the tab is
            # what Enter does.
            assert (
                browser.run("return document.getElementById('blocker-label').textContent") == LABEL
            )
            assert browser.run("return document.activeElement.id") == "blocker-close"
            # A private window too: the policy lets the extension run there (measured:
            # without `private_browsing` it does not act in this window).
            window = browser.call("WebDriver:NewWindow", type="window", private=True)
            browser.call("WebDriver:SwitchToWindow", handle=window["handle"])
            browser.navigate(home)
            browser.run("history.pushState({}, '', '/alex.example/')")
            stops["a private window"] = wait_for(
                lambda: on_blocker_page(browser), STOP_WITHIN, "a private window"
            )
            if live:
                stops["added while open"] = assert_an_added_profile_is_stopped_at_once(
                    daemon, browser, home
                )
            for control in ("/alex.example2/", "/someoneelse/"):
                browser.navigate(home)
                browser.run(f"history.pushState({{}}, '', '{control}')")
                time.sleep(1.0)  # longer than any stop above took
                assert browser.url() == f"http://www.instagram.com:{port}{control}"
                assert browser.run("return document.body.textContent") == "served /"
        print(f"from the address change to blocker's page: {stops}")

        assert daemon.cli("stop").returncode == 0  # after the 1 s cooldown
        wait_for(
            lambda: policies.read_bytes() == ORIGINAL_POLICIES,
            timeout=15,
            what="the person's policies.json back byte for byte",
        )
        with firefox(with_bind_mounts(mounts), profile, prefs=prefs) as browser:
            browser.navigate(home)  # the add-on's background wakes, if it had not yet
            wait_for(
                lambda: not (profile / INSTALLED).exists(),
                timeout=15,
                what="the extension leaving Firefox",
            )
            browser.navigate(home)
            browser.run("history.pushState({}, '', '/alex.example/')")
            time.sleep(1.0)
            assert browser.url() == f"http://www.instagram.com:{port}/alex.example/"
    finally:
        daemon.kill()
    assert sorted(str(p) for p in Path("/" + DISTRIBUTION).resolve().rglob("*")) == real
    assert Path("/etc/hosts").read_bytes() == real_hosts
    assert not Path("/etc/firefox").exists()
