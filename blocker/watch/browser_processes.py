"""Notice browsers as they start: which are running (so the person can be told to
restart one that has not read the new policies) and which were started with a blocked
page on their command line (`--app=URL`, a plain URL, a private window with a URL).

Cheap by design: where the kernel tells of each program started (exec_events.py) only
those processes are looked at; elsewhere each scan lists process ids (one directory read
on Linux) and asks psutil about new ids only. A process that vanishes is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol

from blocker.blocklist.browser_catalog import Browser

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    exe: str
    cmdline: tuple[str, ...]


@dataclass(frozen=True)
class BrowserStarted:
    pid: int
    browser: Browser
    blocked_urls: tuple[str, ...]
    extensions_off: bool = False  # a Chromium-family browser started without extensions


# Chromium's switches that start it without any extension, force-installed ones included
# (measured with Chromium 156: blocker's extension did not run under either).
EXTENSIONS_OFF = ("--disable-extensions", "--disable-extensions-except")


def extensions_off(browser: Browser, cmdline: tuple[str, ...]) -> bool:
    """Whether this browser was started so that blocker's extension cannot run in it."""
    return browser.family == "chromium" and any(
        arg.split("=", 1)[0] in EXTENSIONS_OFF for arg in cmdline[1:]
    )


def top_level_browser(info: ProcessInfo, browsers: Iterable[Browser]) -> Browser | None:
    """The browser this is the main process of; None for anything else, helpers included
    (Chromium's have `--type=`, Firefox's `-contentproc`)."""
    if any(arg.startswith("--type=") or arg == "-contentproc" for arg in info.cmdline):
        return None
    names = {info.name, PurePath(info.exe).name if info.exe else ""}
    if info.cmdline:
        names.add(PurePath(info.cmdline[0]).name)
    return next((b for b in browsers if names & set(b.executables)), None)


def urls_on_command_line(cmdline: tuple[str, ...]) -> tuple[str, ...]:
    urls = []
    for arg in cmdline[1:]:
        value = arg.split("=", 1)[1] if arg.startswith("--app=") else arg
        if value.startswith("-"):
            continue
        if "://" in value or ("." in value.split("/", 1)[0] and "/" in value):
            urls.append(value)
    return tuple(urls)


def _host_and_path(url: str) -> str:
    text = url.split("://", 1)[-1].split("#", 1)[0].split("?", 1)[0]
    host, _, path = text.partition("/")
    host = host.lower().split(":", 1)[0]
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    return f"{host}/{path}".lower()


def blocked(url: str, prefixes: Iterable[str], domains: Iterable[str] = ()) -> bool:
    """Whether `url` opens a blocked page (profiles are matched without regard to case)."""
    target = _host_and_path(url)
    host = target.split("/", 1)[0]
    return any(target.startswith(p.lower()) for p in prefixes) or any(
        host == d or host.endswith("." + d) for d in domains
    )


class ProcessTable(Protocol):
    """The OS's process list. Both methods block briefly; call from one thread."""

    def pids(self) -> list[int]: ...
    def info(self, pid: int) -> ProcessInfo | None: ...


class PsutilProcesses:
    def pids(self) -> list[int]:
        import psutil

        return list(psutil.pids())

    def info(self, pid: int) -> ProcessInfo | None:
        import psutil

        try:
            data: dict[str, Any] = psutil.Process(pid).as_dict(["name", "exe", "cmdline"])
        except psutil.NoSuchProcess:
            return None  # it ended between the listing and the question
        except psutil.AccessDenied:
            logger.debug("no access to process %d", pid)
            return None
        return ProcessInfo(
            pid, data.get("name") or "", data.get("exe") or "", tuple(data.get("cmdline") or ())
        )


class BrowserWatcher:
    """Remembers which processes it has seen; `scan()` reports browsers started since.
    Where the kernel says which processes start programs, `started()` looks at those
    only. Both from one thread."""

    def __init__(self, browsers: tuple[Browser, ...], table: ProcessTable | None = None) -> None:
        self.browsers = browsers
        self.table = table or PsutilProcesses()
        self.seen: set[int] = set()
        self.running: dict[int, Browser] = {}

    def scan(self, prefixes: Iterable[str], domains: Iterable[str] = ()) -> list[BrowserStarted]:
        current = set(self.table.pids())
        for gone in self.seen - current:
            self.running.pop(gone, None)
        fresh = sorted(current - self.seen - self.running.keys())  # `started()` saw those
        found = self._look(fresh, tuple(prefixes), tuple(domains))
        self.seen = current
        return found

    def started(
        self, pids: Iterable[int], prefixes: Iterable[str], domains: Iterable[str] = ()
    ) -> list[BrowserStarted]:
        """The browsers among `pids`, processes that have just run a new program. One
        already known as a browser is not reported again: a wrapper script (Debian's
        /usr/bin/chromium) runs the real browser in the same process."""
        self._forget_ended()
        fresh = [pid for pid in dict.fromkeys(pids) if pid not in self.running]
        return self._look(fresh, tuple(prefixes), tuple(domains))

    def running_browsers(self) -> set[str]:
        self._forget_ended()
        return {b.name for b in self.running.values()}

    def _forget_ended(self) -> None:
        # Exits are not asked of the kernel (every thread's exit would wake the daemon),
        # so the list is checked when it is used; a browser is rarely running.
        if self.running:
            current = set(self.table.pids())
            self.running = {pid: b for pid, b in self.running.items() if pid in current}

    def _look(
        self, pids: Iterable[int], prefixes: tuple[str, ...], domains: tuple[str, ...]
    ) -> list[BrowserStarted]:
        found = []
        for pid in pids:
            info = self.table.info(pid)
            browser = top_level_browser(info, self.browsers) if info else None
            if info is None or browser is None:
                continue
            self.running[pid] = browser
            urls = tuple(
                u for u in urls_on_command_line(info.cmdline) if blocked(u, prefixes, domains)
            )
            found.append(BrowserStarted(pid, browser, urls, extensions_off(browser, info.cmdline)))
        return found


def close(pid: int, grace: float = 3.0) -> str:
    """Strict mode: end a browser that was started on a blocked page, politely first."""
    import psutil

    try:
        process = psutil.Process(pid)
        process.terminate()
        try:
            process.wait(grace)
        except psutil.TimeoutExpired:
            process.kill()
            return "killed"
    except psutil.NoSuchProcess:
        return "already gone"
    except psutil.AccessDenied:
        logger.warning("not allowed to close process %d", pid)
        return "not allowed"
    return "closed"
