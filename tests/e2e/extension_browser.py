"""Real headless Chromium with blocker's extension installed by a sandbox daemon's policy,
for the end-to-end tests and the benchmark: the sandbox's /etc/chromium bind-mounted
over the real one in a private mount namespace, a local HTTPS site standing in for
instagram.com, and tabs followed across the processes blocker's page moves them to."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.devtools import EXTENSION_FLAGS, Chromium, DevToolsError, chromium
from tests.e2e.fake_site import FakeSite
from tests.e2e.helpers import wait_for, with_bind_mounts

HOME = "https://www.instagram.com/"
# The site's home page: an app that routes with the history API, as Instagram does.
APP = "<html><head><title>home</title></head><body><div id=app>home</div></body></html>"
# The test's own policy file, not blocker's: Chromium keeps DevTools off the pages of an
# extension installed by policy unless told otherwise, and the tests read blocker's page
# and worker through DevTools.
DEVTOOLS_POLICY = ("aaa-test-devtools.json", '{"DeveloperToolsAvailability": 1}\n')


class Tab:
    """One tab of the browser, followed by its target id across processes."""

    def __init__(self, browser: Chromium, url: str) -> None:
        self.browser = browser
        self.target, self.session = browser.open_tab("about:blank")
        browser.navigate(url, self.session)

    def url(self) -> str:
        return str(next(t["url"] for t in self.browser.targets() if t["targetId"] == self.target))

    def run(self, script: str) -> Any:
        try:
            return self.browser.evaluate(script, self.session)
        except DevToolsError:
            # The session ended with the page it was on (blocker's page is another
            # process): attach again.
            self.session = self.browser.attach(self.target)
            return self.browser.evaluate(script, self.session)

    def close(self) -> None:
        self.browser.call("Target.closeTarget", targetId=self.target)


def on_blocker_page(tab: Tab, extension_id: str) -> bool:
    return tab.url().startswith(f"chrome-extension://{extension_id}/blocked.html")


def allow_devtools(sandbox: Path) -> Path:
    """The sandbox's Chromium policy folder, with the test's DevTools policy in it."""
    managed = sandbox / "root/etc/chromium/policies/managed"
    managed.mkdir(parents=True, exist_ok=True)
    (managed / DEVTOOLS_POLICY[0]).write_text(DEVTOOLS_POLICY[1])
    return managed


@dataclass(frozen=True)
class Installed:
    extension_id: str
    update_url: str
    policy: dict[str, Any]
    launch: Callable[[], contextlib.AbstractContextManager[Chromium]]


def installed_extension(sandbox: Path, site: FakeSite, profile: Path) -> Installed:
    """Once the sandbox daemon's policy names the extension: install it into `profile`
    with a first launch (it acts from the next launch on: browser-extension-facts.md),
    and how to launch the browser that runs it."""
    policy_file = sandbox / "root/etc/chromium/policies/managed/zzz-blocker.json"
    wait_for(
        lambda: policy_file.exists() and "3rdparty" in policy_file.read_text(),
        timeout=15,
        what="the extension in our policy file",
    )
    policy = json.loads(policy_file.read_text())
    extension_id, update_url = policy["ExtensionInstallForcelist"][0].split(";", 1)
    mounts = [(sandbox / "root/etc/chromium", "/etc/chromium")]

    def launch() -> contextlib.AbstractContextManager[Chromium]:
        return chromium(
            with_bind_mounts(mounts),
            site.resolver_rules("instagram.com"),
            base_flags=EXTENSION_FLAGS,
            timeout=20,
            profile=profile,
        )

    with launch():
        wait_for(
            (profile / "Default/Extensions" / extension_id).exists,
            timeout=30,
            what="the extension installed by policy",
        )
    return Installed(extension_id, update_url, policy, launch)


@contextlib.contextmanager
def running_extension(installed: Installed) -> Iterator[Chromium]:
    """The browser, once the extension in it stops the profile."""
    with installed.launch() as browser:
        wait_for_the_extension(browser, installed.extension_id)
        yield browser


def wait_for_the_extension(browser: Chromium, extension_id: str) -> None:
    """Until it stops the profile: one probe a second in a tab of its own, after a quiet
    start (measured with Chromium 156: tabs opened at once through DevTools, one after
    another, kept the extension from acting for the whole run; five quiet seconds
    first, and it acted on the first tab)."""
    time.sleep(5)

    def stops_the_profile() -> bool:
        probe = Tab(browser, HOME)
        try:
            probe.run("history.pushState({}, '', '/alex.example/')")
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:
                if on_blocker_page(probe, extension_id):
                    return True
                time.sleep(0.05)
            return False
        finally:
            probe.close()

    wait_for(stops_the_profile, timeout=15, what="the extension stopping the profile")
