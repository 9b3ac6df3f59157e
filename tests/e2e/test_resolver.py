"""The real glibc resolver sees the block during the period and the old answers after it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.e2e.helpers import blocker_argv, require_namespaces, resolve, run_with_private_hosts

ORIGINAL = "127.0.0.1 localhost\n192.0.2.10 nas.home.example\n"


def test_blocked_names_resolve_to_the_sink_only_while_the_period_is_on(tmp_path: Path) -> None:
    require_namespaces()
    real_hosts = Path("/etc/hosts").read_bytes(), Path("/etc/hosts").stat().st_mtime_ns
    hosts, config, state = tmp_path / "hosts", tmp_path / "blocklist.yaml", tmp_path / "state"
    hosts.write_text(ORIGINAL)
    names = ("alexblog.example.com", "www.instagram.com", "instagram.com", "m.instagram.com")
    before = {name: resolve(hosts, name) for name in names}
    assert resolve(hosts, "nas.home.example") == {"192.0.2.10"}
    # The period ends a few seconds from now: ending a block takes real time passing.
    end = datetime.now().replace(microsecond=0) + timedelta(seconds=4)
    config.write_text(
        f"period:\n  start: 2026-01-01\n  until: {end:%Y-%m-%d %H:%M:%S}\n"
        "profiles:\n  - instagram: alex.example\n"
        "sites:\n  - alexblog.example.com\n  - instagram.com\n"
    )
    # The sandbox keeps the browser policy folders in the test's own folder: only
    # /etc/hosts is the real path, and that is the private file mounted over it.
    run_once = blocker_argv(
        "--sandbox",
        str(tmp_path / "sandbox"),
        "--config",
        str(config),
        "--hosts-file",
        "/etc/hosts",
        "--state-dir",
        str(state),
        "run",
        "--once",
    )

    result = run_with_private_hosts(hosts, *run_once)
    assert result.returncode == 0, result.stderr
    assert hosts.read_text().startswith(ORIGINAL), "the section is appended to the mounted file"
    for name in names:
        assert resolve(hosts, name) == {"0.0.0.0", "::"}, name
    assert resolve(hosts, "nas.home.example") == {"192.0.2.10"}
    assert resolve(hosts, "www.alexblog.example.com") == {"0.0.0.0", "::"}
    assert resolve(hosts, "www.picuki.com") == {"0.0.0.0", "::"}  # an Instagram back door

    time.sleep(max(0.0, end.timestamp() - time.time()) + 0.2)
    result = run_with_private_hosts(hosts, *run_once)
    assert result.returncode == 0, result.stderr
    assert {name: resolve(hosts, name) for name in names} == before
    assert hosts.read_text() == ORIGINAL
    assert not (state / "hosts.before-blocker").exists()
    assert (Path("/etc/hosts").read_bytes(), Path("/etc/hosts").stat().st_mtime_ns) == real_hosts
