"""Which DNS caches are flushed where."""

from __future__ import annotations

from pathlib import Path

from blocker.enforce.dns import flush_commands


def test_linux_flushes_systemd_resolved_and_nscd_only_where_they_run() -> None:
    everything = flush_commands(
        "linux", which=lambda name: f"/usr/bin/{name}", exists=lambda _path: True
    )
    assert everything == [["resolvectl", "flush-caches"], ["nscd", "--invalidate=hosts"]]
    running = {Path("/var/run/nscd/socket")}
    assert flush_commands(
        "linux", which=lambda name: f"/usr/bin/{name}", exists=lambda path: path in running
    ) == [["nscd", "--invalidate=hosts"]]
    assert flush_commands("linux", which=lambda _name: None, exists=lambda _path: True) == []


def test_other_systems_get_no_flush_since_blocker_runs_on_linux_only() -> None:
    assert flush_commands("darwin") == []
    assert flush_commands("win32") == []
