"""The native-messaging host: the extension's line to the daemon.

The browser starts it (as the person, never as root) when blocker's extension connects,
and it lives as long as that connection: it follows the daemon's events and hands the
extension a fresh view (core/extension_view.py) whenever something happened, and it carries
the extension's few requests (an urge, a pause) to the daemon's control socket. The
daemon authenticates it there like any client, by the peer's user id; the host itself
holds no secret and decides nothing.

Messages with the browser are framed as native messaging requires: a 32-bit length in
the machine's byte order, then that many bytes of UTF-8 JSON. Light on purpose (no yaml,
no engine): a copy of it runs for each open browser, for weeks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from blocker.ipc import client, protocol

MAX_FROM_EXTENSION = 64 * 1024  # the extension sends a label or a word, never more
MAX_TO_BROWSER = 1024 * 1024  # Chromium's limit for one message from a host
RETRY_SECONDS = 5.0  # between attempts to reach a daemon that is not there
HEADER = 4


class FramingError(ValueError):
    """What came from the browser is not a native message this host reads."""


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message from the browser; None when it closed the connection."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    size = int.from_bytes(header, sys.byteorder)
    if size > MAX_FROM_EXTENSION:
        raise FramingError(f"a message of {size} bytes; at most {MAX_FROM_EXTENSION}")
    body = stream.read(size)
    if len(body) < size:
        return None
    try:
        message = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FramingError(f"not JSON: {error}") from None
    if not isinstance(message, dict):
        raise FramingError("expected a JSON object")
    return message


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_TO_BROWSER:
        raise FramingError(f"a message of {len(body)} bytes is too long for the browser")
    return len(body).to_bytes(HEADER, sys.byteorder) + body


class Host:
    """One browser's connection. The browser's messages are read on the main thread,
    the daemon's events on another; `send` is the one place both write."""

    def __init__(self, socket: str, browser: str, out: BinaryIO, program: str = "") -> None:
        self.socket = socket
        self.browser = browser
        self.program = program  # the program of the browser that started the host
        self.out = out
        self._writing = threading.Lock()
        self._view: dict[str, Any] | None = None
        self._reachable: bool | None = None

    def send(self, message: dict[str, Any]) -> None:
        data = frame(message)
        with self._writing:
            self.out.write(data)
            self.out.flush()

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """The daemon's answer, or an answer saying it cannot be reached."""
        try:
            return client.request(self.socket, request)
        except (client.DaemonUnreachable, OSError) as error:
            return {"ok": False, "error": str(error), "unreachable": True}

    # -- the daemon's side ------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for the view and pass it on if it changed (most events change nothing the
        extension shows: an urge, a layer's repair)."""
        answer = self.ask(protocol.ExtensionView().to_json())
        if not answer.get("ok"):
            self._say_reachable(not answer.get("unreachable"))
            return
        self._say_reachable(True)
        view = answer.get("view")
        if isinstance(view, dict) and view != self._view:
            self._view = view
            self.send({"kind": "view", "view": view})

    def _say_reachable(self, reachable: bool) -> None:
        """Tell the extension when the daemon comes and goes: it keeps its last list
        meanwhile, and its page says that a pause cannot be asked for now."""
        if reachable != self._reachable:
            self._reachable = reachable
            self.send({"kind": "daemon", "reachable": reachable})

    def follow(self, stopped: Callable[[], bool] = lambda: False) -> None:
        """Follow the daemon's events for as long as the host lives, again after each time
        it goes away (a restart, an upgrade)."""
        while not stopped():
            try:
                events = client.subscribe(self.socket)
                for _event in events:  # the first is the answer to subscribing
                    self.refresh()
            except (client.DaemonUnreachable, OSError):
                pass
            self._say_reachable(False)
            time.sleep(RETRY_SECONDS)

    # -- the browser's side -----------------------------------------------------------------
    def answer(self, message: dict[str, Any]) -> None:
        """One message of the extension's: an urge to count, a pause to ask for."""
        kind = message.get("kind")
        if kind == "urge":
            label = message.get("label")
            target = label[:300] if isinstance(label, str) else ""
            self.ask(protocol.Urge(self.browser, target=target, program=self.program).to_json())
        elif kind == "pause":
            reply = self.ask(protocol.Pause().to_json())
            self.send({"kind": "pause", "asked": message.get("asked"), "answer": reply})
        elif kind == "view":
            self.refresh()
            if self._view is not None:
                self.send({"kind": "view", "view": self._view})


def parent_program() -> str:
    """The name of the program that started the host (the browser: /opt/brave.com/brave/brave
    gives "brave"), so the daemon can tell which of the browsers sharing a folder of host
    manifests it is; "" where it cannot be read."""
    try:
        return Path(f"/proc/{os.getppid()}/exe").readlink().name[:60]
    except OSError:
        return ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="blocker-native-host")
    parser.add_argument("--socket", required=True, help="the daemon's control socket")
    parser.add_argument("--browser", required=True, help="the browser's name, for the urge log")
    # The browser adds the extension's origin (and on some systems a window handle).
    args, _ = parser.parse_known_args(argv)
    host = Host(args.socket, args.browser, sys.stdout.buffer, parent_program())
    threading.Thread(target=host.follow, name="daemon-events", daemon=True).start()
    while True:
        try:
            message = read_message(sys.stdin.buffer)
        except FramingError as error:
            # Not the extension speaking: end the connection rather than guess.
            print(f"blocker-native-host: {error}", file=sys.stderr)
            return 1
        if message is None:
            return 0  # the browser closed the port (or itself)
        host.answer(message)


if __name__ == "__main__":
    sys.exit(main())
