"""Service files rendered from the templates and installed into a sandbox."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
from pathlib import Path

import pytest

from blocker.errors import BlockerError
from blocker.system.paths import Paths
from blocker.system.service import (
    LinuxService,
    daemon_argv,
    linux_service_for,
    render_autostart,
    render_systemd_unit,
    tray_argv,
    verify_unit,
)
from blocker.system.watchdog import Watchdog

PYTHON = "/opt/blocker env/bin/python"  # a space, to prove the quoting
ARGV = daemon_argv(Paths.system(), "alex", python=PYTHON)


def test_the_daemon_command_names_the_block_list_and_the_person() -> None:
    assert ARGV == [
        PYTHON,
        "-m",
        "blocker",
        "--config",
        "/etc/blocker/blocklist.yaml",
        "daemon",
        "--user",
        "alex",
    ]


def test_the_systemd_unit_restarts_the_daemon_always_and_quotes_its_command() -> None:
    unit = render_systemd_unit(ARGV)
    assert "ExecStart='/opt/blocker env/bin/python' -m blocker --config" in unit
    assert "Restart=always" in unit
    assert "WantedBy=multi-user.target" in unit
    assert "RuntimeDirectory=blocker" in unit


def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (scripts/test installs Debian's systemd)")
    unit = tmp_path / "blocker.service"
    unit.write_text(render_systemd_unit(daemon_argv(Paths.system(), None)))
    assert verify_unit(unit) == "systemd-analyze verify: the unit is valid"
    unit.write_text(render_systemd_unit(["relative/python"]))
    with pytest.raises(BlockerError, match="systemd-analyze rejected"):
        verify_unit(unit)


def test_the_autostart_entry_starts_the_tray() -> None:
    entry = render_autostart(tray_argv(PYTHON), "blocker")
    assert "Exec='/opt/blocker env/bin/python' -m blocker tray" in entry
    assert entry.startswith("[Desktop Entry]\nType=Application\n")


def test_install_and_remove_in_a_sandbox_leave_nothing_behind(tmp_path: Path) -> None:
    user = pwd.getpwuid(os.geteuid()).pw_name
    service = LinuxService(unit_dir=tmp_path / "units", autostart_dir=tmp_path / "autostart")
    (tmp_path / "units").mkdir()
    done = service.install(Paths.sandbox(tmp_path), user)
    assert service.installed() == [service.unit, service.autostart]
    assert any("systemd is not running here" in line or "enabled" in line for line in done)
    assert service.unit.stat().st_mode & 0o777 == 0o644
    service.remove()
    assert service.installed() == []


def test_a_sandboxed_unit_runs_the_sandboxed_daemon_with_each_override_it_was_given(
    tmp_path: Path,
) -> None:
    paths = Paths.sandbox(tmp_path).with_overrides(None, None, tmp_path / "elsewhere")
    assert daemon_argv(paths, "alex", python=PYTHON) == [
        PYTHON,
        "-m",
        "blocker",
        "--sandbox",
        str(tmp_path),
        "--state-dir",
        str(tmp_path / "elsewhere"),
        "daemon",
        "--user",
        "alex",
    ]
    elsewhere = str(tmp_path / "elsewhere")
    assert tray_argv(PYTHON, paths)[3:] == [
        "--sandbox",
        str(tmp_path),
        "--state-dir",
        elsewhere,
        "tray",
    ]


def test_a_sandbox_has_its_own_copy_of_the_service_under_its_root(tmp_path: Path) -> None:
    user = pwd.getpwuid(os.geteuid()).pw_name
    home = Path(pwd.getpwnam(user).pw_dir)
    service = linux_service_for(user, Paths.sandbox(tmp_path))
    assert service.unit == tmp_path / "root/etc/systemd/system/blocker.service"
    assert service.autostart == tmp_path / "root" / home.relative_to("/") / (
        ".config/autostart/blocker-tray.desktop"
    )
    assert not service.registers
    done = service.install(Paths.sandbox(tmp_path), user)
    assert done[-1].startswith("nothing was registered with the real systemd")
    assert service.installed() == [service.unit, service.autostart]


def test_the_watchdog_takes_systemds_socket_from_the_environment_and_hands_it_on_to_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = tmp_path / "notify"
    monkeypatch.setenv("NOTIFY_SOCKET", str(address))
    monkeypatch.setenv("WATCHDOG_USEC", "120000000")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(str(address))
        watchdog = Watchdog.from_environment()
        assert "NOTIFY_SOCKET" not in os.environ  # a browser blocker closes gets none
        watchdog.alive()
        assert systemd.recv(64) == b"WATCHDOG=1"
    watchdog.alive()  # systemd gone: a warning, not an error
    assert watchdog.sock is not None
    watchdog.sock.close()
    monkeypatch.delenv("WATCHDOG_USEC")
    monkeypatch.setenv("NOTIFY_SOCKET", str(address))
    assert Watchdog.from_environment().address is None  # no watchdog asked for
