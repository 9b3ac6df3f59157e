"""The CLI, run in-process against a sandbox, as a person would type it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.errors import ExitStatus
from blocker.hosts.hoststext import BEGIN
from blocker.system.paths import Paths
from tests.helpers import NOW, block_list, run_cli, sandbox_paths

PROFILES = "  - instagram: alex.example\n"
SITES = "  - alexblog.example.com\n"
AFTER_THE_PERIOD = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return sandbox_paths(tmp_path, block_list(profiles=PROFILES, sites=SITES))


def test_check_accepts_a_valid_list_and_says_what_it_holds(paths: Paths) -> None:
    result = run_cli(paths, "check")
    assert result.status == ExitStatus.OK
    assert "is valid: 1 profile or thread, 1 whole site" in result.stdout


def test_check_rejects_a_broken_list_with_one_line_and_exit_2(paths: Paths) -> None:
    paths.config.write_text(block_list(start="2026-13-01"))
    result = run_cli(paths, "check")
    assert result.status == ExitStatus.INVALID
    assert result.stderr.count("\n") == 1
    assert f"{paths.config}:2:10: period.start:" in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_json_holds_what_would_be_written_now(paths: Paths) -> None:
    result = run_cli(paths, "plan", "--json")
    plan = json.loads(result.stdout)
    assert plan["blocking"] is True
    assert "www.alexblog.example.com" in plan["domains"]
    assert "instagram.com/alex.example" in plan["url_prefixes"]
    assert plan["next_change"] == "2026-12-20T00:00:00+01:00"


def test_plan_after_the_period_writes_nothing(paths: Paths) -> None:
    plan = json.loads(run_cli(paths, "plan", "--json", now=AFTER_THE_PERIOD).stdout)
    assert (plan["blocking"], plan["domains"], plan["url_prefixes"]) == (False, [], [])
    assert plan["next_change"] is None


def test_status_tells_the_day_and_whether_the_hosts_file_holds_the_block(paths: Paths) -> None:
    status = json.loads(run_cli(paths, "status", "--json").stdout)
    assert status["blocking"] is True
    assert status["period"]["day"] == 8
    assert status["period"]["days"] == 30
    assert status["hosts_section"] == {"names": 0, "matches_plan": False}
    run_cli(paths, "run", "--once")
    status = json.loads(run_cli(paths, "status", "--json").stdout)
    planned = json.loads(run_cli(paths, "plan", "--json").stdout)["domains"]
    assert status["hosts_section"] == {"names": len(planned), "matches_plan": True}
    assert "Day 8 of 30 · blocking" in run_cli(paths, "status").stdout


def test_run_once_blocks_during_the_period_and_restores_the_file_after_it(paths: Paths) -> None:
    original = paths.hosts.read_bytes()
    assert run_cli(paths, "run", "--once").status == ExitStatus.OK
    assert BEGIN in paths.hosts.read_text()
    assert run_cli(paths, "run", "--once", now=AFTER_THE_PERIOD).status == ExitStatus.OK
    assert paths.hosts.read_bytes() == original
    assert not paths.hosts_backup.exists()


def test_add_keeps_the_file_layout_and_the_new_profile_is_planned(paths: Paths) -> None:
    before = paths.config.read_text()
    result = run_cli(paths, "add", "https://www.tiktok.com/@Alex.Example?lang=en")
    assert result.status == ExitStatus.OK, result.stderr
    assert "Added tiktok: alex.example" in result.stdout
    assert paths.config.read_text() == before.replace(
        PROFILES, PROFILES + "  - tiktok: alex.example\n"
    )
    plan = json.loads(run_cli(paths, "plan", "--json").stdout)
    assert "tiktok.com/@alex.example" in plan["url_prefixes"]


def test_add_a_shorthand_and_a_site(paths: Paths) -> None:
    assert run_cli(paths, "add", "x:alex_example").status == ExitStatus.OK
    assert run_cli(paths, "add", "--site", "https://alexphotos.example.org/").status == 0
    listed = json.loads(run_cli(paths, "list", "--json").stdout)
    assert [p["label"] for p in listed["profiles"]] == [
        "instagram: alex.example",
        "x: alex_example",
    ]
    assert [s["label"] for s in listed["sites"]] == [
        "alexblog.example.com",
        "alexphotos.example.org",
    ]
    assert "  - x: alex_example\n" in paths.config.read_text()


def test_adding_something_already_listed_changes_nothing(paths: Paths) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "https://instagram.com/ALEX.EXAMPLE")
    assert result.status == ExitStatus.OK
    assert "already on your block list" in result.stdout
    assert paths.config.read_bytes() == before


def test_adding_an_unknown_sites_profile_says_to_use_site(paths: Paths) -> None:
    result = run_cli(paths, "add", "https://alexphotos.example.org/about")
    assert result.status == ExitStatus.INVALID
    assert "blocker add --site" in result.stderr


def test_remove_is_refused_while_the_block_is_on(paths: Paths) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "remove", "instagram:alex.example")
    assert result.status == ExitStatus.REFUSED
    assert "the block is on" in result.stderr
    assert paths.config.read_bytes() == before


def test_remove_after_the_period_takes_the_entry_out(paths: Paths) -> None:
    result = run_cli(
        paths, "remove", "https://www.instagram.com/alex.example/", now=AFTER_THE_PERIOD
    )
    assert result.status == ExitStatus.OK, result.stderr
    assert "instagram" not in paths.config.read_text()


def test_remove_of_something_not_listed_says_so(paths: Paths) -> None:
    result = run_cli(paths, "remove", "tiktok:someone.else", now=AFTER_THE_PERIOD)
    assert result.status == ExitStatus.INVALID
    assert "is not on your block list" in result.stderr


def test_init_writes_a_list_and_never_overwrites_silently(tmp_path: Path) -> None:
    paths = Paths.sandbox(tmp_path)
    assert run_cli(paths, "init", "--days", "60").status == ExitStatus.OK
    assert run_cli(paths, "check").status == ExitStatus.OK
    assert run_cli(paths, "init", "--days", "60").status == ExitStatus.INVALID
    assert run_cli(paths, "init", "--days", "60", "--force").status == ExitStatus.OK


def test_sandbox_copies_the_real_hosts_file_and_the_example_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / "try"
    result = run_cli(Paths.system(), "--sandbox", str(folder), "run", "--once", now=NOW)
    assert result.status == ExitStatus.OK, result.stderr
    assert (folder / "blocklist.yaml").exists()
    copied = (folder / "hosts").read_text()
    assert copied.startswith(Path("/etc/hosts").read_text())
    assert BEGIN in copied


def test_a_missing_block_list_says_how_to_start_one(tmp_path: Path) -> None:
    result = run_cli(Paths.sandbox(tmp_path), "status")
    assert result.status == ExitStatus.INVALID
    assert "blocker init" in result.stderr


def test_run_turns_off_another_hosts_line_that_would_defeat_the_block_and_names_it(
    tmp_path: Path,
) -> None:
    paths = sandbox_paths(
        tmp_path, block_list(sites=SITES), b"127.0.0.1 localhost\n192.0.2.1 alexblog.example.com\n"
    )
    result = run_cli(paths, "run", "--once")
    assert f"{paths.hosts}:2 gave alexblog.example.com a real address" in result.stderr
    assert b"\n#blocker-off: 192.0.2.1 alexblog.example.com\n" in paths.hosts.read_bytes()


def test_a_block_list_in_a_folder_that_cannot_be_written_gives_one_line(tmp_path: Path) -> None:
    paths = sandbox_paths(tmp_path, block_list(sites=SITES))
    blocked_folder = tmp_path / "not-a-folder"
    blocked_folder.write_text("a file where a folder should be")
    moved = Paths(
        config=blocked_folder / "blocklist.yaml",
        hosts=paths.hosts,
        state_dir=paths.state_dir,
        socket=paths.socket,
    )
    result = run_cli(moved, "init", "--days", "60")
    assert result.status == ExitStatus.ERROR
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_doctor_lists_every_layer_and_the_gaps_in_plain_words(paths: Paths) -> None:
    result = run_cli(paths, "doctor", "--json")
    assert result.status == ExitStatus.OK
    report = json.loads(result.stdout)
    names = [layer["name"] for layer in report["layers"]]
    assert names[0] == "hosts file"
    assert {"window titles", "DNS cache flush"} <= set(names)
    # Every browser blocker knows is either listed as found or named as not found.
    found = {name.split(", installed for you only")[0] for name in names}
    known = {b.name for b in shipped_browsers()}
    assert known <= found | set(report["browsers_not_found"])
    assert any("alex.example2" in gap for gap in report["gaps"])
    assert "What blocks on this computer:" in run_cli(paths, "doctor").stdout


class RecordingNotifier:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def show(self, title: str, body: str, *, urgent: bool = False) -> bool:
        self.shown.append((title, body))
        return True


def test_the_trays_first_run_starts_a_private_block_list_and_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from blocker.cli import run_commands as cli_control
    from blocker.desktop import session as desktop

    opened: list[Path] = []

    def open_file(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr(desktop, "open_file", open_file)
    target = tmp_path / "mine" / "blocklist.yaml"
    notifier = RecordingNotifier()
    context = SimpleNamespace(paths=SimpleNamespace(config=target))
    cli_control._first_run(context, notifier)  # type: ignore[arg-type]
    assert target.stat().st_mode & 0o777 == 0o600
    assert opened == [target]
    assert notifier.shown[0][0] == "Welcome to blocker"


def test_plan_shows_the_back_doors_apart_and_they_can_be_switched_off(tmp_path: Path) -> None:
    paths = sandbox_paths(tmp_path, block_list(profiles=PROFILES))
    plan = json.loads(run_cli(paths, "plan", "--json").stdout)
    assert "picuki.com" in plan["backdoor_domains"]
    assert "picuki.com" in plan["domains"]
    assert "Back doors: sites that show those profiles" in run_cli(paths, "plan").stdout
    paths.config.write_text(block_list(profiles=PROFILES, extra="backdoors: false\n"))
    assert json.loads(run_cli(paths, "plan", "--json").stdout)["domains"] == []
