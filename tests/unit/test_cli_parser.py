"""The command line: the quick reading of the daemon's commands agrees with argparse, and
the daemon's socket is found by the same rule without the rest of the paths."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from blocker.cli.commands import COMMANDS
from blocker.cli.parser import build_parser, parse_args, quick_parse
from blocker.system import sockets
from blocker.system.paths import Paths

WORDS = [
    "--sandbox", "/tmp/try", "--sandbox=/tmp/x", "--sand", "--config", "--config=",
    "--config=a=b", "--hosts-file", "--state-dir", "-v", "--verbose", "-vv", "-h", "--",
    "-", "", "status", "--json", "--js", "pause", "10m", "-5m", "cancel", "abc", "stop",
    "start", "reload", "forget", "plan", "stats", "add", "x.example",
]  # fmt: skip


def argparse_reads(argv: list[str]) -> dict[str, object] | None:
    """What argparse makes of `argv`, or None where it refuses it."""
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(parse_args(argv))
    except SystemExit:
        return None


GLOBALS = [
    ("--sandbox", "/tmp/try"), ("--config=c.yaml",), ("--state-dir", "s"), ("-v",),
    ("--sandbox", "status"), ("--sand", "x"), ("--",), ("--config",),
]  # fmt: skip
NAMES = [command.name for command in COMMANDS]
AFTER = [
    "--json", "10m", "abc", "", "-5m", "-", "--js", "-v", "--sandbox", "/tmp/after",
    "--sandbox=/tmp/eq", "--config", "--state-dir=s2", "--hosts-file", "h", "--verbose",
    "minutes", "1", "hour",
]  # fmt: skip
# Lines shaped like real ones (options, a command, what follows it) and any mix of words.
command_lines = st.one_of(
    st.tuples(
        st.lists(st.sampled_from(GLOBALS), max_size=4),
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(AFTER), max_size=5),
    ).map(lambda parts: [*(w for words in parts[0] for w in words), parts[1], *parts[2]]),
    st.lists(st.sampled_from(WORDS), max_size=6),
)


@settings(max_examples=1500)
@given(command_lines)
@example(["--sandbox", "status", "status", "--json", "--json"])
@example(["--config=", "pause", ""])
@example(["-v", "cancel", "abc"])
@example(["status", "--sandbox", "/tmp/after", "--json"])
@example(["--sandbox", "/tmp/try", "pause", "--sandbox=/tmp/eq", "10m", "-v"])
@example(["pause", "--config", "10m"])
@example([])
@example(["pause", "10", "minutes", "--json"])
@example(["pause", "10", "--json", "minutes"])
@example(["pause", "-v", "1", "hour", "--sandbox", "/tmp/after"])
@example(["pause", "1", "-v", "hour"])
@example(["cancel", "abc", "abc"])
@example(["--sandbox", "/tmp/try"])
def test_the_quick_reading_agrees_with_argparse_or_leaves_the_line_to_it(argv: list[str]) -> None:
    quick = quick_parse(argv)
    event("read quickly" if quick is not None else "left to argparse")
    if quick is not None:
        assert vars(quick) == argparse_reads(argv)


def test_the_daemons_commands_are_read_quickly() -> None:
    for argv in (
        ["status", "--json"],
        ["--sandbox", "/tmp/x", "pause", "5m"],
        ["cancel"],
        ["status", "--sandbox", "/tmp/x", "--json"],
        [],
    ):
        assert quick_parse(argv) is not None, argv


def test_an_option_after_the_command_means_what_it_means_before_it() -> None:
    for read in (quick_parse, parse_args):
        after = read(["pause", "5m", "--sandbox", "/tmp/x", "-v"])
        assert after is not None
        assert (after.sandbox, after.verbose, after.length) == ("/tmp/x", True, "5m")
        both = read(["--sandbox", "/tmp/before", "status", "--state-dir=/tmp/s"])
        assert both is not None
        assert (both.sandbox, both.state_dir) == ("/tmp/before", "/tmp/s")
        kept = read(["--sandbox", "/tmp/before", "--config", "c.yaml", "status"])
        assert kept is not None
        assert (kept.sandbox, kept.config) == ("/tmp/before", "c.yaml")


def test_a_line_without_a_command_is_the_status() -> None:
    for argv in ([], ["--sandbox", "/tmp/x"], ["-v"]):
        for read in (quick_parse, parse_args):
            args = read(argv)
            assert args is not None
            assert (args.command, args.json) == ("status", False), argv


@given(st.sampled_from([None, "/tmp/box", "~/box"]), st.sampled_from([None, "/var/tmp/state"]))
def test_the_socket_is_where_the_paths_put_it(sandbox: str | None, state_dir: str | None) -> None:
    system = Paths.system()
    base = Paths.sandbox(Path(sandbox).expanduser()) if sandbox else system
    paths = base.with_overrides(None, None, Path(state_dir) if state_dir else None)
    assert sockets.socket_path(sandbox, state_dir, str(system.socket)) == str(paths.socket)


def test_every_command_in_the_table_is_on_the_line_and_has_a_handler_that_exists() -> None:
    import argparse
    import importlib

    subparsers = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    assert list(subparsers.choices) == NAMES
    for command in COMMANDS:
        module, function = command.handler.split(":")
        assert callable(getattr(importlib.import_module(module), function)), command.name


def test_only_the_daemons_commands_without_options_of_their_own_are_read_quickly() -> None:
    quick = {command.name for command in COMMANDS if quick_parse([command.name]) is not None}
    assert quick == {"status", "pause", "cancel", "stop", "start", "reload", "forget"}
