"""Helpers for tests: the CLI run in-process, block lists written from a template."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.config_file import parse_config
from blocker.cli.main import Environment, main
from blocker.core.config import Config
from blocker.system.paths import Paths

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BOOTED = datetime(2026, 11, 1, tzinfo=UTC)


def block_list(
    start: str = "2026-11-20",
    length: str = "days: 30",
    profiles: str = "",
    sites: str = "",
    extra: str = "",
) -> str:
    """A block list; `profiles` and `sites` are YAML list lines (`  - ...`)."""
    return f"period:\n  start: {start}\n  {length}\n{extra}profiles:\n{profiles}sites:\n{sites}"


def config_from(text: str, file: str = "blocklist.yaml") -> Config:
    return parse_config(text, file, shipped_catalog(), frozenset({"myhost"}))


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class FakeClocks:
    """Clocks of one boot at `at`: the elapsed clock has run since BOOTED, as a real one."""

    at: datetime
    booted: datetime = BOOTED
    boot: str = "test-boot"

    def wall(self) -> datetime:
        return self.at

    def elapsed(self) -> float:
        return (self.at - self.booted).total_seconds()

    def boot_id(self) -> str:
        return self.boot

    def doubts(self) -> str:
        return ""


def run_cli(paths: Paths, *args: str, now: datetime = NOW, zone: tzinfo = ZONE) -> Result:
    """Run `blocker ARGS` in this process against `paths`, as a person would type it."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out,
        stderr=err,
        now=lambda: now,
        zone=lambda: zone,
        system_paths=lambda: paths,
        system_socket=lambda: str(paths.socket),
        machine_names=lambda: frozenset({"myhost"}),
        clocks=lambda: FakeClocks(now),
    )
    status = main(list(args), env)
    return Result(int(status), out.getvalue(), err.getvalue())


def sandbox_paths(
    folder: Path, config_text: str, hosts_text: bytes = b"127.0.0.1 localhost\n"
) -> Paths:
    paths = Paths.sandbox(folder)
    paths.config.write_text(config_text, encoding="utf-8")
    paths.hosts.write_bytes(hosts_text)
    return paths
