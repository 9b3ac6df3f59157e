"""A real daemon repairs the browsers' policy files as fast as the hosts file: a deleted
Chromium policy file, a deleted policy folder and an edited Firefox policies.json are each
back within a second (the next periodic step would be most of a minute away)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, wait_for

BLOCK_LIST = "period:\n  start: 2026-01-01\n  days: 3000\nprofiles:\n  - instagram: alex.example\n"
CHROMIUM_FILE = "root/etc/chromium/policies/managed/zzz-blocker.json"
FIREFOX_FILE = "root/usr/lib/firefox-esr/distribution/policies.json"
ORIGINAL_FIREFOX = b'{"policies": {"DisableAppUpdate": true}}\n'


def blocks_in_firefox(path: Path) -> bool:
    try:
        policies = json.loads(path.read_bytes()).get("policies", {})
    except (OSError, ValueError):
        return False
    return bool(policies.get("WebsiteFilter", {}).get("Block"))


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    """A daemon whose machine has Chromium and Firefox ESR (on PATH, as the daemon
    decides it) and a Firefox policies.json of the machine's own."""
    programs = tmp_path / "bin"
    programs.mkdir()
    for name in ("chromium", "firefox-esr"):
        (programs / name).write_text("#!/bin/sh\nexit 0\n")
        (programs / name).chmod(0o755)
    sandbox = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    firefox = sandbox.folder / FIREFOX_FILE
    firefox.parent.mkdir(parents=True)
    firefox.write_bytes(ORIGINAL_FIREFOX)
    sandbox.start(env={"PATH": f"{programs}:/usr/bin:/bin"})
    try:
        wait_for((sandbox.folder / CHROMIUM_FILE).exists, 10, "the Chromium policy")
        wait_for(lambda: blocks_in_firefox(firefox), 10, "the Firefox policy")
        yield sandbox
    finally:
        sandbox.kill()


def test_a_deleted_chromium_policy_file_is_back_within_a_second(daemon: SandboxDaemon) -> None:
    policy = daemon.folder / CHROMIUM_FILE
    written = policy.read_bytes()
    for _ in range(3):
        policy.unlink()
        assert wait_for(policy.exists, 5, "the Chromium policy back") < 1.0
        wait_for(lambda: policy.read_bytes() == written, 5, "the whole policy back")


def test_a_deleted_policy_folder_is_back_within_a_second(daemon: SandboxDaemon) -> None:
    policy = daemon.folder / CHROMIUM_FILE
    # Out of its place in one step, then deleted: the daemon repairs while rmtree would
    # still be walking the folder ("Directory not empty" once the file is back).
    gone = daemon.folder / "deleted-policies"
    (daemon.folder / "root/etc/chromium/policies").rename(gone)
    shutil.rmtree(gone)
    assert wait_for(policy.exists, 5, "the Chromium policy back") < 1.0
    policy.unlink()  # the recreated folder is watched again
    assert wait_for(policy.exists, 5, "the Chromium policy back again") < 1.0


def test_an_edited_firefox_policies_json_is_put_back_within_a_second(
    daemon: SandboxDaemon,
) -> None:
    policy = daemon.folder / FIREFOX_FILE
    policy.write_bytes(ORIGINAL_FIREFOX)  # someone takes our block out, in place
    assert wait_for(lambda: blocks_in_firefox(policy), 5, "the Firefox block back") < 1.0
    policy.unlink()
    assert wait_for(lambda: blocks_in_firefox(policy), 5, "the Firefox file back") < 1.0
