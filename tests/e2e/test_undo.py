"""Taking back a fresh addition at once, through the real CLI and a real daemon process in
a sandbox: the hosts file and the browsers' policy files are as they were, and the
obvious ways to make a loosening of it (remove and re-add, another page form, a restart,
a deleted state file) still wait. The window is the list's cooldown where that is
shorter than five minutes, which lets these tests see it end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, wait_for

OLD_SITE = "alexblog.example.com"
FB_ID = "facebook.com/profile.php?id=100012345678"
CHROMIUM = Path("root/etc/chromium/policies/managed/zzz-blocker.json")
FIREFOX = Path("root/etc/firefox/policies/policies.json")


def block_list(cooldown: str, profiles: str = "") -> str:
    return (
        f"period:\n  start: 2026-01-01\n  days: 3000\nprofiles:\n{profiles}"
        f"sites:\n  - {OLD_SITE}\npause:\n  cooldown: {cooldown}\n"
    )


def files(daemon: SandboxDaemon) -> dict[str, bytes]:
    """The hosts file and blocker's policy files, as they are now."""
    return {
        str(name): (daemon.folder / name).read_bytes()
        for name in (Path("hosts"), CHROMIUM, FIREFOX)
        if (daemon.folder / name).exists()
    }


def started(folder: Path, cooldown: str, profiles: str = "") -> SandboxDaemon:
    daemon = SandboxDaemon(folder, block_list(cooldown, profiles))
    daemon.start()
    wait_for(lambda: OLD_SITE in daemon.blocked(), timeout=10, what="the block")
    return daemon


@pytest.fixture
def slow(tmp_path: Path) -> Iterator[SandboxDaemon]:
    """A daemon whose window (its cooldown, 30 s) outlasts what a test does in it."""
    daemon = started(tmp_path, "30s")
    yield daemon
    if daemon.process is not None and daemon.process.poll() is None:
        daemon.kill()


def ok(daemon: SandboxDaemon, *args: str) -> str:
    result = daemon.cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_profile_added_by_mistake_comes_off_at_once_and_the_files_are_as_before(
    slow: SandboxDaemon,
) -> None:
    before = files(slow)
    added = ok(slow, "add", "instagram:jordan.lee.92")
    assert "Added by mistake? `blocker --sandbox" in added
    assert " remove instagram:jordan.lee.92` takes it back at once until " in added
    assert b"instagram.com/jordan.lee.92" in (slow.folder / CHROMIUM).read_bytes()
    removed = ok(slow, "remove", "instagram:jordan.lee.92")
    assert "at once" in removed
    assert files(slow) == before
    assert slow.status()["pause"]["pending"] == []


def test_an_old_entry_removed_re_added_and_removed_again_still_waits(
    slow: SandboxDaemon,
) -> None:
    assert "after the cooldown" in ok(slow, "remove", "--site", OLD_SITE)
    added = ok(slow, "add", "--site", OLD_SITE)
    assert "Added by mistake?" not in added
    assert "after the cooldown" in ok(slow, "remove", "--site", OLD_SITE)
    assert OLD_SITE in slow.blocked()


def test_another_page_form_of_an_old_profile_does_not_take_the_old_form_off_at_once(
    tmp_path: Path,
) -> None:
    daemon = started(tmp_path, "30s", profiles=f"  - {FB_ID}\n")
    try:
        assert "Added by mistake?" in ok(daemon, "add", "facebook:100012345678")
        assert "after the cooldown" in ok(daemon, "remove", "facebook:100012345678")
        policy = (daemon.folder / CHROMIUM).read_bytes()
        assert FB_ID.encode() in policy
        assert b'"facebook.com/100012345678"' not in policy  # the fresh form went at once
    finally:
        daemon.kill()


def test_a_file_edit_that_adds_and_one_that_takes_it_off_in_the_window_apply_at_once(
    slow: SandboxDaemon,
) -> None:
    listed = slow.folder / "blocklist.yaml"
    before, text = files(slow), listed.read_text()
    listed.write_text(text.replace("sites:\n", "sites:\n  - newsite.example.net\n"))
    wait_for(lambda: "newsite.example.net" in slow.blocked(), timeout=10, what="the addition")
    listed.write_text(text)
    wait_for(lambda: "newsite.example.net" not in slow.blocked(), timeout=10, what="the undo")
    assert slow.status()["pause"]["pending"] == []
    assert files(slow) == before


def test_after_the_window_a_removal_waits_and_a_restart_does_not_lengthen_it(
    tmp_path: Path,
) -> None:
    daemon = started(tmp_path, "6s")
    try:
        added_at = time.monotonic()
        assert "Added by mistake?" in ok(daemon, "add", "instagram:jordan.lee.92")
        daemon.kill()  # the window goes on running while the daemon is down
        time.sleep(max(0.0, 6.5 - (time.monotonic() - added_at)))
        daemon.start()
        assert "after the cooldown" in ok(daemon, "remove", "instagram:jordan.lee.92")
        assert b"instagram.com/jordan.lee.92" in (daemon.folder / CHROMIUM).read_bytes()
    finally:
        daemon.kill()


def test_with_the_state_file_deleted_nothing_is_fresh(slow: SandboxDaemon) -> None:
    assert "Added by mistake?" in ok(slow, "add", "instagram:jordan.lee.92")
    slow.kill()
    (slow.folder / "state" / "state.json").unlink()
    slow.start()
    assert "after the cooldown" in ok(slow, "remove", "instagram:jordan.lee.92")
    assert b"instagram.com/jordan.lee.92" in (slow.folder / CHROMIUM).read_bytes()


def test_a_profile_taken_back_at_once_is_not_held_after_a_restart(slow: SandboxDaemon) -> None:
    """Firefox's record of blocker's patterns keeps every one it added; the one taken
    back blocks nothing and, after a restart, witnesses nothing either."""
    before = files(slow)
    ok(slow, "add", "instagram:jordan.lee.29")
    ok(slow, "remove", "instagram:jordan.lee.29")
    wait_for(lambda: files(slow) == before, timeout=10, what="the files as before")
    slow.stop()  # as the service stops: SIGTERM
    slow.start()
    assert slow.status()["held"] is None
    assert files(slow) == before
