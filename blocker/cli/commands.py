"""Every command of `blocker`, one record each: its name, its help, the function that runs
it and the words it takes. The parser, the quick reading of the daemon's commands, the
set of commands that only ask the daemon and the help are all made from this table.

Cheap to import, as `blocker status` imports it: no argparse here, a command's own
options are added by a function of its own, called only when argparse is built."""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`;
# see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from collections.abc import Callable


class Word:
    """The one optional word a command may take after its name (`blocker pause 10m`):
    simple enough for the quick reading to take it without argparse. `several`: it may
    be written as words in a row, read as one (`blocker pause 10 minutes`, unquoted)."""

    __slots__ = ("help", "metavar", "name", "several")

    def __init__(self, name: str, metavar: str, help: str, *, several: bool = False) -> None:
        self.name = name
        self.metavar = metavar
        self.help = help
        self.several = several


class Command:
    """One command. `handler` is "module:function", imported only when the command runs.
    `json`: it takes --json. `asks_daemon`: it only asks the daemon and prints the answer.
    `arguments` adds any other options to the command's parser; a command with such
    options is always read by argparse.

    A plain class, not a frozen dataclass: importing dataclasses (it loads inspect)
    would add 11 ms to the 26 to 32 ms `blocker status` takes."""

    __slots__ = ("arguments", "asks_daemon", "handler", "help", "json", "name", "word")

    def __init__(
        self,
        name: str,
        help: str,
        handler: str,
        *,
        json: bool = False,
        asks_daemon: bool = False,
        word: Word | None = None,
        arguments: Callable[[ArgumentParser], None] | None = None,
    ) -> None:
        self.name = name
        self.help = help
        self.handler = handler
        self.json = json
        self.asks_daemon = asks_daemon
        self.word = word
        self.arguments = arguments

    @property
    def read_quickly(self) -> bool:
        """Whether quick_parse reads it: a command the daemon answers, whose words are all
        in this record (--json and the one optional word)."""
        return self.asks_daemon and self.arguments is None


def _target(parser: ArgumentParser) -> None:
    parser.add_argument(
        "target",
        metavar="URL|PLATFORM:NAME|SITE",
        help="a pasted address, e.g. https://www.instagram.com/alex.example/,"
        " or instagram:alex.example, or a site with --site",
    )
    parser.add_argument(
        "--site",
        action="store_true",
        help="a whole site (every page on it), e.g. alexblog.example.com",
    )


def _period_options(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--start",
        metavar="DATE",
        help='the first day, e.g. 2026-12-03, or a day and time, "2026-12-03 18:00" '
        "(default for init: today)",
    )
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--days", metavar="N", help="how many days the period lasts, e.g. 60")
    length.add_argument(
        "--until", metavar="DATE", help="the last day of the period (it is included)"
    )
    parser.add_argument(
        "--hours",
        metavar="FROM-TO",
        help="block only these hours of every day, e.g. 18:00-02:00 (may run past midnight)",
    )


def _init(parser: ArgumentParser) -> None:
    _period_options(parser)
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing block list with a new, empty one",
    )


def _period(parser: ArgumentParser) -> None:
    _period_options(parser)
    parser.add_argument(
        "--all-day", action="store_true", help="block all day again (no daily hours)"
    )


def _daemon(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="the person who may control the daemon besides root (default: whoever ran sudo)",
    )


def _run(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--once", action="store_true", help="apply the block (or remove it) once and exit"
    )
    _daemon(parser)


def _service(parser: ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("install", "uninstall", "status"),
        help="install: start the daemon at boot and the tray at login; "
        "uninstall: remove both (after the cooldown while "
        "blocking); status: what is installed",
    )


def _stats(parser: ArgumentParser) -> None:
    parser.add_argument("--png", metavar="FILE", help="draw the progress picture into FILE")
    parser.add_argument("--export", metavar="FILE", help="write the urge log to FILE as CSV")


_LIST = "blocker.cli.list_commands"
_ASK = "blocker.cli.ask_commands"
_RUN = "blocker.cli.run_commands"
_PERIOD = "blocker.cli.period_commands"

# In the order `blocker --help` lists them.
COMMANDS = (
    Command(
        "init",
        "start your block list: the period (asked for, or --days/--until), nothing listed yet",
        f"{_PERIOD}:cmd_init",
        arguments=_init,
    ),
    Command(
        "check",
        "check the block list and say what is wrong, with the line (exit 2 if invalid)",
        f"{_LIST}:cmd_check",
    ),
    Command(
        "plan",
        "show what would be blocked right now, and when that changes next",
        f"{_LIST}:cmd_plan",
        json=True,
    ),
    Command(
        "status",
        "say whether the block is on, which day of the period it is, and until when",
        f"{_ASK}:cmd_status",
        json=True,
        asks_daemon=True,
    ),
    Command(
        "period",
        "show the no-stalking period, or change it (ending it earlier waits for the cooldown)",
        f"{_PERIOD}:cmd_period",
        arguments=_period,
    ),
    Command(
        "list",
        "list the profiles, threads and sites on the block list",
        f"{_LIST}:cmd_list",
        json=True,
    ),
    Command(
        "add",
        "add a profile (paste its address, or write platform:name) or, with --site, a site",
        f"{_LIST}:cmd_add",
        arguments=_target,
    ),
    Command(
        "remove",
        "take something off the block list (while the block is on, after the cooldown)",
        f"{_LIST}:cmd_remove",
        arguments=_target,
    ),
    Command(
        "pause",
        "ask for a pause: it starts after the cooldown, unless you cancel it meanwhile",
        f"{_ASK}:cmd_pause",
        asks_daemon=True,
        word=Word(
            "length",
            "LENGTH",
            "how long, e.g. 10m, 10 minutes, 1h30m or 90 (minutes); by default and at most "
            "the block list's max_length",
            several=True,
        ),
    ),
    Command(
        "cancel",
        "cancel a pause or anything else waiting for its cooldown (the block stays)",
        f"{_ASK}:cmd_cancel",
        asks_daemon=True,
        word=Word("id", "ID", "cancel only this request (as `blocker status` shows it)"),
    ),
    Command(
        "stop",
        "ask to stop blocking altogether: it happens after the cooldown",
        f"{_ASK}:cmd_stop",
        asks_daemon=True,
    ),
    Command(
        "start",
        "turn blocking back on after a stop, at once",
        f"{_ASK}:cmd_start",
        asks_daemon=True,
    ),
    Command(
        "reload",
        "make the daemon read the block list again",
        f"{_ASK}:cmd_reload",
        asks_daemon=True,
    ),
    Command(
        "daemon",
        "the background service that keeps the block in place (run as root)",
        f"{_RUN}:cmd_daemon",
        arguments=_daemon,
    ),
    Command(
        "run",
        "the same as daemon, in the foreground, for trying blocker out",
        f"{_RUN}:cmd_daemon",
        arguments=_run,
    ),
    Command(
        "service",
        "install or uninstall the daemon as a service that starts with the computer",
        f"{_RUN}:cmd_service",
        arguments=_service,
    ),
    Command(
        "stats",
        "how the period is going: days, urges resisted, pauses asked for and cancelled",
        f"{_ASK}:cmd_stats",
        json=True,
        asks_daemon=True,
        arguments=_stats,
    ),
    Command(
        "forget",
        "empty the urge log (while the block is on, after the cooldown)",
        f"{_ASK}:cmd_forget",
        asks_daemon=True,
    ),
    Command(
        "tray",
        "show the block in your system tray, with reminders when an urge comes",
        f"{_RUN}:cmd_tray",
    ),
    Command(
        "doctor",
        "say which layers of the block work on this computer, and what no blocker can close",
        f"{_RUN}:cmd_doctor",
        json=True,
    ),
)
BY_NAME = {command.name: command for command in COMMANDS}
