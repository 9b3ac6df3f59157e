"""Real Debian Chromium, headless, in a private mount namespace with the sandbox's hosts
file and policy folder bind-mounted over the real ones, against a local HTTPS server:
the blocked profile is refused by policy, another profile loads, a blocked site does not
connect; after the period everything is back.

The oracles are what blocker caused, never the wording of Chromium's error pages: the net
error each navigation ended with (Chromium's own codes), the requests that reached the
local server, and the policy file on disk."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.devtools import Navigation, chromium
from tests.e2e.fake_site import FakeSite, fake_site
from tests.e2e.helpers import blocker_argv, require_namespaces, with_bind_mounts


@pytest.fixture(scope="module")
def instagram() -> Iterator[FakeSite]:
    with fake_site() as site:
        yield site


def visit(
    sandbox: Path, site: FakeSite, *urls: str, served: tuple[str, ...] = ("instagram.com",)
) -> list[Navigation]:
    """How each navigation ended, in one Chromium that sees the sandbox's hosts file and
    policies where it looks for the real ones, with the `served` sites on `site`."""
    mounts = [(sandbox / "hosts", "/etc/hosts"), (sandbox / "root/etc/chromium", "/etc/chromium")]
    with chromium(with_bind_mounts(mounts), site.resolver_rules(*served)) as browser:
        return [browser.navigate(url) for url in urls]


def test_chromium_refuses_the_profile_and_the_site_only_during_the_period(
    tmp_path: Path, instagram: FakeSite
) -> None:
    require_namespaces()
    real_chromium = sorted(str(p) for p in Path("/etc/chromium").rglob("*"))
    end = datetime.now().replace(microsecond=0) + timedelta(seconds=25)
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

    instagram.forget()
    profile, capitals, someone_else, blog = visit(
        tmp_path,
        instagram,
        "https://www.instagram.com/alex.example/",
        "https://instagram.com/Alex.Example/",
        "https://www.instagram.com/someoneelse/",
        "https://alexblog.example.com/",
    )
    assert profile.refused_by_policy
    assert capitals.refused_by_policy
    assert someone_else.error == ""  # the control: the same site, another profile, loads
    assert instagram.seen() == ["/someoneelse/"]  # the blocked pages were never requested
    # The hosts file sends the blocked site to 0.0.0.0, where nothing answers; the name
    # itself is known (before and after the block it resolves to nothing at all).
    assert blog.error not in ("", "net::ERR_NAME_NOT_RESOLVED")

    time.sleep(max(0.0, end.timestamp() - time.time()) + 0.5)
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    assert not (tmp_path / "root/etc/chromium/policies").exists()
    instagram.forget()
    profile_after, blog_after = visit(
        tmp_path,
        instagram,
        "https://www.instagram.com/alex.example/",
        "https://alexblog.example.com/",
    )
    assert profile_after.error == ""
    assert instagram.seen() == ["/alex.example/"]
    assert blog_after.error == "net::ERR_NAME_NOT_RESOLVED"  # the hosts file no longer answers
    assert sorted(str(p) for p in Path("/etc/chromium").rglob("*")) == real_chromium


def _sandbox_listing(folder: Path, *profiles: str) -> None:
    """A sandbox whose list blocks `profiles` through a long period, hosts untouched."""
    (folder / "hosts").write_text("127.0.0.1 localhost\n")
    (folder / "blocklist.yaml").write_text(
        "period:\n  start: 2026-01-01\n  days: 3000\nprofiles:\n"
        + "".join(f"  - {profile}\n" for profile in profiles)
    )


def test_an_allowlist_in_another_policy_file_does_not_open_the_profile(
    tmp_path: Path, instagram: FakeSite
) -> None:
    require_namespaces()
    _sandbox_listing(tmp_path, "https://www.instagram.com/alex.example/")
    managed = tmp_path / "root/etc/chromium/policies/managed"
    managed.mkdir(parents=True)
    # Chromium lets an allowed address win over an equally specific blocked one.
    (managed / "aaa-allow.json").write_text(
        '{"URLAllowlist": ["instagram.com/alex.example", "docs.example.org"]}\n'
    )
    run_once = blocker_argv("--sandbox", str(tmp_path), "run", "--once")
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    ours = json.loads((managed / "zzz-blocker.json").read_text())
    assert ours["URLAllowlist"] == ["docs.example.org"]  # theirs, less what opens the profile
    instagram.forget()
    profile, someone_else = visit(
        tmp_path,
        instagram,
        "https://www.instagram.com/alex.example/",
        "https://www.instagram.com/someoneelse/",
    )
    assert profile.refused_by_policy
    assert someone_else.error == ""
    assert instagram.seen() == ["/someoneelse/"]


def test_the_spelling_pasted_with_capitals_is_refused_as_written(
    tmp_path: Path, instagram: FakeSite
) -> None:
    """Chromium compares paths with their capitals: the lower-case form and its usual
    variants alone would let `/JordanLee92/`, the spelling the link carried, through."""
    require_namespaces()
    (tmp_path / "hosts").write_text("127.0.0.1 localhost\n")
    (tmp_path / "blocklist.yaml").write_text(
        "period:\n  start: 2026-01-01\n  days: 3000\nprofiles:\n"
    )
    (tmp_path / "root/etc/chromium").mkdir(parents=True)
    sandbox = ("--sandbox", str(tmp_path))
    add = blocker_argv(*sandbox, "add", "https://www.instagram.com/JordanLee92/?igsh=abc")
    assert subprocess.run(add, capture_output=True, timeout=60, check=False).returncode == 0
    assert "  - instagram: JordanLee92\n" in (tmp_path / "blocklist.yaml").read_text()
    run_once = blocker_argv(*sandbox, "run", "--once")
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    instagram.forget()
    pasted, lower, someone_else = visit(
        tmp_path,
        instagram,
        "https://www.instagram.com/JordanLee92/",
        "https://www.instagram.com/jordanlee92/",
        "https://www.instagram.com/someoneelse/",
    )
    assert pasted.refused_by_policy
    assert lower.refused_by_policy
    assert someone_else.error == ""
    assert instagram.seen() == ["/someoneelse/"]


def test_a_facebook_message_thread_is_refused_on_messenger_com_too(
    tmp_path: Path, instagram: FakeSite
) -> None:
    """The same thread opens at facebook.com/messages/t/ID and messenger.com/t/ID."""
    require_namespaces()
    _sandbox_listing(tmp_path, "https://www.facebook.com/messages/t/100000000000001")
    (tmp_path / "root/etc/chromium").mkdir(parents=True)
    run_once = blocker_argv("--sandbox", str(tmp_path), "run", "--once")
    assert subprocess.run(run_once, capture_output=True, timeout=60, check=False).returncode == 0
    instagram.forget()
    on_facebook, on_messenger, another_thread = visit(
        tmp_path,
        instagram,
        "https://www.facebook.com/messages/t/100000000000001",
        "https://www.messenger.com/t/100000000000001/",
        "https://www.messenger.com/t/200000000000002/",
        served=("facebook.com", "messenger.com"),
    )
    assert on_facebook.refused_by_policy
    assert on_messenger.refused_by_policy
    assert another_thread.error == ""
    assert instagram.seen() == ["/t/200000000000002/"]
