"""A small driver for real headless Firefox over Marionette, the remote protocol built into
every Firefox (`--marionette`): JSON messages, each prefixed with its length and a colon,
on a loopback TCP port that Firefox picks and writes into the profile
(`MarionetteActivePort`, with the preference `marionette.port` at 0).

Chosen over WebDriver BiDi because it needs no WebSocket client, only a socket. Tests use
it to ask Firefox what happened (a tab's address, the value of a page's own script),
never to read what it drew."""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PORT_FILE = "MarionetteActivePort"
# The person's Firefox in all but the remote control: Marionette's "recommended"
# preferences (which change how add-ons are handled, among much else) stay off.
USER_JS = (
    'user_pref("marionette.port", 0);\n'
    'user_pref("remote.prefs.recommended", false);\n'
    'user_pref("browser.shell.checkDefaultBrowser", false);\n'
    # Plain HTTP stands in for the sites: no upgrade attempt first, no HSTS preload list
    # (instagram.com is on it).
    'user_pref("dom.security.https_first", false);\n'
    'user_pref("network.stricttransportsecurity.preloadlist", false);\n'
)


class MarionetteError(RuntimeError):
    pass


class Firefox:
    """One Firefox process and a WebDriver session on its current tab. Not thread-safe;
    every call blocks until Firefox answers or `timeout` seconds pass."""

    def __init__(self, argv: Sequence[str], profile: Path, timeout: float = 30.0) -> None:
        (profile / PORT_FILE).unlink(missing_ok=True)
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._ids = itertools.count(1)
        self._buffer = b""
        try:
            port = self._wait_for_port(profile / PORT_FILE, timeout)
            self._socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
            self._message()  # the greeting: {"applicationType": "gecko", ...}
            self.call("WebDriver:NewSession", capabilities={"pageLoadStrategy": "normal"})
        except BaseException:
            self.process.kill()
            self.process.wait(10)
            raise

    def _wait_for_port(self, path: Path, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MarionetteError(f"Firefox ended at start ({self.process.returncode})")
            text = path.read_text().strip() if path.exists() else ""
            if text.isdigit():
                return int(text)
            time.sleep(0.1)
        raise MarionetteError(f"Firefox opened no Marionette port within {timeout} s")

    def _message(self) -> Any:
        while b":" not in self._buffer:
            self._receive()
        length, _, rest = self._buffer.partition(b":")
        size = int(length)
        self._buffer = rest
        while len(self._buffer) < size:
            self._receive()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return json.loads(data)

    def _receive(self) -> None:
        chunk = self._socket.recv(1 << 16)
        if not chunk:
            raise MarionetteError("Firefox closed the Marionette connection")
        self._buffer += chunk

    def call(self, command: str, **params: Any) -> Any:
        """The result of a command ([0, id, name, params] → [1, id, error, result])."""
        message_id = next(self._ids)
        data = json.dumps([0, message_id, command, params]).encode()
        self._socket.sendall(str(len(data)).encode() + b":" + data)
        while True:
            reply = self._message()
            if reply[0] == 1 and reply[1] == message_id:
                if reply[2]:
                    raise MarionetteError(f"{command}: {reply[2]}")
                return reply[3]

    # -- what tests ask -------------------------------------------------------------------
    def navigate(self, url: str) -> None:
        """Load `url` in the tab and wait for it to finish loading."""
        self.call("WebDriver:Navigate", url=url)

    def url(self) -> str:
        return str(self.call("WebDriver:GetCurrentURL")["value"])

    def run(self, script: str) -> Any:
        """The value of `return ...` in `script`, run in the tab's page."""
        return self.call("WebDriver:ExecuteScript", script=script, args=[])["value"]

    def close(self) -> None:
        with contextlib.suppress(MarionetteError, OSError):
            self.call("Marionette:Quit", flags=["eForceQuit"])
        self._socket.close()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@contextlib.contextmanager
def firefox(
    prefix: Sequence[str], profile: Path, *, prefs: str = "", timeout: float = 30.0
) -> Iterator[Firefox]:
    """Headless Firefox ESR started through `prefix` (e.g. the argv that bind-mounts a
    sandbox's files over the real ones) on `profile` (kept, for a second launch), with
    USER_JS and `prefs` in its user.js; closed afterwards."""
    if shutil.which("firefox-esr") is None:
        raise MarionetteError("Debian's firefox-esr is not installed (scripts/test installs it)")
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "user.js").write_text(USER_JS + prefs)
    argv = [*prefix, "firefox-esr", "--headless", "--marionette", "--no-remote"]
    browser = Firefox([*argv, "--profile", str(profile)], profile, timeout)
    try:
        yield browser
    finally:
        browser.close()
