"""`blocker service` under --sandbox, as real CLI processes: install, status and uninstall
write and remove the sandbox's copy of the service under DIR/root, say that systemd was
never asked, and leave the real unit folders and the real autostart folder as they were."""

from __future__ import annotations

import os
import pwd
import subprocess
from pathlib import Path

from tests.e2e.helpers import blocker_argv

# A period that has not begun: nothing blocks, so uninstalling needs no daemon's cooldown.
NOT_YET = "period:\n  start: 2099-01-01\n  days: 30\nsites:\n  - alexblog.example.com\n"


def _listing(folder: Path) -> list[str]:
    """Every entry under `folder` with what tells a change: a link's target, a file's size
    and modification time."""
    if not folder.exists():
        return ["absent"]
    entries = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            entries.append(f"{path} -> {path.readlink()}")
        else:
            status = path.lstat()
            entries.append(f"{path} {status.st_size} {status.st_mtime_ns}")
    return entries


def _real_folders(home: Path) -> list[Path]:
    account_home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    return [
        Path("/etc/systemd/system"),
        Path("/lib/systemd/system"),
        account_home / ".config" / "autostart",
        home / ".config" / "autostart",
    ]


def _service(sandbox: Path, home: Path, action: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SUDO_USER"}
    return subprocess.run(
        blocker_argv("--sandbox", str(sandbox), "service", action),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**env, "HOME": str(home)},
    )


def test_service_install_status_and_uninstall_under_a_sandbox_stay_in_the_sandbox(
    tmp_path: Path,
) -> None:
    sandbox, home = tmp_path / "sandbox", tmp_path / "home"
    sandbox.mkdir()
    home.mkdir()
    (sandbox / "blocklist.yaml").write_text(NOT_YET)
    before = {folder: _listing(folder) for folder in _real_folders(home)}
    account_home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    unit = sandbox / "root/etc/systemd/system/blocker.service"
    autostart = sandbox / "root" / account_home.relative_to("/") / ".config/autostart"
    entry = autostart / "blocker-tray.desktop"

    installed = _service(sandbox, home, "install")
    assert installed.returncode == 0, installed.stderr
    assert f"wrote {unit}" in installed.stdout
    assert f"wrote {entry}" in installed.stdout
    assert "nothing was registered with the real systemd (no systemctl call)" in installed.stdout
    assert f"--sandbox {sandbox} daemon" in unit.read_text()
    assert f"--sandbox {sandbox} tray" in entry.read_text()

    status = _service(sandbox, home, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines() == [
        f"installed: {unit}",
        f"installed: {entry}",
        "(the sandbox's copy: nothing of it is registered with systemd)",
    ]

    removed = _service(sandbox, home, "uninstall")
    assert removed.returncode == 0, removed.stderr
    assert f"removed {unit}" in removed.stdout
    assert f"removed {entry}" in removed.stdout
    assert not unit.exists()
    assert not entry.exists()
    after_status = _service(sandbox, home, "status")
    assert after_status.stdout.strip() == (
        f"blocker is not installed as a service in the sandbox {sandbox}"
    )

    assert {folder: _listing(folder) for folder in _real_folders(home)} == before
