"""The `blocker` command: parse arguments, call the core or the daemon, print a report.

Thin by design. Commands that change the block list or the pause state talk to the daemon
when it runs; without one, adding still works (it only tightens) and loosening is refused.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, TextIO

from blocker import report
from blocker.atomic import write_atomically
from blocker.catalog import Catalog, shipped_catalog
from blocker.cli_parser import build_parser
from blocker.clock import SystemClocks
from blocker.config import Config
from blocker.engine import Clocks
from blocker.errors import BlockerError, ExitStatus, RefusedError, UsageError
from blocker.listedit import BlockListFile
from blocker.paths import Paths, prepare_sandbox
from blocker.plan import plan
from blocker.resources import data_file

logger = logging.getLogger("blocker")


def _local_zone() -> tzinfo:
    import tzlocal  # only the commands that show or plan times need the zone

    try:
        zone: tzinfo = tzlocal.get_localzone()
    except LookupError as error:  # no zone configured, or a name tzdata does not know
        logger.warning("cannot tell this computer's time zone (%s); using UTC", error)
        return UTC
    return zone


def _machine_names() -> frozenset[str]:
    name = socket.gethostname().lower()
    return frozenset({name, name.split(".")[0]})


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Environment:
    """Everything the CLI takes from the world, so tests run it in-process."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    now: Callable[[], datetime] = _utc_now
    zone: Callable[[], tzinfo] = _local_zone
    system_paths: Callable[[], Paths] = Paths.system
    machine_names: Callable[[], frozenset[str]] = _machine_names
    catalog: Callable[[], Catalog] = shipped_catalog
    clocks: Callable[[], Clocks] = SystemClocks


@dataclass
class Context:
    args: Any
    env: Environment
    paths: Paths

    def out(self, text: str) -> None:
        print(text, file=self.env.stdout)

    def out_json(self, value: Any) -> None:
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
        return BlockListFile(self.paths.config, self.env.catalog(), self.env.machine_names())

    def load(self) -> Config:
        return self.blocklist.read()[1]

    def facts(self, config: Config, with_hosts: bool = False) -> report.Facts:
        now, zone = self.env.now(), self.env.zone()
        hosts = None
        if with_hosts:
            from blocker import hoststext

            try:
                hosts = hoststext.blocked_names(hoststext.decode(self.paths.hosts.read_bytes()))
            except OSError as error:
                logger.warning("cannot read %s: %s", self.paths.hosts, error.strerror)
        return report.Facts(config, plan(config, now, zone), now, zone, hosts)

    def ask_daemon(self, message: dict[str, Any]) -> dict[str, Any]:
        """One request to the daemon; a refusal becomes a RefusedError with its reason."""
        from blocker import control

        answer = control.request(self.paths.socket, message)
        if not answer.get("ok"):
            raise RefusedError(str(answer.get("error", "the daemon refused")))
        return answer


def cmd_init(ctx: Context) -> int:
    target = ctx.paths.config
    if target.exists() and not ctx.args.force:
        raise UsageError(f"{target} already exists; edit it, or pass --force to start over")
    target.parent.mkdir(parents=True, exist_ok=True)
    # The list holds the ex's names: private to its owner, like everything blocker keeps.
    write_atomically(target, data_file("blocklist.yaml").read_bytes(), mode=0o600)
    ctx.out(
        f"Wrote an example block list to {target}. Open it, put in the profiles and the "
        "dates, then run `blocker check`."
    )
    return ExitStatus.OK


def cmd_check(ctx: Context) -> int:
    config = ctx.load()
    for warning in config.warnings:
        print(f"warning: {warning}", file=ctx.env.stderr)
    ctx.out(
        f"{ctx.paths.config} is valid: {len(config.profiles)} profiles or threads, "
        f"{len(config.sites)} whole sites."
    )
    return ExitStatus.OK


def cmd_plan(ctx: Context) -> int:
    facts = ctx.facts(ctx.load())
    return ctx.show(report.plan_json(facts), lambda: report.plan_text(facts))


def cmd_list(ctx: Context) -> int:
    config = ctx.load()
    listed = {
        "profiles": [report.target_dict(t) for t in config.profiles],
        "sites": [report.target_dict(t) for t in config.sites],
    }
    return ctx.show(listed, lambda: report.list_text(config))


def _daemon_or_none(ctx: Context, message: dict[str, Any]) -> dict[str, Any] | None:
    from blocker.control import DaemonUnreachable

    try:
        return ctx.ask_daemon(message)
    except DaemonUnreachable:
        return None


def cmd_add(ctx: Context) -> int:
    answer = _daemon_or_none(ctx, {"op": "add", "target": ctx.args.target, "site": ctx.args.site})
    if answer is not None:
        label, added = answer["label"], answer["changed"]
        what = answer["url_prefixes"] or answer["hosts_domains"]
    else:  # adding only tightens, so it needs no daemon
        target, added = ctx.blocklist.add(ctx.args.target, whole_site=ctx.args.site)
        label, what = target.label, list(target.url_prefixes or target.hosts_domains)
    if not added:
        ctx.out(f"{label} is already on your block list.")
        return ExitStatus.OK
    more = f" and {len(what) - 4} more" if len(what) > 4 else ""
    ctx.out(f"Added {label}. Blocked while the period is on: {', '.join(what[:4])}{more}.")
    return ExitStatus.OK


def cmd_remove(ctx: Context) -> int:
    message = {"op": "remove", "target": ctx.args.target, "site": ctx.args.site}
    answer = _daemon_or_none(ctx, message)
    if answer is not None:
        if answer["waits_until"]:
            ctx.out(
                f"{answer['label']} comes off the block list at {answer['waits_until']}, "
                "after the cooldown; until then it stays blocked. Changed your mind? "
                "`blocker cancel`"
            )
        else:
            ctx.out(f"Removed {answer['label']} from your block list.")
        return ExitStatus.OK
    _, _, _, target = ctx.blocklist.listed(ctx.args.target, whole_site=ctx.args.site)
    if ctx.facts(ctx.load()).desired.blocking:
        raise RefusedError(
            f"the block is on, so {target.label} stays blocked: removing loosens the block, "
            "which waits out a cooldown, and that needs the daemon (`sudo blocker daemon`)"
        )
    ctx.blocklist.remove(ctx.args.target, whole_site=ctx.args.site)
    ctx.out(f"Removed {target.label} from your block list.")
    return ExitStatus.OK


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    from blocker import cli_control

    env = env or Environment()
    args = build_parser().parse_args(argv)
    quiet = logging.INFO if args.command in ("run", "daemon") else logging.WARNING
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else quiet,
        format="blocker: %(message)s",
        stream=env.stderr,
        force=True,
    )
    for chatty in ("watchdog", "tzlocal"):  # their debug lines drown ours with --verbose
        logging.getLogger(chatty).setLevel(logging.WARNING)
    handlers: dict[str, Callable[[Context], int]] = {
        "init": cmd_init,
        "check": cmd_check,
        "plan": cmd_plan,
        "list": cmd_list,
        "add": cmd_add,
        "remove": cmd_remove,
        **cli_control.HANDLERS,
    }
    try:
        paths = prepare_sandbox(args.sandbox.expanduser()) if args.sandbox else env.system_paths()
        paths = paths.with_overrides(args.config, args.hosts_file, args.state_dir)
        return handlers[args.command](Context(args, env, paths))
    except BlockerError as error:
        print(f"blocker: {error}", file=env.stderr)
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
