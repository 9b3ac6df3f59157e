"""A small driver for real headless Chromium over the DevTools protocol, on the pipe that
`--remote-debugging-pipe` opens (file descriptors 3 and 4, one JSON message per NUL).

Tests use it to ask Chromium what happened, not to read what it drew: the net error a
navigation ended with (`net::ERR_BLOCKED_BY_ADMINISTRATOR`, a stable code of Chromium's
network stack) and the values of the page's own script. A page's wording or layout
is never an oracle here; those change between Chromium versions."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import itertools
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--ignore-certificate-errors",
    "--remote-debugging-pipe",
)


class DevToolsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Navigation:
    error: str  # Chromium's net error name, "" when the page was answered

    @property
    def refused_by_policy(self) -> bool:
        return self.error == "net::ERR_BLOCKED_BY_ADMINISTRATOR"


def _above_ten(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Chromium:
    """One browser process and one page in it. Not thread-safe; every call blocks until
    Chromium answers or `timeout` seconds pass."""

    def __init__(self, argv: Sequence[str], timeout: float = 30.0) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Above 10, so that moving them to 3 and 4 in the child cannot overwrite either.
        to_browser_read, from_browser_write = (
            _above_ten(to_browser_read),
            _above_ten(from_browser_write),
        )
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

        # Chromium reads its commands on fd 3 and answers on fd 4; a shell puts the pipes
        # there (bash: dash takes one-digit fds only; no preexec_fn: pytest has threads).
        give_pipes = 'exec 3<&"$1" 4>&"$2"; shift 2; exec "$@"'
        self.process = subprocess.Popen(
            [
                "bash",
                "-c",
                give_pipes,
                "bash",
                str(to_browser_read),
                str(from_browser_write),
                *argv,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_browser_read, from_browser_write),
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.session = self._attach_to_a_page()

    # -- the protocol -------------------------------------------------------------------
    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._next_message(deadline)
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def _next_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_browser], [], [], remaining)[0]:
                raise DevToolsError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def wait_for_event(self, method: str, timeout: float) -> dict[str, Any]:
        """The first event named `method` (one already received counts), its params."""
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    del self.events[index]
                    params: dict[str, Any] = event.get("params", {})
                    return params
            self.events.append(self._next_message(deadline))

    def _attach_to_a_page(self) -> str:
        return self.open_tab("about:blank")[1]

    def open_tab(self, url: str) -> tuple[str, str]:
        """A new tab on `url`: its target id and a session attached to it."""
        target: str = self.call("Target.createTarget", url=url)["targetId"]
        return target, self.attach(target)

    def attach(self, target: str) -> str:
        """A session on a target (a tab's session ends when it leaves for another
        process, such as an extension's page)."""
        session: str = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Page.enable", session)
        return session

    def targets(self) -> list[dict[str, Any]]:
        """Every tab, worker and extension page of the browser, with its URL."""
        infos: list[dict[str, Any]] = self.call("Target.getTargets")["targetInfos"]
        return infos

    # -- what tests ask -------------------------------------------------------------------
    def navigate(self, url: str, session: str | None = None) -> Navigation:
        """Load `url` and wait for it to finish loading (or to fail)."""
        answer = self.call("Page.navigate", session or self.session, url=url)
        if answer.get("errorText"):
            return Navigation(str(answer["errorText"]))
        self.wait_for_event("Page.loadEventFired", self.timeout)
        return Navigation("")

    def evaluate(self, expression: str, session: str | None = None, **options: Any) -> Any:
        """The value of a script run in the page (`awaitPromise=True`: of its promise)."""
        answer = self.call(
            "Runtime.evaluate",
            session or self.session,
            expression=expression,
            returnByValue=True,
            **options,
        )
        if "exceptionDetails" in answer:
            raise DevToolsError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", self.session, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(DevToolsError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        os.close(self._to_browser)
        os.close(self._from_browser)


# Without --disable-background-networking, which also stops extension installs and
# updates; the other flags still keep Chromium off the network.
EXTENSION_FLAGS = tuple(f for f in CHROMIUM_FLAGS if f != "--disable-background-networking")


@contextlib.contextmanager
def chromium(
    prefix: Sequence[str],
    *flags: str,
    timeout: float = 30.0,
    base_flags: Sequence[str] = CHROMIUM_FLAGS,
    profile: Path | None = None,
) -> Iterator[Chromium]:
    """Headless Chromium started through `prefix` (e.g. the argv that bind-mounts a
    sandbox's files over the real ones), closed afterwards; with a fresh profile that
    goes with it, or with `profile`, which is kept (for a second launch)."""
    if shutil.which("chromium") is None:
        raise DevToolsError("Debian's chromium is not installed (scripts/test installs it)")
    folder = str(profile) if profile else tempfile.mkdtemp(prefix="chromium-profile-")
    browser = Chromium(
        [*prefix, "chromium", *base_flags, f"--user-data-dir={folder}", *flags],
        timeout=timeout,
    )
    try:
        yield browser
    finally:
        browser.close()
        if profile is None:
            shutil.rmtree(folder, ignore_errors=True)
