"""What blocker says to the words a person types, through the CLI in this process against
a daemon on a thread: a mistake in what was typed exits 2, a refusal to loosen exits 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from blocker.ipc.answers import Refusal
from blocker.system.paths import Paths
from tests.daemon_thread import Running
from tests.helpers import run_cli

MISTAKES = [
    (("add", "myspace:bob"), "'myspace' is not a platform blocker knows"),
    (("add", "notaurl"), "which site is notaurl on?"),
    (("add", "instagram:"), "'instagram' is not a full site name"),
    (("add", "--site", "not a site"), "'not a site' contains a space"),
    (("pause", "abc"), "found 'abc'"),
    (("pause", "0m"), "a pause must last at least a minute"),
    (("remove", "tiktok:never.listed"), "tiktok: never.listed is not on your block list"),
    (("cancel", "r9"), "there is no waiting request 'r9'"),
]


@pytest.mark.parametrize(("typed", "said"), MISTAKES, ids=[" ".join(t) for t, _ in MISTAKES])
def test_a_mistake_in_what_was_typed_exits_2_and_changes_nothing(
    running: Running, typed: tuple[str, ...], said: str
) -> None:
    listed = running.paths.config.read_bytes()
    result = run_cli(running.paths, *typed)
    assert (result.status, result.stdout) == (ExitStatus.INVALID, "")
    assert result.stderr.startswith("blocker: ")
    assert said in result.stderr
    assert result.stderr.count("\n") == 1
    assert running.paths.config.read_bytes() == listed
    assert running.status()["pause"]["pending"] == []


def test_the_same_mistakes_exit_2_without_a_daemon_where_they_need_none(paths: Paths) -> None:
    for typed, said in MISTAKES:
        if typed[0] in ("add", "remove"):
            result = run_cli(paths, *typed)
            assert result.status == ExitStatus.INVALID, typed
            assert said in result.stderr


def test_refusals_to_loosen_still_exit_3(running: Running) -> None:
    for typed in ("2h", "1 hour"):
        too_long = run_cli(running.paths, "pause", typed)
        assert (too_long.status, too_long.stderr) == (
            ExitStatus.REFUSED,
            "blocker: a pause can last at most 10m; "
            f"`blocker --sandbox {running.paths.sandbox_dir} pause 10m` asks for that\n",
        )
    assert run_cli(running.paths, "pause", "5m").status == ExitStatus.OK
    again = run_cli(running.paths, "pause", "5m")
    assert again.status == ExitStatus.REFUSED
    assert "a pause is already waiting for its cooldown (r1)" in again.stderr


def test_a_refusal_is_sent_as_before_and_a_mistake_says_so() -> None:
    assert Refusal("no").to_json() == {"ok": False, "error": "no"}
    mistake = Refusal("typo", mistake=True).to_json()
    assert mistake == {"ok": False, "error": "typo", "mistake": True}


@pytest.mark.parametrize(
    ("typed", "length", "ends"),
    [
        ("5min", "5 minutes", "13:20"),
        ("10", "10 minutes", "13:25"),
        ("1m30s", "1 minute 30 seconds", "13:16"),
        ("10 minutes", "10 minutes", "13:25"),
        ("2 min and 30 sec", "2 minutes 30 seconds", "13:17"),
    ],
)
def test_a_pause_length_is_understood_as_people_type_it_and_named_back(
    running: Running, typed: str, length: str, ends: str
) -> None:
    result = run_cli(running.paths, "pause", typed)
    assert (result.status, result.stderr) == (ExitStatus.OK, "")
    assert result.stdout == (
        f"Your pause of {length} starts at 13:15 (in 15 min) and ends at {ends}. Most urges "
        "pass before it starts; if this one does, `blocker cancel r1` keeps the block on.\n"
    )


def test_a_pause_length_may_be_typed_as_words_without_quotes(running: Running) -> None:
    result = run_cli(running.paths, "pause", "1", "minute", "30", "seconds")
    assert (result.status, result.stderr) == (ExitStatus.OK, "")
    assert result.stdout.startswith("Your pause of 1 minute 30 seconds starts at 13:15 ")


def test_a_pause_length_not_understood_lists_the_forms_that_work_and_the_limit(
    running: Running,
) -> None:
    result = run_cli(running.paths, "pause", "a little while")
    assert result.status == ExitStatus.INVALID
    assert result.stderr == (
        "blocker: write a pause's length like 10m, 10 minutes, 1 hour, 1h30m or 90 "
        "(minutes), found 'a little while'; a pause lasts at most 10m\n"
    )
    nothing = run_cli(running.paths, "pause", "0m")
    assert (nothing.status, nothing.stderr) == (
        ExitStatus.INVALID,
        "blocker: a pause must last at least a minute\n",
    )


def test_a_relative_sandbox_is_made_absolute_before_anything_is_written_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(Paths.system(), "--sandbox", "try", "service", "install")
    assert result.status == ExitStatus.OK, result.stderr
    unit = next((tmp_path / "try").rglob("blocker.service")).read_text()
    assert f"--sandbox {tmp_path / 'try'} " in unit
