"""A real daemon whose state file is deleted, damaged or edited while an unblock waits:
after a restart the site stays blocked and a fresh cooldown starts (the machine is the
witness), said in `status` and by an event."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, sandbox_daemon, wait_for

SITE = "alexphotos.example.org"
LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    f"sites:\n  - alexblog.example.com\n  - {SITE}\n"
    "pause:\n  cooldown: 3s\n"
)


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path, LIST) as running:
        yield running


def _deleted(state: Path) -> None:
    state.unlink()


def _garbage(state: Path) -> None:
    state.write_bytes(b"\x00garbage{")


def _unknown_version(state: Path) -> None:
    state.write_text(json.dumps({**json.loads(state.read_text()), "version": 3}))


def _matures_in_the_past(state: Path) -> None:
    data = json.loads(state.read_text())
    for request in data["state"]["gate"]["pending"]:
        request["matures_at"] = "2026-01-01T00:00:00+00:00"
    state.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "lose",
    [_deleted, _garbage, _unknown_version, _matures_in_the_past],
    ids=["deleted", "garbage", "unknown-version", "matures-in-the-past"],
)
def test_a_lost_state_file_never_applies_a_waiting_unblock(
    daemon: SandboxDaemon, lose: Callable[[Path], None]
) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    removed = daemon.cli("remove", "--site", SITE)
    assert removed.returncode == 0, removed.stderr
    daemon.kill()  # as `sudo kill -9`, then the state goes
    for name in ("state.json", "state.json.copy"):  # the state and its copy both
        lose(daemon.folder / "state" / name)
    restarted_at = time.time()
    daemon.start()
    time.sleep(4)  # longer than the block list's own 3 s cooldown
    assert SITE in daemon.blocked()
    held = daemon.status()["held"]
    assert held is not None
    assert SITE in held["domains"]
    # A fresh cooldown of at least the default 15 minutes from the restart.
    until = datetime.fromisoformat(held["until"]).timestamp()
    assert until - restarted_at >= 15 * 60 - 5
    assert "stays blocked until" in daemon.cli("status").stdout
    assert "daemon: state" in daemon.cli("doctor").stdout
    assert "holds the block as it found it" in daemon.cli("pause").stderr
    assert "alexblog.example.com" in daemon.blocked()


def _section_removed_by_hand(daemon: SandboxDaemon) -> None:
    hosts = daemon.folder / "hosts"
    hosts.write_text(hosts.read_text().split("# >>> blocker")[0])


def test_a_broken_list_and_a_deleted_state_still_start_a_daemon_that_holds_the_block(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    daemon.kill()
    for name in ("state.json", "state.json.copy"):
        (daemon.folder / "state" / name).unlink()
    listed = daemon.folder / "blocklist.yaml"
    listed.write_text(listed.read_text() + "garbage: [\n")  # a YAML syntax error
    daemon.start()
    assert daemon.process is not None
    assert daemon.process.poll() is None
    assert daemon.status()["held"] is not None
    _section_removed_by_hand(daemon)
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the section repaired")
    assert "blocklist.yaml:" in daemon.cli("status").stdout  # the list's mistake, with its line
    listed.write_text(LIST)  # mended: taken in, and the block is the list's again
    wait_for(lambda: daemon.status()["truth"]["rejected"] is None, timeout=10, what="mended")
    assert SITE in daemon.blocked()


@pytest.mark.skipif(os.geteuid() != 0, reason="a host name of its own needs root (unshare -u)")
def test_renaming_the_computer_after_a_listed_site_leaves_the_daemon_repairing(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    daemon.kill()
    # As `sudo hostnamectl set-hostname alexphotos.example.org`, in a UTS namespace.
    renamed = ("unshare", "--uts", "sh", "-c", f'hostname {SITE} && exec "$0" "$@"')
    daemon.start(wrapper=renamed)
    _section_removed_by_hand(daemon)
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the section repaired")
    assert daemon.process is not None
    assert daemon.process.poll() is None
    daemon.kill()
    for name in ("state.json", "state.json.copy"):  # and with its state deleted too
        (daemon.folder / "state" / name).unlink()
    daemon.start(wrapper=renamed)
    _section_removed_by_hand(daemon)
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the section repaired")
    assert daemon.status()["truth"]["mode"] == "blocking"  # by the list itself, as it reads
