"""The command line's words and their help, written for a person, not an engineer."""

from __future__ import annotations

from types import SimpleNamespace

# Not `from typing import TYPE_CHECKING`: see client.py.
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
2 the block list or the command is wrong (nothing was changed); 3 refused because it would
loosen a running block; 4 needs root (or --sandbox)."""

COMMANDS = {
    "init": "write a commented example block list to start from",
    "check": "check the block list and say what is wrong, with the line (exit 2 if invalid)",
    "plan": "show what would be blocked right now, and when that changes next",
    "status": "say whether the block is on, which day of the period it is, and until when",
    "list": "list the profiles, threads and sites on the block list",
    "add": "add a profile (paste its address, or write platform:name) or, with --site, a site",
    "remove": "take something off the block list (while the block is on, after the cooldown)",
    "pause": "ask for a pause: it starts after the cooldown, unless you cancel it meanwhile",
    "cancel": "cancel a pause or anything else waiting for its cooldown (the block stays)",
    "stop": "ask to stop blocking altogether: it happens after the cooldown",
    "start": "turn blocking back on after a stop, at once",
    "reload": "make the daemon read the block list again",
    "daemon": "the background service that keeps the block in place (run as root)",
    "run": "the same as daemon, in the foreground, for trying blocker out",
    "service": "install or uninstall the daemon as a service that starts with the computer",
    "stats": "how the period is going: days, urges resisted, pauses asked for and cancelled",
    "forget": "empty the urge log (while the block is on, after the cooldown)",
    "tray": "show the block in your system tray, with reminders when an urge comes",
    "doctor": "say which layers of the block work on this computer, and what no blocker can close",
}


# The commands whose report can be printed as JSON for programs.
_TAKE_JSON = frozenset({"plan", "status", "list", "doctor", "stats"})
# Commands the daemon answers, read by quick_parse, with the name of the one optional word
# each takes after its name (None: no word).
_QUICK_COMMANDS: dict[str, str | None] = {
    "status": None,
    "pause": "length",
    "cancel": "id",
    "stop": None,
    "start": None,
    "reload": None,
    "forget": None,
}
_GLOBAL_OPTIONS = {
    "--config": "config",
    "--hosts-file": "hosts_file",
    "--state-dir": "state_dir",
    "--sandbox": "sandbox",
}


def quick_parse(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain command the daemon answers (`blocker status --json`), read
    without argparse: importing and building it is a third of what such a command costs
    to start. None for anything else (help, a mistake, every other command): argparse
    reads those, and says what is wrong. A test checks that the two always agree."""
    found: dict[str, str | bool | None] = dict.fromkeys(_GLOBAL_OPTIONS.values())
    found["verbose"] = False
    words = list(argv)
    while words and words[0].startswith("-"):
        name, has_value, value = words.pop(0).partition("=")
        if name in ("-v", "--verbose") and not has_value:
            found["verbose"] = True
            continue
        if name not in _GLOBAL_OPTIONS:
            return None
        if not has_value:
            if not words or words[0].startswith("-"):
                return None
            value = words.pop(0)
        found[_GLOBAL_OPTIONS[name]] = value
    if not words or words[0] not in _QUICK_COMMANDS:
        return None
    command = words.pop(0)
    takes_json, word_name = command in _TAKE_JSON, _QUICK_COMMANDS[command]
    options: dict[str, str | bool | None] = {"json": False} if takes_json else {}
    if word_name:
        options[word_name] = None
    for word in words:
        if word == "--json" and takes_json:
            options["json"] = True
        elif word_name and options[word_name] is None and not word.startswith("-"):
            options[word_name] = word
        else:
            return None
    return SimpleNamespace(command=command, **found, **options)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="blocker",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="the block list to use (default /etc/blocker/blocklist.yaml)",
    )
    parser.add_argument(
        "--hosts-file",
        metavar="PATH",
        help="the hosts file to manage (default /etc/hosts)",
    )
    parser.add_argument(
        "--state-dir",
        metavar="PATH",
        help="where blocker keeps its own files (default /var/lib/blocker)",
    )
    parser.add_argument(
        "--sandbox",
        metavar="DIR",
        help="try blocker without touching the system: every file lives in DIR, "
        "starting from a copy of the real hosts file and the example list",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about what happens")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        if name in _TAKE_JSON:
            command.add_argument("--json", action="store_true", help="print JSON for programs")
        if name in ("add", "remove"):
            command.add_argument(
                "target",
                metavar="URL|PLATFORM:NAME|SITE",
                help="a pasted address, e.g. https://www.instagram.com/alex.example/,"
                " or instagram:alex.example, or a site with --site",
            )
            command.add_argument(
                "--site",
                action="store_true",
                help="a whole site (every page on it), e.g. alexblog.example.com",
            )
        if name == "init":
            command.add_argument(
                "--force",
                action="store_true",
                help="replace an existing block list with the example",
            )
        if name == "run":
            command.add_argument(
                "--once", action="store_true", help="apply the block (or remove it) once and exit"
            )
        if name in ("run", "daemon"):
            command.add_argument(
                "--user",
                metavar="NAME",
                help="the person who may control the daemon besides root "
                "(default: whoever ran sudo)",
            )
        if name == "pause":
            command.add_argument(
                "length",
                nargs="?",
                metavar="LENGTH",
                help="how long, e.g. 10m (default and longest: the block list's max_length)",
            )
        if name == "cancel":
            command.add_argument(
                "id",
                nargs="?",
                metavar="ID",
                help="cancel only this request (as `blocker status` shows it)",
            )
        if name == "stats":
            command.add_argument(
                "--png", metavar="FILE", help="draw the progress picture into FILE"
            )
            command.add_argument(
                "--export", metavar="FILE", help="write the urge log to FILE as CSV"
            )
        if name == "service":
            command.add_argument(
                "action",
                choices=("install", "uninstall", "status"),
                help="install: start the daemon at boot and the tray at login; "
                "uninstall: remove both (after the cooldown while "
                "blocking); status: what is installed",
            )
    return parser
