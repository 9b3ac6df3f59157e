"""The commands the daemon answers (status, pause, cancel, stop, start, reload, stats,
forget, and add, remove and list, which go through it when it runs), typed as a person
would, against a daemon running in this process: what they print is what the daemon did,
in its own clock's words."""

from __future__ import annotations

import csv
import json
import stat

from blocker.errors import ExitStatus
from tests.daemon_thread import Running
from tests.helpers import run_cli


def test_status_says_the_day_and_that_the_hosts_file_holds_the_block(running: Running) -> None:
    result = run_cli(running.paths, "status")
    assert result.status == ExitStatus.OK
    assert result.stdout.startswith("Day 8 of 30 · blocking until 20 Dec (in 22 days).\n")
    assert "Hosts file: as it should be now" in result.stdout
    assert "Daemon: not running" not in result.stdout


def test_a_pause_names_its_start_after_the_cooldown_and_how_to_cancel_it(
    running: Running,
) -> None:
    result = run_cli(running.paths, "pause", "5m")
    assert result.status == ExitStatus.OK, result.stderr
    assert result.stdout.startswith(
        "Your pause of 5 minutes starts at 13:15 (in 15 min) and ends at 13:20. "
    )
    assert "`blocker cancel r1` keeps the block on" in result.stdout
    assert "Waiting: pause for 5m: starts at 13:15" in run_cli(running.paths, "status").stdout


def test_a_pause_longer_than_the_list_allows_is_refused_with_exit_3(running: Running) -> None:
    result = run_cli(running.paths, "pause", "2h")
    assert result.status == ExitStatus.REFUSED
    assert (
        result.stderr == "blocker: a pause can last at most 10m; "
        f"`blocker --sandbox {running.paths.sandbox_dir} pause 10m` asks for that\n"
    )
    assert running.status()["pause"]["pending"] == []


def test_cancel_says_the_block_stays_and_then_that_nothing_waits(running: Running) -> None:
    run_cli(running.paths, "pause")
    assert run_cli(running.paths, "cancel").stdout == "Cancelled. The block stays on. Well done.\n"
    assert running.status()["pause"]["state"] == "none"
    again = run_cli(running.paths, "cancel").stdout
    assert again == "Nothing was waiting; the block stays as it is.\n"


def test_stop_waits_for_the_cooldown_and_start_takes_it_back(running: Running) -> None:
    stop = run_cli(running.paths, "stop").stdout
    assert stop == (
        "Blocking stops at 13:15 (in 15 min), after the cooldown, unless you "
        "`blocker cancel r1` before.\n"
    )
    assert run_cli(running.paths, "start").stdout == "Blocking is on again.\n"
    assert running.status()["pause"]["pending"] == []


def test_forgetting_the_urge_log_waits_and_cancelling_keeps_it(running: Running) -> None:
    forget = run_cli(running.paths, "forget").stdout
    assert forget.startswith("The urge log is emptied at 13:15 (in 15 min), after the cooldown")
    cancel = run_cli(running.paths, "cancel").stdout
    assert cancel == "Cancelled: the urge log stays as it is.\n"


def test_reload_makes_the_daemon_read_the_list_now(running: Running) -> None:
    running.paths.config.write_text(running.paths.config.read_text() + "  - alexnews.example.net\n")
    assert run_cli(running.paths, "reload").stdout == "The daemon read the block list again.\n"
    assert "alexnews.example.net" in running.blocked()


def test_stats_counts_the_pauses_and_exports_the_log_privately(running: Running) -> None:
    run_cli(running.paths, "pause")
    run_cli(running.paths, "cancel")
    text = run_cli(running.paths, "stats").stdout
    assert "Pauses: asked for 1, cancelled 1, used 0." in text
    picture, table = running.paths.config.parent / "p.png", running.paths.config.parent / "l.csv"
    result = run_cli(running.paths, "stats", "--png", str(picture), "--export", str(table))
    assert result.status == ExitStatus.OK
    assert picture.read_bytes().startswith(b"\x89PNG")
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == [
        "at", "kind", "target", "layer", "title", "url", "platform", "site", "error", "message"
    ]  # fmt: skip
    asked = next(row for row in rows[1:] if row[1] == "asked")
    assert asked[:3] == ["2026-11-27 13:00:00", "asked", "r1"]  # the local time, in Berlin
    assert {"asked", "cancelled"} <= {row[1] for row in rows[1:]}
    assert stat.S_IMODE(table.stat().st_mode) == 0o600  # it names the ex's profiles
    assert f"Wrote {len(rows) - 1} rows to {table}." in result.stdout


def test_without_a_daemon_stats_reads_the_log_itself_and_tells_the_same_story(
    running: Running,
) -> None:
    run_cli(running.paths, "pause")
    run_cli(running.paths, "cancel")
    told = json.loads(run_cli(running.paths, "stats", "--json").stdout)
    running.stop()
    log = running.paths.state_dir / "urges.sqlite"
    before = log.read_bytes()
    alone = run_cli(running.paths, "stats", "--json")
    assert alone.status == ExitStatus.OK
    assert alone.stderr == (
        "The daemon is not running, so blocker read the urge log itself "
        "(`sudo blocker daemon` starts it).\n"
    )
    read = json.loads(alone.stdout)
    assert (read.pop("daemon"), told.pop("daemon")) == (False, True)
    assert read.pop("truth")["period"] == told.pop("truth")["period"]
    assert read == told
    text = run_cli(running.paths, "stats").stdout.splitlines()
    assert text[0].startswith("The daemon is not running, so blocker read the urge log itself")
    assert (
        text[1] == "Day 8 of 30 · blocking until 20 Dec (in 22 days). Longest run without "
        "a pause: 8 days."
    )
    assert text[2] == "Urges resisted: 0. Each day since the period began: ▁▁▁▁▁▁▁▁"
    assert log.read_bytes() == before


def test_without_a_daemon_status_reads_the_files_and_pause_says_how_to_start_one(
    running: Running,
) -> None:
    running.stop()
    status = run_cli(running.paths, "status")
    assert status.status == ExitStatus.OK
    assert "Daemon: not running; start it with `sudo blocker daemon`" in status.stdout
    pause = run_cli(running.paths, "pause")
    assert pause.status == ExitStatus.ERROR
    assert pause.stderr.startswith("blocker: the blocker daemon is not running;")


def test_adding_through_the_daemon_blocks_the_site_at_once(running: Running) -> None:
    result = run_cli(running.paths, "add", "--site", "alexnews.example.net")
    assert result.stdout.startswith("Added alexnews.example.net. Blocked while the period is on:")
    assert "www.alexnews.example.net" in running.blocked()


def test_removing_through_the_daemon_waits_and_the_list_says_when_it_comes_off(
    running: Running,
) -> None:
    removed = run_cli(running.paths, "remove", "--site", "alexblog.example.com").stdout
    assert removed == (
        "alexblog.example.com comes off the block list at 13:15 (in 15 min), after the "
        "cooldown; until then it stays on your list. Changed your mind? `blocker cancel r1`\n"
    )
    assert "www.alexblog.example.com" in running.blocked()
    listed = run_cli(running.paths, "list").stdout
    assert (
        "  alexblog.example.com · comes off at 13:15 (in 15 min) unless cancelled "
        "(`blocker cancel r1`)\n"
    ) in listed
