"""Counting a blocked site asked for, end to end: in a network and mount namespace of its
own (so port 443 on loopback is free and /etc/hosts is ours), a real daemon blocks a site,
a TLS client asks for it, and the daemon logs the attempt as an urge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blocker.daemon.urgelog import UrgeLog
from tests.e2e.helpers import blocker_argv, require_namespaces, with_bind_mounts

DRIVER = """
import contextlib, socket, ssl, subprocess, sys, time
from pathlib import Path
from blocker.hosts.hoststext import blocked_names
from blocker.daemon.urgelog import UrgeLog
sandbox = Path(sys.argv[1])
daemon = subprocess.Popen(sys.argv[2:], stderr=subprocess.DEVNULL)
try:
    deadline = time.monotonic() + 15
    while not blocked_names(Path("/etc/hosts").read_text()):
        assert time.monotonic() < deadline, "no block"
        time.sleep(0.05)
    time.sleep(0.5)  # the listener starts with the loop
    context = ssl.create_default_context()
    for _ in range(3):  # a browser tries more than once: counted once
        with contextlib.suppress(OSError):
            with socket.create_connection(("alexblog.example.com", 443), timeout=5) as raw:
                context.wrap_socket(raw, server_hostname="alexblog.example.com")
    log = UrgeLog(sandbox / "state" / "urges.sqlite")
    while not [e for e in log.entries() if e.detail.get("layer") == "site"]:
        assert time.monotonic() < deadline + 10, "no urge logged"
        time.sleep(0.1)
    time.sleep(0.5)
    print(len([e for e in log.entries() if e.detail.get("layer") == "site"]))
    log.close()
finally:
    daemon.terminate()
    daemon.wait(10)
"""


def test_a_blocked_site_asked_for_is_logged_once_as_an_urge(tmp_path: Path) -> None:
    require_namespaces()
    (tmp_path / "hosts").write_text("127.0.0.1 localhost\n")
    (tmp_path / "blocklist.yaml").write_text(
        "period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - alexblog.example.com\n"
    )
    daemon = blocker_argv("--sandbox", str(tmp_path), "--hosts-file", "/etc/hosts", "daemon")
    result = subprocess.run(
        with_bind_mounts(
            [(tmp_path / "hosts", "/etc/hosts")],
            sys.executable,
            "-c",
            DRIVER,
            str(tmp_path),
            *daemon,
            private_network=True,
        ),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    log = UrgeLog(tmp_path / "state" / "urges.sqlite")
    (attempt,) = [e for e in log.entries() if e.detail.get("layer") == "site"]
    log.close()
    assert attempt.kind == "urge"
    assert attempt.detail["site"] == "alexblog.example.com"


ASK_FOR = """
import contextlib, socket, ssl, sys
with contextlib.suppress(OSError):
    with socket.create_connection(("127.0.0.1", 443), timeout=5) as raw:
        ssl.create_default_context().wrap_socket(raw, server_hostname=sys.argv[1])
"""

# Another account asks for one blocked site, root for another; the daemon is asked to
# count only the person's (here: root's) programs.
DRIVER_TWO_USERS = """
import json, subprocess, sys, time
from pathlib import Path
from blocker.hosts.hoststext import blocked_names
from blocker.daemon.urgelog import UrgeLog
sandbox, ask_for = Path(sys.argv[1]), sys.argv[2]
daemon = subprocess.Popen(sys.argv[3:], stderr=subprocess.DEVNULL)
try:
    deadline = time.monotonic() + 15
    while not blocked_names(Path("/etc/hosts").read_text()):
        assert time.monotonic() < deadline, "no block"
        time.sleep(0.05)
    time.sleep(0.5)  # the listener starts with the loop
    as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    subprocess.run([*as_nobody, sys.executable, "-c", ask_for, "alexshop.example.com"], check=True)
    subprocess.run([sys.executable, "-c", ask_for, "alexblog.example.com"], check=True)
    log = UrgeLog(sandbox / "state" / "urges.sqlite")
    def sites():
        return [e.detail["site"] for e in log.entries() if e.detail.get("layer") == "site"]
    while not sites():
        assert time.monotonic() < deadline + 10, "no urge logged"
        time.sleep(0.1)
    time.sleep(0.5)
    print(json.dumps(sites()))
    log.close()
finally:
    daemon.terminate()
    daemon.wait(10)
"""


def test_a_site_asked_for_by_another_account_is_not_counted_and_one_by_root_is(
    tmp_path: Path,
) -> None:
    require_namespaces()
    if shutil.which("setpriv") is None:
        pytest.skip("switching to another user needs setpriv")
    (tmp_path / "hosts").write_text("127.0.0.1 localhost\n")
    (tmp_path / "blocklist.yaml").write_text(
        "period:\n  start: 2026-01-01\n  days: 3000\n"
        "sites:\n  - alexblog.example.com\n  - alexshop.example.com\n"
    )
    daemon = blocker_argv("--sandbox", str(tmp_path), "--hosts-file", "/etc/hosts", "daemon")
    result = subprocess.run(
        with_bind_mounts(
            [(tmp_path / "hosts", "/etc/hosts")],
            sys.executable,
            "-c",
            DRIVER_TWO_USERS,
            str(tmp_path),
            ASK_FOR,
            *daemon,
            private_network=True,
        ),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["alexblog.example.com"]
