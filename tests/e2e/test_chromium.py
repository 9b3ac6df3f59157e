"""Real Debian Chromium, headless, in a private mount namespace with the sandbox's hosts
file and policy folder bind-mounted over the real ones, against a local HTTPS server:
the blocked profile is refused by policy, another profile loads, a blocked site does not
connect; after the period everything is back."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import blocker_argv, local_server, require_namespaces, with_bind_mounts

BLOCKED_BY_POLICY = "Your organization doesn"  # Chromium's page for a URLBlocklist match
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--ignore-certificate-errors",
)


def resolver_rules(port: int) -> str:
    """Instagram's names reach the local server; every other name goes through the
    resolver, and so through the hosts file."""
    return (
        f"--host-resolver-rules=MAP instagram.com 127.0.0.1:{port}, "
        f"MAP *.instagram.com 127.0.0.1:{port}"
    )


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"<html><head><title>{self.path}</title></head><body>served {self.path}</body>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture(scope="module")
def https_server() -> Iterator[int]:
    if shutil.which("chromium") is None or shutil.which("openssl") is None:
        pytest.skip("Debian's chromium and openssl are needed (scripts/test installs them)")
    with tempfile.TemporaryDirectory() as folder:
        key, cert = Path(folder) / "key.pem", Path(folder) / "cert.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        with local_server(Page, tls) as port:
            yield port


def page(sandbox: Path, port: int, url: str) -> str:
    """The DOM Chromium ends up with for `url`, seeing the sandbox's hosts file and policies
    where it looks for the real ones."""
    mounts = [(sandbox / "hosts", "/etc/hosts"), (sandbox / "root/etc/chromium", "/etc/chromium")]
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        result = subprocess.run(
            with_bind_mounts(
                mounts,
                "chromium",
                *CHROMIUM_FLAGS,
                resolver_rules(port),
                f"--user-data-dir={profile}",
                "--dump-dom",
                url,
            ),
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return result.stdout


def test_chromium_refuses_the_profile_and_the_site_only_during_the_period(
    tmp_path: Path, https_server: int
) -> None:
    require_namespaces()
    real_chromium = sorted(str(p) for p in Path("/etc/chromium").rglob("*"))
    end = datetime.now().replace(microsecond=0) + timedelta(seconds=20)
    (tmp_path / "hosts").write_text("127.0.0.1 localhost\n")
    (tmp_path / "blocklist.yaml").write_text(
        f"period:\n  start: 2026-01-01\n  until: {end:%Y-%m-%d %H:%M:%S}\n"
        "profiles:\n  - https://www.instagram.com/alex.example/\n"
        "sites:\n  - alexblog.example.com\n"
    )
    # The bind mount needs the folder to exist; blocker fills in policies/managed itself.
    (tmp_path / "root/etc/chromium").mkdir(parents=True)
    run_once = blocker_argv("--sandbox", str(tmp_path), "run", "--once")
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    assert (tmp_path / "root/etc/chromium/policies/managed/zzz-blocker.json").exists()

    assert BLOCKED_BY_POLICY in page(
        tmp_path, https_server, "https://www.instagram.com/alex.example/"
    )
    assert BLOCKED_BY_POLICY in page(tmp_path, https_server, "https://instagram.com/Alex.Example/")
    assert "served /someoneelse/" in page(
        tmp_path, https_server, "https://www.instagram.com/someoneelse/"
    )
    assert "ERR_CONNECTION_REFUSED" in page(tmp_path, https_server, "https://alexblog.example.com/")

    time.sleep(max(0.0, end.timestamp() - time.time()) + 0.5)
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    assert not (tmp_path / "root/etc/chromium/policies").exists()
    assert "served /alex.example/" in page(
        tmp_path, https_server, "https://www.instagram.com/alex.example/"
    )
    after = page(tmp_path, https_server, "https://alexblog.example.com/")
    assert "ERR_CONNECTION_REFUSED" not in after
    assert "DNS_PROBE" in after  # resolved by nobody now: the hosts file no longer answers
    assert sorted(str(p) for p in Path("/etc/chromium").rglob("*")) == real_chromium
