"""The commands a message suggests run in the sandbox in use."""

from __future__ import annotations

from blocker.core.commandhint import with_sandbox

HINT = "start it with `sudo blocker daemon` (or `sudo blocker service install`); `blocker`"


def test_every_suggested_command_gets_the_sandbox() -> None:
    assert with_sandbox(HINT, "/tmp/box") == (
        "start it with `blocker --sandbox /tmp/box daemon` "
        "(or `blocker --sandbox /tmp/box service install`); `blocker --sandbox /tmp/box`"
    )


def test_without_a_sandbox_the_words_stay_as_they_are() -> None:
    assert with_sandbox(HINT, None) == HINT
    assert with_sandbox(HINT, "") == HINT


def test_a_command_that_names_a_sandbox_already_is_left_alone() -> None:
    text = "try it with `blocker --sandbox DIR ...`; `blocker --sandbox /a cancel r1`"
    assert with_sandbox(text, "/tmp/box") == text
    assert with_sandbox(with_sandbox(HINT, "/tmp/box"), "/tmp/box") == with_sandbox(
        HINT, "/tmp/box"
    )


def test_only_blockers_own_commands_between_backticks_change() -> None:
    text = "blocker cancel, `blockers x`, `sudo rm x` and `max_length`"
    assert with_sandbox(text, "/tmp/box") == text


def test_a_folder_with_a_space_is_quoted_for_the_shell() -> None:
    assert (
        with_sandbox("`blocker status`", "/tmp/my box")
        == "`blocker --sandbox '/tmp/my box' status`"
    )
