"""CLI commands that run blocker's processes: daemon (and run), service, doctor and tray."""

from __future__ import annotations

import logging
import os
import pwd
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from blocker.errors import BlockerError, ExitStatus, NeedsRootError, UsageError
from blocker.ipc.answers import DaemonStatus
from blocker.ipc.protocol import Ping, Status, Uninstall

if TYPE_CHECKING:
    from blocker.cli.main import Context
    from blocker.desktop.notify import Notifier

logger = logging.getLogger(__name__)


def _require_root(ctx: Context) -> None:
    hosts = ctx.paths.hosts
    if hosts.exists() and not os.access(hosts, os.W_OK):
        raise NeedsRootError(
            f"blocker needs to change {hosts}, which only root may do: run `sudo blocker "
            f"{ctx.args.command}`, or try it safely with `blocker --sandbox ~/blocker-try "
            f"{ctx.args.command}`"
        )


def _allowed_uids(user: str | None) -> frozenset[int]:
    uids = {0, os.geteuid()}
    if os.environ.get("SUDO_UID", "").isdigit():
        uids.add(int(os.environ["SUDO_UID"]))
    if user:
        try:
            uids.add(pwd.getpwnam(user).pw_uid)
        except KeyError:
            raise UsageError(f"there is no user {user!r} on this computer") from None
    return frozenset(uids)


def _refuse_beside_a_running_daemon(ctx: Context) -> None:
    from blocker.ipc.client import DaemonUnreachable

    try:
        ctx.ask_daemon(Ping().to_json())
    except DaemonUnreachable:
        return
    raise UsageError(
        "the blocker daemon is running and already keeps the block as planned; "
        "`blocker status` shows it"
    )


def cmd_daemon(ctx: Context) -> int:
    from blocker.daemon import status as daemon_status
    from blocker.daemon.engine import Engine
    from blocker.daemon.loop import Daemon
    from blocker.system import uninstalled

    _require_root(ctx)
    if getattr(ctx.args, "once", False):
        _refuse_beside_a_running_daemon(ctx)
    # A daemon keeps the block again: blocker is no longer uninstalled.
    uninstalled.clear(ctx.paths.uninstalled_marker)
    engine = Engine(
        ctx.paths, ctx.env.catalog(), ctx.env.zone(), ctx.env.machine_names(), ctx.env.clocks()
    )
    if getattr(ctx.args, "once", False):
        engine.step()
        held = daemon_status.status(engine).report
        ctx.out(
            f"Reconciled {ctx.paths.hosts}: "
            f"{'blocking' if held['blocking'] else 'not blocking'}, "
            f"{(held['hosts_section'] or {}).get('names', 0)} names."
        )
        # Each failing layer in one line; the others were reconciled all the same.
        for layer, error in engine.layer_failures.items():
            print(f"blocker: {layer}: {ctx.hint(str(error))}", file=ctx.env.stderr)
        return ExitStatus.ERROR if engine.layer_failures else ExitStatus.OK
    user = getattr(ctx.args, "user", None)

    def uninstall() -> None:
        from blocker.system import service

        # A sandbox's copy was installed for the sudo user or whoever ran it, as here.
        sandboxed = ctx.paths.sandbox_dir is not None
        person = service.person_for(
            ctx.paths, (user or os.environ.get("SUDO_USER")) if sandboxed else user
        )
        for line in service.linux_service_for(person, ctx.paths).remove():
            logger.info("%s", line)

    # A sandboxed daemon removes the sandbox's copy of the service; a daemon of its own
    # state (--state-dir) owns no service files: it never touches the real ones.
    owns_service = ctx.paths.is_system_daemon or ctx.paths.sandbox_dir is not None
    on_uninstall = uninstall if owns_service else lambda: None
    Daemon(engine, ctx.paths.socket, _allowed_uids(user), on_uninstall=on_uninstall).run()
    return ExitStatus.OK


def _daemon_status(ctx: Context) -> DaemonStatus | None:
    """The running daemon's status, or None when none answers (doctor works without it)."""
    from blocker.ipc import client

    try:
        answer = client.request(ctx.socket, Status().to_json(), timeout=2.0)
    except (client.DaemonUnreachable, OSError):
        return None
    status = answer.get("status")
    return DaemonStatus.from_json(status) if answer.get("ok") and isinstance(status, dict) else None


