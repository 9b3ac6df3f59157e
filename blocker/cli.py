"""The `blocker` command: parse arguments, call the core, print a report. Thin by design."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from types import FrameType
from typing import Any, TextIO

from blocker import edit, report, yamlsource
from blocker.atomic import write_atomically
from blocker.catalog import Catalog, shipped_catalog
from blocker.cli_parser import build_parser
from blocker.config import Config, parse_config, target_of
from blocker.errors import BlockerError, ExitStatus, NeedsRootError, RefusedError, UsageError
from blocker.paths import Paths, prepare_sandbox
from blocker.plan import plan
from blocker.resources import data_file
from blocker.runner import Runner, utc_now
from blocker.targets import InvalidTarget, Target, from_shorthand, from_url, site

logger = logging.getLogger("blocker")


def _local_zone() -> tzinfo:
    import tzlocal  # only the commands that show or plan times need the zone

    try:
        zone: tzinfo = tzlocal.get_localzone()
    except LookupError as error:  # no zone configured or a name tzdata does not know
        logger.warning("cannot tell this computer's time zone (%s); using UTC", error)
        return UTC
    return zone


def _machine_names() -> frozenset[str]:
    name = socket.gethostname().lower()
    return frozenset({name, name.split(".")[0]})


@dataclass
class Environment:
    """Everything the CLI takes from the world, so tests run it in-process."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    now: Callable[[], datetime] = utc_now
    zone: Callable[[], tzinfo] = _local_zone
    system_paths: Callable[[], Paths] = Paths.system
    machine_names: Callable[[], frozenset[str]] = _machine_names
    catalog: Callable[[], Catalog] = shipped_catalog


@dataclass
class Context:
    args: argparse.Namespace
    env: Environment
    paths: Paths

    def out(self, text: str) -> None:
        print(text, file=self.env.stdout)

    def out_json(self, value: Any) -> None:
        print(json.dumps(value, indent=2, sort_keys=True), file=self.env.stdout)

    def load(self) -> Config:
        text = yamlsource.read_file(self.paths.config)
        return parse_config(text, self.paths.config, self.env.catalog(), self.env.machine_names())

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
    if ctx.args.json:
        ctx.out_json(report.plan_json(facts))
    else:
        ctx.out(report.plan_text(facts))
    return ExitStatus.OK


def cmd_status(ctx: Context) -> int:
    facts = ctx.facts(ctx.load(), with_hosts=True)
    if ctx.args.json:
        ctx.out_json(report.status_json(facts))
    else:
        ctx.out(report.status_text(facts))
    return ExitStatus.OK


def cmd_list(ctx: Context) -> int:
    config = ctx.load()
    if ctx.args.json:
        ctx.out_json(
            {
                "profiles": [report.target_dict(t) for t in config.profiles],
                "sites": [report.target_dict(t) for t in config.sites],
            }
        )
    else:
        ctx.out(report.list_text(config))
    return ExitStatus.OK


def _entry(ctx: Context, text: str) -> tuple[str, str | dict[str, str], Target]:
    """What the person typed → (the list it goes in, the YAML entry, the Target)."""
    catalog, names = ctx.env.catalog(), ctx.env.machine_names()
    try:
        if ctx.args.site:
            return "sites", text.strip(), site(catalog, text, names)
        word, _, handle = text.partition(":")
        if handle and "/" not in handle and catalog.by_shorthand(word):
            entry = {word.strip().lower(): handle.strip()}
            return "profiles", entry, from_shorthand(catalog, word, handle)
        return "profiles", text.strip(), from_url(catalog, text, names)
    except InvalidTarget as error:
        raise UsageError(str(error)) from None


def _rewrite(ctx: Context, new_text: str) -> Config:
    """Validate the edited block list before it replaces the old one; never save a broken one."""
    config = parse_config(new_text, ctx.paths.config, ctx.env.catalog(), ctx.env.machine_names())
    write_atomically(ctx.paths.config, new_text.encode("utf-8"), like=ctx.paths.config)
    return config


