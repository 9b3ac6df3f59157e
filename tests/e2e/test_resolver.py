"""The real glibc resolver sees the block during the period and the old answers after it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tests.e2e.namespace import blocker_argv, require_namespaces, resolve, run_with_private_hosts

ORIGINAL = "127.0.0.1 localhost\n192.0.2.10 nas.home.example\n"


def write_block_list(path: Path, start: datetime, days: int) -> None:
    path.write_text(
        f"period:\n  start: {start:%Y-%m-%d %H:%M}\n  days: {days}\n"
        "profiles:\n  - instagram: alex.example\n"
        "sites:\n  - alexblog.example.com\n  - instagram.com\n"
    )


def test_blocked_names_resolve_to_the_sink_only_while_the_period_is_on(tmp_path: Path) -> None:
    require_namespaces()
    real_hosts = Path("/etc/hosts").read_bytes(), Path("/etc/hosts").stat().st_mtime_ns
    hosts, config, state = tmp_path / "hosts", tmp_path / "blocklist.yaml", tmp_path / "state"
    hosts.write_text(ORIGINAL)
    names = ("alexblog.example.com", "www.instagram.com", "instagram.com", "m.instagram.com")
    before = {name: resolve(hosts, name) for name in names}
    assert resolve(hosts, "nas.home.example") == {"192.0.2.10"}
    run_once = blocker_argv(
        "--config",
        str(config),
        "--hosts-file",
        "/etc/hosts",
        "--state-dir",
        str(state),
        "run",
        "--once",
    )

    write_block_list(config, datetime.now() - timedelta(days=1), days=30)
    result = run_with_private_hosts(hosts, *run_once)
    assert result.returncode == 0, result.stderr
    assert "is a mount point; rewriting it in place" in result.stderr
    for name in names:
        assert resolve(hosts, name) == {"0.0.0.0", "::"}, name
    assert resolve(hosts, "nas.home.example") == {"192.0.2.10"}
    assert resolve(hosts, "www.alexblog.example.com") == {"0.0.0.0", "::"}

    write_block_list(config, datetime.now() - timedelta(days=40), days=30)
    result = run_with_private_hosts(hosts, *run_once)
    assert result.returncode == 0, result.stderr
    assert {name: resolve(hosts, name) for name in names} == before
    assert hosts.read_text() == ORIGINAL
    assert not (state / "hosts.before-blocker").exists()
    assert (Path("/etc/hosts").read_bytes(), Path("/etc/hosts").stat().st_mtime_ns) == real_hosts
