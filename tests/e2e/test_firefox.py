"""Real Debian Firefox ESR, headless, in a private mount namespace: the policies.json in
its distribution folder (the sandbox's, bind-mounted over the real one) blocks the
profile during the period, lets another through, and is put back byte for byte after.

A page blocked by WebsiteFilter is never requested, so the local server's request log
tells what Firefox loaded. (Firefox's --screenshot waits forever on its block page; the
run is cut short and counts as not loaded.)"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import blocker_argv, local_server, require_namespaces, with_bind_mounts

DISTRIBUTION = "usr/lib/firefox-esr/distribution"
ORIGINAL_POLICIES = b'{"policies": {"DisableAppUpdate": true}}\n'
# Instagram is on Firefox's HSTS preload list; the test profile turns that off so that a
# plain-HTTP local server can stand in for it.
USER_JS = (
    'user_pref("network.stricttransportsecurity.preloadlist", false);\n'
    'user_pref("browser.shell.checkDefaultBrowser", false);\n'
)


@pytest.fixture
def requested() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            data = f"<html><title>{self.path}</title>served {self.path}</html>".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            return

    with local_server(Page) as port:
        yield port, seen


def visit(sandbox: Path, url: str) -> None:
    mounts = [
        (sandbox / "hosts", "/etc/hosts"),
        (sandbox / "root" / DISTRIBUTION, "/" + DISTRIBUTION),
    ]
    profile = Path(tempfile.mkdtemp(prefix="firefox-profile-"))
    (profile / "user.js").write_text(USER_JS)
    try:
        subprocess.run(
            with_bind_mounts(
                mounts,
                "timeout",
                "12",
                "firefox-esr",
                "--headless",
                "--no-remote",
                "--profile",
                str(profile),
                "--screenshot",
                str(profile / "shot.png"),
                url,
            ),
            capture_output=True,
            timeout=60,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_firefox_blocks_the_profile_only_during_the_period(
    tmp_path: Path, requested: tuple[int, list[str]]
) -> None:
    require_namespaces()
    if shutil.which("firefox-esr") is None or not Path("/" + DISTRIBUTION).is_dir():
        pytest.skip("Debian's firefox-esr is needed (scripts/test installs it)")
    port, seen = requested
    end = datetime.now().replace(microsecond=0) + timedelta(seconds=35)
    (tmp_path / "hosts").write_text("127.0.0.1 localhost\n127.0.0.1 www.instagram.com\n")
    (tmp_path / "blocklist.yaml").write_text(
        f"period:\n  start: 2026-01-01\n  until: {end:%Y-%m-%d %H:%M:%S}\n"
        "profiles:\n  - instagram: alex.example\n"
    )
    policies = tmp_path / "root" / DISTRIBUTION / "policies.json"
    policies.parent.mkdir(parents=True)
    policies.write_bytes(ORIGINAL_POLICIES)
    run_once = blocker_argv("--sandbox", str(tmp_path), "run", "--once")
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    assert "alex.example" in policies.read_text()
    assert not (tmp_path / "root/etc/firefox").exists()  # it would hide the distribution file

    visit(tmp_path, f"http://www.instagram.com:{port}/Alex.Example/")
    visit(tmp_path, f"http://www.instagram.com:{port}/someoneelse/")
    assert seen == ["/someoneelse/"]

    time.sleep(max(0.0, end.timestamp() - time.time()) + 0.5)
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    assert policies.read_bytes() == ORIGINAL_POLICIES
    visit(tmp_path, f"http://www.instagram.com:{port}/Alex.Example/")
    assert seen[-1] == "/Alex.Example/"