def cmd_add(ctx: Context) -> int:
    text = yamlsource.read_file(ctx.paths.config)
    before = parse_config(text, ctx.paths.config, ctx.env.catalog(), ctx.env.machine_names())
    section, entry, target = _entry(ctx, ctx.args.target)
    if any(t.key == target.key for t in before.targets):
        ctx.out(f"{target.label} is already on your block list.")
        return ExitStatus.OK
    _rewrite(ctx, edit.add_entry(text, section, entry, ctx.paths.config))
    what = target.url_prefixes or target.hosts_domains
    ctx.out(
        f"Added {target.label}. Blocked while the period is on: {', '.join(what[:4])}"
        + (f" and {len(what) - 4} more" if len(what) > 4 else "")
        + "."
    )
    return ExitStatus.OK


def cmd_remove(ctx: Context) -> int:
    text = yamlsource.read_file(ctx.paths.config)
    config = parse_config(text, ctx.paths.config, ctx.env.catalog(), ctx.env.machine_names())
    section, _, target = _entry(ctx, ctx.args.target)
    root = yamlsource.parse(text, ctx.paths.config)
    if not isinstance(root, yamlsource.Mapping) or section not in root.entries:
        raise UsageError(f"{target.label} is not on your block list")
    items = root.entries[section][1]
    indexes = set()
    for index, node in enumerate(items.items if isinstance(items, yamlsource.Sequence) else ()):
        if target_of(section, node, ctx.env.catalog(), ctx.env.machine_names()).key == target.key:
            indexes.add(index)
    if not indexes:
        raise UsageError(f"{target.label} is not on your block list")
    facts = ctx.facts(config)
    if facts.desired.blocking:
        raise RefusedError(
            f"the block is on, so {target.label} stays blocked for now: removing loosens the "
            "block, and loosening will wait out a cooldown once the blocker daemon exists; "
            "until then remove it after the period or outside the blocking hours"
        )
    _rewrite(ctx, edit.remove_entries(text, section, indexes, ctx.paths.config))
    ctx.out(f"Removed {target.label} from your block list.")
    return ExitStatus.OK


def cmd_run(ctx: Context) -> int:
    hosts = ctx.paths.hosts
    if not os.access(hosts, os.W_OK) and hosts.exists():
        raise NeedsRootError(
            f"blocker needs to change {hosts}, which only root may do: run `sudo blocker run`, "
            "or try it safely with `blocker --sandbox ~/blocker-try run`"
        )
    runner = Runner(
        ctx.paths, ctx.env.catalog(), ctx.env.zone(), ctx.env.machine_names(), now=ctx.env.now
    )
    if ctx.args.once:
        desired = runner.reconcile()
        ctx.out(
            f"Reconciled {hosts}: {'blocking' if desired.blocking else 'not blocking'}, "
            f"{len(desired.domains)} names."
        )
        return ExitStatus.OK
    stop = threading.Event()

    def on_signal(number: int, _frame: FrameType | None) -> None:
        logger.info("stopping on %s; the block stays as it is", signal.Signals(number).name)
        stop.set()
        runner.wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logger.info("watching %s and %s", ctx.paths.config, hosts)
    runner.run(stop)
    return ExitStatus.OK


HANDLERS: dict[str, Callable[[Context], int]] = {
    "init": cmd_init,
    "check": cmd_check,
    "plan": cmd_plan,
    "status": cmd_status,
    "list": cmd_list,
    "add": cmd_add,
    "remove": cmd_remove,
    "run": cmd_run,
}


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    parser = build_parser()
    args = parser.parse_args(argv)
    quiet = logging.INFO if args.command == "run" else logging.WARNING
    level = logging.DEBUG if args.verbose else quiet
    logging.basicConfig(level=level, format="blocker: %(message)s", stream=env.stderr, force=True)
    try:
        if args.sandbox is not None:
            paths = prepare_sandbox(args.sandbox.expanduser())
        else:
            paths = env.system_paths()
        paths = paths.with_overrides(args.config, args.hosts_file, args.state_dir)
        return HANDLERS[args.command](Context(args, env, paths))
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
    except KeyboardInterrupt:
        return ExitStatus.ERROR
