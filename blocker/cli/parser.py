"""The command line read two ways, both made from the table in commands.py: argparse, with
the help written for a person, not an engineer, and a quick reader for the daemon's
commands."""

from __future__ import annotations

from types import SimpleNamespace

from blocker.cli.commands import BY_NAME, COMMANDS

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`;
# see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

DESCRIPTION = """\
blocker keeps an ex-partner's profiles and sites out of reach for the no-stalking period
you choose, and puts everything back when the period ends.

Your block list is a YAML file (start one with `blocker init`). Changing the computer
needs root: run `sudo blocker run`, or try everything safely with --sandbox DIR."""

EPILOG = """\
exit codes: 0 done; 1 the computer refused something (a file could not be read or written);
2 the block list or the command is wrong, a mistyped length or address say (nothing was
changed); 3 refused because it would loosen a running block; 4 needs root (or --sandbox)."""

# The options a command line may give before the command's name or after it, with the
# same meaning in both places, as (option, metavar, help).
_GLOBAL_OPTIONS = (
    ("--config", "PATH", "the block list to use (default /etc/blocker/blocklist.yaml)"),
    ("--hosts-file", "PATH", "the hosts file to manage (default /etc/hosts)"),
    ("--state-dir", "PATH", "where blocker keeps its own files (default /var/lib/blocker)"),
    (
        "--sandbox",
        "DIR",
        "try blocker without touching the system: every file lives in DIR, "
        "starting from a copy of the real hosts file and the example list",
    ),
)
_VERBOSE = ("-v", "--verbose")
_VERBOSE_HELP = "say more about what happens"
# Each option's attribute, named as argparse names it: --hosts-file holds hosts_file.
_GLOBAL_DESTS = {option: option[2:].replace("-", "_") for option, _, _ in _GLOBAL_OPTIONS}
# What a command line without a command does: what a person most wants to know.
DEFAULT_COMMAND = "status"


def _take_global(words: list[str], found: dict[str, str | bool | None]) -> bool:
    """Take the global option at the head of `words` into `found`; False where the head
    is something else, or an option argparse would read otherwise (an abbreviation, a
    missing value)."""
    name, has_value, value = words[0].partition("=")
    if name in _VERBOSE and not has_value:
        del words[0]
        found["verbose"] = True
        return True
    if name not in _GLOBAL_DESTS:
        return False
    if not has_value:
        if len(words) < 2 or words[1].startswith("-"):
            return False
        value = words[1]
        del words[1]
    del words[0]
    found[_GLOBAL_DESTS[name]] = value
    return True


def quick_parse(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain command the daemon answers (`blocker status --json`), read
    without argparse: importing and building it adds 8.5 ms to the 26 to 32 ms such a
    command takes (measured: the benchmark's cli_start_ratio goes from 2.2 to 2.6-3.0,
    past its target of 2.5). None for anything else (help, a mistake, every other
    command): argparse reads those, and says what is wrong. A test checks that the two
    always agree."""
    found: dict[str, str | bool | None] = dict.fromkeys(_GLOBAL_DESTS.values())
    found["verbose"] = False
    words = list(argv)
    while words and words[0].startswith("-"):
        if not _take_global(words, found):
            return None
    command = BY_NAME.get(words.pop(0) if words else DEFAULT_COMMAND)
    if command is None or not command.read_quickly:
        return None
    options: dict[str, str | bool | None] = {"json": False} if command.json else {}
    word = command.word.name if command.word else None
    several = bool(command.word and command.word.several)
    said: list[str] = []  # the word, or the words in a row of a word that may be several
    ended = False  # an option came after them: argparse takes no more
    while words:
        given = words[0]
        if given == "--json" and command.json:
            options["json"] = True
            ended = bool(said)
        elif word and not given.startswith("-") and not ended and (several or not said):
            said.append(given)
        elif _take_global(words, found):
            ended = bool(said)
            continue
        else:
            return None
        del words[0]
    if word:
        options[word] = _joined(said) if several else (said[0] if said else None)
    return SimpleNamespace(command=command.name, **found, **options)


def _joined(words: list[str]) -> str | None:
    """A word written as several (`10 minutes`), as one; None for none at all."""
    return " ".join(words) or None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line as argparse reads it; a line without a command is `status`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # Read again with the command named, so that it carries its own options' defaults.
        args = parser.parse_args([*argv, DEFAULT_COMMAND])
    word = BY_NAME[args.command].word
    if word and word.several:
        setattr(args, word.name, _joined(getattr(args, word.name)))
    return args


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="blocker",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_global_options(parser, default=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        words = subparsers.add_parser(command.name, help=command.help, description=command.help)
        if command.json:
            words.add_argument("--json", action="store_true", help="print JSON for programs")
        if command.word:
            words.add_argument(
                command.word.name,
                nargs="*" if command.word.several else "?",
                metavar=command.word.metavar,
                help=command.word.help,
            )
        if command.arguments:
            command.arguments(words)
        # After the command too (`blocker status --sandbox DIR`). Not set unless given
        # there, so that one given before the command keeps its value.
        _add_global_options(words, default=argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    for option, metavar, help_text in _GLOBAL_OPTIONS:
        parser.add_argument(option, metavar=metavar, help=help_text, default=default)
    verbose_default = False if default is None else default
    parser.add_argument(*_VERBOSE, action="store_true", help=_VERBOSE_HELP, default=verbose_default)
