"""What blocker says to the words a person types, through the CLI in this process against
a daemon on a thread: a mistake in what was typed exits 2, a refusal to loosen exits 3."""

from __future__ import annotations

import pytest

from blocker.errors import ExitStatus
from blocker.ipc.answers import Refusal
from blocker.system.paths import Paths
from tests.daemon_thread import Running
from tests.helpers import run_cli

MISTAKES = [
    (("add", "myspace:bob"), "'myspace' is not a full site name"),
    (("add", "notaurl"), "'notaurl' is not a full site name"),
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
    too_long = run_cli(running.paths, "pause", "2h")
    assert (too_long.status, too_long.stderr) == (
        ExitStatus.REFUSED,
        "blocker: a pause can last at most 10m\n",
    )
    assert run_cli(running.paths, "pause", "5m").status == ExitStatus.OK
    again = run_cli(running.paths, "pause", "5m")
    assert again.status == ExitStatus.REFUSED
    assert "a pause is already waiting for its cooldown (r1)" in again.stderr


def test_a_refusal_is_sent_as_before_and_a_mistake_says_so() -> None:
    assert Refusal("no").to_json() == {"ok": False, "error": "no"}
    mistake = Refusal("typo", mistake=True).to_json()
    assert mistake == {"ok": False, "error": "typo", "mistake": True}
