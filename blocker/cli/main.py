"""The `blocker` command: parse arguments, call the core or the daemon, print a report.

Thin by design, and quick to start: a command's module is imported only when that command
runs, so `blocker status` asks the daemon at about the cost of starting Python, without
the block list's parser, the engine or the tray. Commands that change the block list or
the pause state talk to the daemon when it runs; without one, adding still works (it
only tightens) and loosening is refused.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

from blocker.cli.commands import BY_NAME
from blocker.cli.parser import parse_args, quick_parse
from blocker.errors import BlockerError, ExitStatus, RefusedError, UsageError
from blocker.ipc import client
from blocker.system import sockets

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`;
# see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date, datetime, tzinfo
    from typing import Any, TextIO

    from blocker.blocklist.listedit import BlockListFile
    from blocker.core.catalog import Catalog
    from blocker.core.clock import Clocks
    from blocker.core.config import Config
    from blocker.core.truth import Truth
    from blocker.system.paths import Paths


def _local_zone() -> tzinfo:
    import logging
    from datetime import UTC

    import tzlocal  # only the commands that show or plan times need the zone

    try:
        zone: tzinfo = tzlocal.get_localzone()
    except LookupError as error:  # no zone configured, or a name tzdata does not know
        logging.getLogger("blocker").warning(
            "cannot tell this computer's time zone (%s); using UTC", error
        )
        return UTC
    return zone


def _machine_names() -> frozenset[str]:
    import socket

    name = socket.gethostname().lower()
    return frozenset({name, name.split(".")[0]})


def _utc_now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _system_paths() -> Paths:
    from blocker.system.paths import Paths

    return Paths.system()


def _shipped_catalog() -> Catalog:
    from blocker.blocklist.catalog_file import shipped_catalog

    return shipped_catalog()


def _system_clocks() -> Clocks:
    from blocker.system.clocks import SystemClocks

    return SystemClocks()


class Environment:
    """Everything the CLI takes from the world, so tests run it in-process. The defaults
    import what they need when first called."""

    def __init__(
        self,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        now: Callable[[], datetime] = _utc_now,
        zone: Callable[[], tzinfo] = _local_zone,
        system_paths: Callable[[], Paths] = _system_paths,
        system_socket: Callable[[], str] = lambda: sockets.SYSTEM_SOCKET,
        machine_names: Callable[[], frozenset[str]] = _machine_names,
        catalog: Callable[[], Catalog] = _shipped_catalog,
        clocks: Callable[[], Clocks] = _system_clocks,
    ) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.now = now
        self.zone = zone
        self.system_paths = system_paths
        self.system_socket = system_socket
        self.machine_names = machine_names
        self.catalog = catalog
        self.clocks = clocks


class Context:
    def __init__(self, args: Any, env: Environment) -> None:
        self.args = args
        self.env = env
        self._logging_set_up = False

    @functools.cached_property
    def paths(self) -> Paths:
        from pathlib import Path

        from blocker.system.paths import prepare_sandbox

        def given(option: str | None) -> Path | None:
            return Path(option).expanduser().absolute() if option else None

        def today() -> date:  # the zone is looked up only for a sandbox's first use
            return self.env.now().astimezone(self.env.zone()).date()

        sandbox = given(self.args.sandbox)
        paths = prepare_sandbox(sandbox, today) if sandbox else self.env.system_paths()
        return paths.with_overrides(
            given(self.args.config), given(self.args.hosts_file), given(self.args.state_dir)
        )

    @property
    def socket(self) -> str:
        """Where the daemon listens, worked out without loading every other path."""
        return sockets.socket_path(self.args.sandbox, self.args.state_dir, self.env.system_socket())

    def set_up_logging(self) -> None:
        if self._logging_set_up:
            return
        import logging

        quiet = logging.INFO if self.args.command in ("run", "daemon") else logging.WARNING
        logging.basicConfig(
            level=logging.DEBUG if self.args.verbose else quiet,
            format="blocker: %(message)s",
            stream=self.env.stderr,
            force=True,
        )
        for chatty in ("watchdog", "tzlocal"):  # their debug lines drown ours with --verbose
            logging.getLogger(chatty).setLevel(logging.WARNING)
        self._logging_set_up = True

    def hint(self, text: str) -> str:
        """`text` with every command it suggests run the way this one was: under
        --sandbox, a hint to start the real daemon would act on the real system."""
        from blocker.core.commandhint import with_sandbox

        return with_sandbox(text, self.args.sandbox)

    def out(self, text: str) -> None:
        print(self.hint(text), file=self.env.stdout)

    def out_json(self, value: Any) -> None:
        import json

        print(json.dumps(value, indent=2, sort_keys=True), file=self.env.stdout)

    def show(self, value: Any, text: Callable[[], str]) -> int:
        """A report: `value` as JSON with --json, otherwise the text made for a person."""
        if self.args.json:
            self.out_json(value)
        else:
            self.out(text())
        return ExitStatus.OK

    @property
    def blocklist(self) -> BlockListFile:
        from blocker.blocklist.listedit import BlockListFile

        return BlockListFile(self.paths.config, self.env.catalog(), self.env.machine_names())

    def load(self) -> Config:
        return self.blocklist.read()[1]

    def truth(self, config: Config, with_hosts: bool = False) -> Truth:
        """What holds now by the file alone, for when no daemon answers: no pause, stop
        or waiting request is known here, so the period's plan is the whole answer."""
        from blocker.core.gate import GateState
        from blocker.core.plan import plan
        from blocker.core.truth import what_holds
        from blocker.hosts import hoststext

        now, zone = self.env.now(), self.env.zone()
        hosts = None
        if with_hosts:
            try:
                hosts = hoststext.blocked_names(hoststext.decode(self.paths.hosts.read_bytes()))
            except OSError as error:
                import logging

                logging.getLogger("blocker").warning(
                    "cannot read %s: %s", self.paths.hosts, error.strerror
                )
        return what_holds(
            now, zone, config, plan(config, now, zone), GateState(), hosts_blocked=hosts
        )

    def ask_daemon(self, message: dict[str, Any]) -> dict[str, Any]:
        """One request to the daemon; a refusal becomes a RefusedError with its reason, or
        a UsageError where the daemon says the request itself was a mistake."""
        answer = client.request(self.socket, message)
        if not answer.get("ok"):
            reason = str(answer.get("error", "the daemon refused"))
            raise UsageError(reason) if answer.get("mistake") is True else RefusedError(reason)
        return answer


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    if not sys.platform.startswith("linux"):
        # The socket's peer credentials, the policy folders, the boot clock and the
        # service are Linux's: elsewhere nothing blocker would do could be trusted.
        print(f"blocker: blocker runs on Linux only (this is {sys.platform})", file=env.stderr)
        return ExitStatus.ERROR
    words = sys.argv[1:] if argv is None else list(argv)
    # Stays OK where the reader went away before the command ended: `| head` had enough.
    status: int = ExitStatus.OK
    try:
        try:
            status = _run(words, env)
        finally:
            # What is still buffered goes out here, not as Python exits, where a reader
            # that has gone (`blocker plan | head -3`) would be a traceback and exit 120.
            # Here too after --help, which argparse ends with SystemExit.
            env.stdout.flush()
    except BrokenPipeError:
        # The reader went away: nothing more to say to it, and nothing more to flush at
        # exit than to /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


def _run(words: list[str], env: Environment) -> int:
    args = quick_parse(words) or parse_args(words)
    command = BY_NAME[args.command]
    ctx = Context(args, env)
    # A command that only asks the daemon sets up logging only when it has more to say:
    # doing it costs as much as the rest of its start.
    if args.verbose or not command.asks_daemon:
        ctx.set_up_logging()
    module, function = command.handler.split(":")
    handler: Callable[[Context], int] = getattr(importlib.import_module(module), function)
    try:
        return handler(ctx)
    except BrokenPipeError:
        raise  # the reader of what we print went away (`blocker list | head`): see main
    except BlockerError as error:
        print(f"blocker: {ctx.hint(str(error))}", file=env.stderr)
        return error.exit_status
    except PermissionError as error:
        print(
            f"blocker: {error.filename}: permission denied; run it with sudo, or try it "
            "with --sandbox DIR",
            file=env.stderr,
        )
        return ExitStatus.NEEDS_ROOT
    except OSError as error:
        # The machine refused something we did not foresee: one line, never a traceback.
        print(f"blocker: {error.filename or 'a file'}: {error.strerror or error}", file=env.stderr)
        return ExitStatus.ERROR
