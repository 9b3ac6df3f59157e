"""Service files rendered from the templates and installed into a sandbox."""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest

from blocker.errors import BlockerError
from blocker.system.paths import Paths
from blocker.system.service import (
    LinuxService,
    daemon_argv,
    render_autostart,
    render_systemd_unit,
    tray_argv,
    verify_unit,
)

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
