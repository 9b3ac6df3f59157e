"""The daemon's answers about what holds now, from its engine on real files: status and
list tell the same truth as the layers it enforces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from blocker.hosts.hoststext import blocked_names
from tests.helpers import ZONE, block_list, sandbox_paths

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
LIST = block_list(
    sites="  - alexblog.example.com\n  - alexphotos.example.org\n",
    extra="pause:\n  cooldown: 15m\n  max_length: 10m\n  per_day: 2\n",
)


@dataclass(eq=False)
class Clocks:
    at: datetime = T0

    def wall(self) -> datetime:
        return self.at

    def elapsed(self) -> float:
        return (self.at - T0).total_seconds() + 1000.0

    def boot_id(self) -> str:
        return "boot-1"

    def doubts(self) -> str:
        return ""


def start(tmp_path: Path) -> tuple[Engine, Requests, Clocks]:
    clocks = Clocks()
    paths = sandbox_paths(tmp_path, LIST)
    engine = Engine(paths, shipped_catalog(), ZONE, frozenset(), clocks, browsers=())
    engine.step()
    return engine, Requests(engine), clocks


def test_during_a_pause_the_daemon_says_paused_and_its_empty_hosts_section_is_right(
    tmp_path: Path,
) -> None:
    engine, requests, clocks = start(tmp_path)
    assert requests.handle({"op": "pause"})["ok"]
    clocks.at += 15 * MIN
    engine.step()
    assert not blocked_names(engine.paths.hosts.read_text())
    status = requests.handle({"op": "status"})["status"]
    assert status["truth"]["mode"] == "paused"
    assert status["truth"]["until"] == "2026-11-27T21:25:00+01:00"
    assert status["hosts_section"] == {"names": 0, "matches_plan": True}
    assert requests.handle({"op": "list"})["plan"]["blocking"] is False


def test_a_removal_waiting_for_its_cooldown_is_listed_in_force_with_its_id(
    tmp_path: Path,
) -> None:
    engine, requests, _ = start(tmp_path)
    assert requests.handle({"op": "remove", "target": "alexphotos.example.org", "site": True})["ok"]
    waiting = engine.pending_config()
    assert waiting is not None
    answer = requests.handle({"op": "list"})
    site = next(s for s in answer["list"]["sites"] if s["label"] == "alexphotos.example.org")
    assert site["comes_off"]["id"] == waiting.id
    assert site["comes_off"]["in_seconds"] == 15 * 60
    assert "alexphotos.example.org" in answer["plan"]["domains"]


def test_a_broken_hand_edit_stays_in_status_until_a_good_edit_is_taken_in(
    tmp_path: Path,
) -> None:
    engine, requests, clocks = start(tmp_path)
    engine.paths.config.write_text(LIST.replace("period:", "perid:"))
    clocks.at += MIN
    engine.step()
    rejected = requests.handle({"op": "status"})["status"]["truth"]["rejected"]
    assert rejected is not None
    assert rejected["at"] == "2026-11-27T21:01:00+01:00"
    assert str(engine.paths.config) in rejected["error"]
    engine.paths.config.write_text(LIST + "  - alexnew.example.net\n")
    clocks.at += MIN
    engine.step()
    assert requests.handle({"op": "status"})["status"]["truth"]["rejected"] is None
