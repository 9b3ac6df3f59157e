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

from blocker.errors import BlockerError
from blocker.system.atomic import write_atomically
from blocker.system.paths import Paths
from blocker.system.resources import data_file

UNIT_NAME = "blocker.service"


def daemon_argv(paths: Paths, user: str | None, python: str = sys.executable) -> list[str]:
    argv = [python, "-m", "blocker", "--config", str(paths.config), "daemon"]
    return [*argv, "--user", user] if user else argv


def tray_argv(python: str = sys.executable) -> list[str]:
    return [python, "-m", "blocker", "tray"]


def _template(name: str) -> Template:
    return Template(data_file(f"service/{name}").read_text(encoding="utf-8"))


def render_systemd_unit(argv: list[str]) -> str:
    return _template("blocker.service").substitute(exec_start=shlex.join(argv))


def render_autostart(argv: list[str], icon: str) -> str:
    return _template("blocker-tray.desktop").substitute(exec_tray=shlex.join(argv), icon=icon)


@dataclass(frozen=True)
class LinuxService:
    """Where the Linux service files go; tests point both folders at a temporary one."""

    unit_dir: Path = Path("/etc/systemd/system")
    autostart_dir: Path | None = None  # the sudo user's ~/.config/autostart

    @property
    def unit(self) -> Path:
        return self.unit_dir / UNIT_NAME

    @property
    def autostart(self) -> Path | None:
        return None if self.autostart_dir is None else self.autostart_dir / "blocker-tray.desktop"

    def install(self, paths: Paths, user: str | None) -> list[str]:
        done = []
        write_atomically(
            self.unit, render_systemd_unit(daemon_argv(paths, user)).encode(), mode=0o644
        )
        done.append(f"wrote {self.unit}")
        if self.autostart is not None and user:
            self.autostart.parent.mkdir(parents=True, exist_ok=True)
            icon = "blocker"  # an icon name; the tray work installs the artwork
            write_atomically(
                self.autostart, render_autostart(tray_argv(), icon).encode(), mode=0o644
            )
            account = pwd.getpwnam(user)
            os.chown(self.autostart, account.pw_uid, account.pw_gid)
            done.append(f"wrote {self.autostart}")
        verify = verify_unit(self.unit)
        if verify:
            done.append(verify)
        if _systemd_runs():
            _run("systemctl", "daemon-reload")
            _run("systemctl", "enable", "--now", UNIT_NAME)
            done.append("enabled and started blocker.service")
        else:
            done.append("systemd is not running here: start the daemon with `blocker daemon`")
        return done

    def remove(self) -> list[str]:
        done = []
        if _systemd_runs() and self.unit.exists():
            _run("systemctl", "disable", UNIT_NAME)
        for path in (self.unit, self.autostart):
            if path is not None and path.exists():
                path.unlink()
                done.append(f"removed {path}")
        if _systemd_runs():
            _run("systemctl", "daemon-reload")
        return done

    def installed(self) -> list[Path]:
        return [p for p in (self.unit, self.autostart) if p is not None and p.exists()]


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


def linux_service_for(user: str | None) -> LinuxService:
    if not user:
        return LinuxService()
    home = Path(pwd.getpwnam(user).pw_dir)
    return LinuxService(autostart_dir=home / ".config" / "autostart")