def cmd_doctor(ctx: Context) -> int:
    from blocker.blocklist.browser_catalog import shipped_browsers
    from blocker.cli import doctor
    from blocker.cli.doctor_browsers import browsers_not_found
    from blocker.watch.browser_processes import BrowserWatcher

    browsers = shipped_browsers()
    watcher = BrowserWatcher(browsers)
    watcher.scan(())
    status = _daemon_status(ctx)
    layers = doctor.diagnose(
        ctx.paths, browsers, watcher.running_browsers(), _firefox_choice(ctx, status)
    )
    layers.extend(doctor.failing_layers(status))
    absent = browsers_not_found(browsers, home=Path.home())
    return ctx.show(doctor.report_json(layers, absent), lambda: doctor.report_text(layers, absent))


def _firefox_choice(ctx: Context, status: DaemonStatus | None) -> bool | None:
    """Whether the list in force lets Firefox install blocker's unsigned extension: the
    daemon's answer (a loosening edit may wait), else the block list's file; None when
    neither can tell."""
    if status is not None:
        return status.firefox_unsigned_addons
    try:
        return ctx.load().firefox_unsigned_addons
    except (BlockerError, OSError):
        return None


def cmd_tray(ctx: Context) -> int:
    import sys

    from blocker.desktop import icons
    from blocker.desktop.notify import Notifier
    from blocker.desktop.tray import Tray
    from blocker.errors import BlockerError

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise BlockerError(
            "the tray needs a desktop session (no DISPLAY is set); the "
            "daemon keeps the block without it, and `blocker status` tells it"
        )
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "blocker"
    cache.mkdir(parents=True, exist_ok=True)
    icon = cache / "blocker.png"
    icons.draw("blocking", 128).save(icon)
    notifier = Notifier(icon, ctx.args.sandbox)
    if not ctx.paths.config.exists():
        _first_run(ctx, notifier)
    Tray(ctx.paths.socket, ctx.blocklist, notifier, ctx.args.sandbox).run()
    return ExitStatus.OK


def _first_run(ctx: Context, notifier: Notifier) -> None:
    """No block list yet: start one from the example and say, once, what to do."""
    from blocker.desktop import session as desktop
    from blocker.system.atomic import write_atomically
    from blocker.system.resources import data_file

    target = ctx.paths.config
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data_file("blocklist.yaml").read_bytes(), mode=0o600)
    except OSError:
        notifier.show(
            "Welcome to blocker",
            ctx.hint(
                "Start your block list with `sudo blocker init`, "
                f"then put in the profiles and the dates ({target})."
            ),
        )
        return
    desktop.open_file(target)
    notifier.show(
        "Welcome to blocker",
        "Your block list is open: put in their profiles and "
        "the dates of your no-stalking period, save it, and the block starts.",
    )


def cmd_service(ctx: Context) -> int:
    from blocker.ipc.client import DaemonUnreachable
    from blocker.system.service import linux_service_for, person_for

    if not sys.platform.startswith("linux"):
        raise BlockerError(
            "`blocker service` installs on Linux for now; on this system run "
            "`blocker daemon` from the system's service manager"
        )
    # Under --sandbox the service is the sandbox's copy, which is the person's own: it
    # needs no root, and systemd never hears of it.
    sandbox = ctx.paths.sandbox_dir
    user = person_for(ctx.paths, os.environ.get("SUDO_USER") or None)
    service = linux_service_for(user, ctx.paths)
    action = ctx.args.action
    if action == "status":
        found = service.installed()
        where = f" in the sandbox {sandbox}" if sandbox else ""
        lines = [f"installed: {p}" for p in found] or [
            f"blocker is not installed as a service{where}"
        ]
        if sandbox and found:
            lines.append("(the sandbox's copy: nothing of it is registered with systemd)")
        ctx.out("\n".join(lines))
        return ExitStatus.OK
    if sandbox is None and os.geteuid() != 0:
        raise NeedsRootError(
            f"installing a service needs root: run `sudo blocker service {action}`"
        )
    if action == "install":
        ctx.out("\n".join(service.install(ctx.paths, user)))
        return ExitStatus.OK
    try:
        answer = ctx.ask_daemon(Uninstall().to_json())
    except DaemonUnreachable:
        if ctx.truth(ctx.load()).period_blocking:
            raise NeedsRootError(
                "the block is on and the daemon is not running; start it "
                "(`sudo blocker daemon`) so that uninstalling can go "
                "through the cooldown"
            ) from None
        removed = service.remove() or ["nothing was installed"]
        if sandbox:
            removed.append("(the sandbox's copy: the real systemd never knew of it)")
        ctx.out("\n".join(removed))
        return ExitStatus.OK
    from blocker.cli.ask_commands import when_phrase

    ctx.out(
        f"blocker uninstalls itself {when_phrase(answer)}, after the cooldown, unless you "
        f"`blocker cancel {answer['request']}` before."
    )
    return ExitStatus.OK
