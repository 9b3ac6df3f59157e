"""The browser process watcher against fake process tables."""

from __future__ import annotations

import subprocess
import sys

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.watch.browser_processes import (
    BrowserWatcher,
    ProcessInfo,
    blocked,
    close,
    top_level_browser,
    urls_on_command_line,
)

BROWSERS = shipped_browsers()
PREFIXES = ("instagram.com/alex.example",)


class FakeTable:
    def __init__(self, processes: dict[int, ProcessInfo]) -> None:
        self.processes = processes
        self.asked: list[int] = []
        self.vanish: set[int] = set()

    def pids(self) -> list[int]:
        return list(self.processes)

    def info(self, pid: int) -> ProcessInfo | None:
        self.asked.append(pid)
        return None if pid in self.vanish else self.processes.get(pid)


def chromium(pid: int, *args: str) -> ProcessInfo:
    return ProcessInfo(
        pid, "chromium", "/usr/lib/chromium/chromium", ("/usr/lib/chromium/chromium", *args)
    )


def test_only_top_level_browser_processes_count() -> None:
    assert top_level_browser(chromium(1), BROWSERS).key == "chromium"  # type: ignore[union-attr]
    assert top_level_browser(chromium(2, "--type=renderer"), BROWSERS) is None
    firefox_child = ProcessInfo(
        3,
        "Web Content",
        "/usr/lib/firefox-esr/firefox-esr",
        ("/usr/lib/firefox-esr/firefox-esr", "-contentproc", "8"),
    )
    assert top_level_browser(firefox_child, BROWSERS) is None
    assert top_level_browser(ProcessInfo(4, "bash", "/bin/bash", ("bash",)), BROWSERS) is None


def test_urls_are_found_in_the_ways_browsers_take_them() -> None:
    cmdline = (
        "chromium",
        "--incognito",
        "https://www.instagram.com/Alex.Example/",
        "--app=https://instagram.com/alex.example",
        "instagram.com/alex.example/x",
        "--user-data-dir=/tmp/x",
    )
    assert urls_on_command_line(cmdline) == (
        "https://www.instagram.com/Alex.Example/",
        "https://instagram.com/alex.example",
        "instagram.com/alex.example/x",
    )


def test_a_blocked_page_is_matched_without_regard_to_case_or_mobile_host() -> None:
    assert blocked("https://m.instagram.com/ALEX.EXAMPLE/?hl=en", PREFIXES)
    assert not blocked("https://www.instagram.com/someone/", PREFIXES)
    assert blocked("https://www.alexblog.example.com/post", (), ("alexblog.example.com",))


def test_only_new_processes_are_asked_about_and_vanished_ones_are_skipped() -> None:
    table = FakeTable(
        {
            1: chromium(1),
            2: chromium(2, "--type=gpu-process"),
            3: chromium(3, "https://instagram.com/alex.example"),
        }
    )
    table.vanish = {3}
    watcher = BrowserWatcher(BROWSERS, table)
    assert [s.pid for s in watcher.scan(PREFIXES)] == [1]
    table.asked.clear()
    table.processes[4] = chromium(4, "--app=https://www.instagram.com/alex.example/")
    started = watcher.scan(PREFIXES)
    assert table.asked == [4]
    assert started[0].blocked_urls == ("https://www.instagram.com/alex.example/",)
    assert watcher.running_browsers() == {"Chromium"}
    del table.processes[1], table.processes[4]
    watcher.scan(PREFIXES)
    assert watcher.running_browsers() == set()


def test_processes_told_of_are_looked_at_alone_and_a_browser_is_reported_once() -> None:
    table = FakeTable({1: chromium(1), 7: ProcessInfo(7, "bash", "/bin/bash", ("bash",))})
    watcher = BrowserWatcher(BROWSERS, table)
    watcher.scan(PREFIXES)
    table.asked.clear()
    table.processes[9] = chromium(9, "https://instagram.com/alex.example")
    started = watcher.started([9, 9], PREFIXES)
    assert table.asked == [9]
    assert [(s.pid, s.blocked_urls) for s in started] == [
        (9, ("https://instagram.com/alex.example",))
    ]
    # A wrapper script that runs the real browser in the same process is not a new urge,
    # nor is a scan after lost events.
    assert watcher.started([9], PREFIXES) == []
    assert watcher.scan(PREFIXES) == []
    del table.processes[9]
    assert watcher.running_browsers() == {"Chromium"}  # 1 still runs


def test_the_real_process_table_finds_a_started_browser_and_strict_mode_closes_it(
    tmp_path: object,
) -> None:
    # A stand-in "chromium" program (a copy of python named so) started on a blocked page.
    import shutil
    from pathlib import Path

    folder = Path(str(tmp_path))
    fake = folder / "chromium"
    shutil.copy(sys.executable, fake)
    watcher = BrowserWatcher(BROWSERS)
    watcher.scan(PREFIXES)
    process = subprocess.Popen(
        [str(fake), "-c", "import time; time.sleep(60)", "https://www.instagram.com/alex.example/"]
    )
    try:
        started = [s for s in watcher.scan(PREFIXES) if s.pid == process.pid]
        assert started
        assert started[0].blocked_urls == ("https://www.instagram.com/alex.example/",)
        assert close(process.pid, grace=2.0) == "closed"
        assert process.wait(5) is not None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_chromium_started_with_its_extensions_off_is_told_apart_and_firefox_is_not() -> None:
    table = FakeTable(
        {
            1: chromium(1),
            2: chromium(2, "--disable-extensions"),
            3: chromium(3, "--disable-extensions-except=/home/alex/unpacked"),
            4: chromium(4, "--disable-extensions-file-access-check"),
            5: ProcessInfo(
                5,
                "firefox-esr",
                "/usr/lib/firefox-esr/firefox-esr",
                ("firefox-esr", "--disable-extensions"),
            ),
        }
    )
    started = BrowserWatcher(BROWSERS, table).scan(PREFIXES)
    assert {s.pid: s.extensions_off for s in started} == {
        1: False,
        2: True,
        3: True,
        4: False,
        5: False,
    }
