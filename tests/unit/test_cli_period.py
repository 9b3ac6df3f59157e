"""`blocker init` and `blocker period`, run in-process against a sandbox without a daemon."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from blocker.system.paths import Paths
from tests.helpers import block_list, config_from, run_cli, sandbox_paths

TODAY = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # 11:00 in Berlin, the tests' zone


def test_init_without_a_length_and_no_terminal_names_the_options_in_one_line(
    tmp_path: Path,
) -> None:
    result = run_cli(Paths.sandbox(tmp_path), "init", now=TODAY)
    assert result.status == ExitStatus.INVALID
    assert result.stderr.count("\n") == 1
    assert "--days 60" in result.stderr
    assert "--until" in result.stderr
    assert not (tmp_path / "blocklist.yaml").exists()


def test_init_writes_the_period_asked_for_privately_and_says_it_in_words(tmp_path: Path) -> None:
    paths = Paths.sandbox(tmp_path)
    result = run_cli(paths, "init", "--until", "2027-01-31", "--hours", "18:00-02:00", now=TODAY)
    assert result.status == ExitStatus.OK, result.stderr
    assert (
        "starts today, 3 Dec 2026, and lasts until the end of 31 Jan 2027 (60 days)."
        in result.stdout
    )
    assert "from 18:00 to 02:00 every day" in result.stdout
    assert "`blocker add ADDRESS`" in result.stdout
    assert stat.S_IMODE(paths.config.stat().st_mode) == 0o600
    assert config_from(paths.config.read_text()).targets == ()
    assert run_cli(paths, "check", now=TODAY).status == ExitStatus.OK


def test_a_fresh_sandbox_starts_its_example_today_and_init_replaces_it_saying_so(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "try"
    status = run_cli(Paths.system(), "--sandbox", str(folder), "status", now=TODAY)
    assert status.stdout.startswith("Day 1 of 60 · blocking")
    result = run_cli(Paths.system(), "--sandbox", str(folder), "init", "--days", "30", now=TODAY)
    assert result.status == ExitStatus.OK, result.stderr
    assert "example block list is replaced" in result.stdout
    config = folder / "blocklist.yaml"
    config.write_text(config.read_text() + "# my own note\n")
    again = run_cli(Paths.system(), "--sandbox", str(folder), "init", "--days", "9", now=TODAY)
    assert again.status == ExitStatus.INVALID
    assert "--force" in again.stderr


def test_an_empty_list_blocks_nothing_and_status_and_list_say_how_to_add(tmp_path: Path) -> None:
    paths = Paths.sandbox(tmp_path)
    paths.hosts.write_bytes(b"127.0.0.1 localhost\n")
    run_cli(paths, "init", "--days", "60", now=TODAY)
    for command in ("status", "list"):
        said = run_cli(paths, command, now=TODAY).stdout
        assert "Nothing is on your block list yet" in said
        assert "`blocker add ADDRESS`" in said
    assert run_cli(paths, "run", "--once", now=TODAY).status == ExitStatus.OK
    assert run_cli(paths, "plan", "--json", now=TODAY).stdout.count('"domains": []') == 1


def test_interactive_init_asks_in_plain_words_and_asks_again_after_a_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["", "sixty", "0", "60", "18:00", "18:00-02:00"])
    asked: list[str] = []

    def typed(question: str) -> str:
        asked.append(question)
        return next(answers)

    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", typed)
    result = run_cli(Paths.sandbox(tmp_path), "init", now=TODAY)
    assert result.status == ExitStatus.OK, result.stderr
    assert asked[0] == "When does your no-stalking period start? [today, 2026-12-03] "
    assert len(asked) == 6  # the length asked three times, the hours twice
    assert "  Write a number of days, like 60, or the last day, like 2027-01-31; found 'sixty'" in (
        result.stdout
    )
    assert "\n  Expected a whole number of days from 1 to 3660, found '0'" in result.stdout
    assert "\n  Write the hours like 18:00-02:00" in result.stdout
    assert "lasts until the end of 31 Jan 2027 (60 days)" in result.stdout


def test_period_shows_the_day_and_changes_the_file_without_a_daemon(tmp_path: Path) -> None:
    paths = sandbox_paths(tmp_path, block_list(start="2026-12-01", length="days: 30"))
    shown = run_cli(paths, "period", now=TODAY)
    assert "started on 1 Dec 2026, and lasts until the end of 30 Dec 2026 (30 days)" in shown.stdout
    assert "Today is day 3 of 30." in shown.stdout
    longer = run_cli(paths, "period", "--days", "90", now=TODAY)
    assert longer.stdout.startswith("Your period now lasts until the end of 28 Feb 2027 (90 days).")
    assert "The daemon is not running: it takes this in when it starts" in longer.stdout
    assert "  days: 90\n" in paths.config.read_text()
    wrong = run_cli(paths, "period", "--hours", "late", now=TODAY)
    assert (wrong.status, wrong.stderr.count("\n")) == (ExitStatus.INVALID, 1)
