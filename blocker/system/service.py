"""`blocker service install|uninstall|status`: the daemon as a systemd service that starts
with the computer and the tray as an autostart entry of the person who ran sudo. Files come
from the templates in config/service/, filled in here; rendering is pure."""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

from blocker.errors import BlockerError, UsageError
from blocker.system.atomic import write_atomically
from blocker.system.paths import Paths
from blocker.system.resources import data_file

UNIT_NAME = "blocker.service"
SYSTEM_UNIT_DIR = Path("/etc/systemd/system")


def sandbox_options(paths: Paths) -> list[str]:
    """The global options that bring a blocker process to these sandboxed paths: the
    --sandbox, and each override a sandbox does not give by itself. Empty outside one."""
    if paths.sandbox_dir is None:
        return []
    usual = Paths.sandbox(paths.sandbox_dir)
    options = ["--sandbox", str(paths.sandbox_dir)]
    for option, given, default in (
        ("--config", paths.config, usual.config),
        ("--hosts-file", paths.hosts, usual.hosts),
        ("--state-dir", paths.state_dir, usual.state_dir),
    ):
        if given != default:
            options += [option, str(given)]
    return options


def daemon_argv(paths: Paths, user: str | None, python: str = sys.executable) -> list[str]:
    # A sandbox's unit runs the sandbox's daemon: --config alone would have it keep the
    # machine's own hosts file and state.
    options = sandbox_options(paths) or ["--config", str(paths.config)]
    argv = [python, "-m", "blocker", *options, "daemon"]
    return [*argv, "--user", user] if user else argv


def tray_argv(python: str = sys.executable, paths: Paths | None = None) -> list[str]:
    options = [] if paths is None else sandbox_options(paths)
    return [python, "-m", "blocker", *options, "tray"]


def _template(name: str) -> Template:
    return Template(data_file(f"service/{name}").read_text(encoding="utf-8"))


def render_systemd_unit(argv: list[str]) -> str:
    return _template("blocker.service").substitute(exec_start=shlex.join(argv))


def render_autostart(argv: list[str], icon: str) -> str:
    return _template("blocker-tray.desktop").substitute(exec_tray=shlex.join(argv), icon=icon)


@dataclass(frozen=True)
class LinuxService:
    """Where the Linux service files go; tests point both folders at a temporary one.
    Without `registers`, the files are only written and removed: systemctl is never run
    (a sandbox's copy of the service, which the real systemd must never see)."""

    unit_dir: Path = SYSTEM_UNIT_DIR
    autostart_dir: Path | None = None  # the sudo user's ~/.config/autostart
    registers: bool = True

    @property
    def unit(self) -> Path:
        return self.unit_dir / UNIT_NAME

    @property
    def autostart(self) -> Path | None:
        return None if self.autostart_dir is None else self.autostart_dir / "blocker-tray.desktop"

    def install(self, paths: Paths, user: str | None) -> list[str]:
        done = []
        self.unit.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(
            self.unit, render_systemd_unit(daemon_argv(paths, user)).encode(), mode=0o644
        )
        done.append(f"wrote {self.unit}")
        if self.autostart is not None and user:
            self.autostart.parent.mkdir(parents=True, exist_ok=True)
            icon = "blocker"  # an icon name; the tray work installs the artwork
            write_atomically(
                self.autostart,
                render_autostart(tray_argv(paths=paths), icon).encode(),
                mode=0o644,
            )
            account = pwd.getpwnam(user)
            os.chown(self.autostart, account.pw_uid, account.pw_gid)
            done.append(f"wrote {self.autostart}")
        verify = verify_unit(self.unit)
        if verify:
            done.append(verify)
        if not self.registers:
            done.append(NOT_REGISTERED)
        elif _systemd_runs():
            _run("systemctl", "daemon-reload")
            _run("systemctl", "enable", "--now", UNIT_NAME)
            done.append("enabled and started blocker.service")
        else:
            done.append("systemd is not running here: start the daemon with `blocker daemon`")
        return done

    def remove(self) -> list[str]:
        done = []
        if self.registers and _systemd_runs() and self.unit.exists():
            _run("systemctl", "disable", UNIT_NAME)
        for path in (self.unit, self.autostart):
            if path is not None and path.exists():
                path.unlink()
                done.append(f"removed {path}")
        if self.registers and _systemd_runs():
            _run("systemctl", "daemon-reload")
        return done

    def installed(self) -> list[Path]:
        return [p for p in (self.unit, self.autostart) if p is not None and p.exists()]


NOT_REGISTERED = (
    "nothing was registered with the real systemd (no systemctl call): these files are the "
    "sandbox's copy of the service; start the sandbox's daemon with `blocker daemon`"
)


def _systemd_runs() -> bool:
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def verify_unit(unit: Path) -> str | None:
    """Check the unit with systemd's own verifier where it is installed."""
    if shutil.which("systemd-analyze") is None:
        return None
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        raise BlockerError(f"systemd-analyze rejected {unit}: {result.stderr.strip()}")
    return "systemd-analyze verify: the unit is valid"


def _run(*argv: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        raise BlockerError(f"`{' '.join(argv)}` failed: {result.stderr.strip()}")


def person_for(paths: Paths, sudo_user: str | None) -> str | None:
    """Whose tray the service starts at login: the one who ran sudo; in a sandbox, which
    needs no sudo, whoever runs blocker."""
    if sudo_user or paths.sandbox_dir is None:
        return sudo_user
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a user id with no account (a container's -u 1234): no tray to start
        return None


def linux_service_for(user: str | None, paths: Paths | None = None) -> LinuxService:
    """The service of the machine, or with `paths` of a sandbox, the sandbox's own copy:
    the same files under its root (DIR/root/etc/systemd/system, DIR/root/home/...), which
    are never registered with systemd."""
    try:
        home = Path(pwd.getpwnam(user).pw_dir) if user else None
    except KeyError:
        raise UsageError(f"there is no user {user!r} on this computer") from None
    if paths is None or paths.sandbox_dir is None:
        autostart = None if home is None else home / ".config" / "autostart"
        return LinuxService(autostart_dir=autostart)
    return LinuxService(
        unit_dir=paths.under_root(SYSTEM_UNIT_DIR),
        autostart_dir=None if home is None else paths.under_root(home / ".config" / "autostart"),
        registers=False,
    )
