"""The hosts-file enforcer on real files in a temporary folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from blocker.enforce.hosts import HostsFile
from blocker.errors import HostsFileError
from blocker.hosts import hostsio

ORIGINAL = b"\xef\xbb\xbf127.0.0.1 localhost\r\n# caf\xe9 in latin-1\r\n10.0.0.1 nas\r\n"


@pytest.fixture
def hosts(tmp_path: Path) -> HostsFile:
    path = tmp_path / "etc" / "hosts"
    path.parent.mkdir()
    path.write_bytes(ORIGINAL)
    path.chmod(0o644)
    return HostsFile(path, tmp_path / "state" / "hosts.before-blocker")


def test_blocking_then_unblocking_leaves_the_file_byte_identical(hosts: HostsFile) -> None:
    assert hosts.reconcile(["alexblog.example.com"]).changed
    assert hosts.blocked() == {"alexblog.example.com"}
    assert hosts.reconcile([]).changed
    assert hosts.path.read_bytes() == ORIGINAL


def test_reconciling_twice_changes_nothing_the_second_time(hosts: HostsFile) -> None:
    hosts.reconcile(["alexblog.example.com"])
    written = hosts.path.stat().st_mtime_ns, hosts.path.stat().st_ino
    assert not hosts.reconcile(["alexblog.example.com"]).changed
    assert (hosts.path.stat().st_mtime_ns, hosts.path.stat().st_ino) == written


def section_moved_into_the_middle(hosts: HostsFile) -> bytes:
    """Block, then a line of someone else's after our section: the next change of the
    section has to rewrite the person's lines. Returns the file as it was then."""
    hosts.reconcile(["alexblog.example.com"])
    with hosts.path.open("ab") as stream:
        stream.write(b"\r\n192.0.2.1 printer\r\n")
    return hosts.path.read_bytes()


def test_appending_and_cutting_the_section_keep_no_copy_of_the_persons_file(
    hosts: HostsFile,
) -> None:
    hosts.reconcile(["alexblog.example.com"])
    hosts.reconcile(["alexblog.example.com", "other.example"])
    hosts.reconcile([])
    assert list(hosts.backup.parent.iterdir()) == []


def test_a_private_copy_is_kept_before_the_persons_lines_are_rewritten(hosts: HostsFile) -> None:
    before_rewrite = section_moved_into_the_middle(hosts)
    hosts.reconcile(["alexblog.example.com", "other.example"])
    assert hosts.backup.read_bytes() == before_rewrite
    assert stat.S_IMODE(hosts.backup.stat().st_mode) == 0o600
    hosts.reconcile(["other.example"])
    assert hosts.backup.read_bytes() == before_rewrite, "the first copy is the one kept"


def test_the_copy_is_removed_once_the_file_is_restored(hosts: HostsFile) -> None:
    section_moved_into_the_middle(hosts)
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL + b"\r\n192.0.2.1 printer\r\n"
    assert not hosts.backup.exists()


def test_the_copy_stays_when_someone_else_edited_the_file_after_it_was_taken(
    hosts: HostsFile,
) -> None:
    before_rewrite = section_moved_into_the_middle(hosts)
    hosts.reconcile(["other.example"])
    hosts.path.write_bytes(hosts.path.read_bytes().replace(b"10.0.0.1 nas", b"10.0.0.2 nas"))
    hosts.reconcile([])
    assert b"10.0.0.2 nas" in hosts.path.read_bytes()
    assert hosts.backup.read_bytes() == before_rewrite


def test_the_file_keeps_its_mode_and_no_temporary_file_is_left(hosts: HostsFile) -> None:
    hosts.reconcile(["alexblog.example.com"])
    assert stat.S_IMODE(hosts.path.stat().st_mode) == 0o644
    assert sorted(p.name for p in hosts.path.parent.iterdir()) == ["hosts"]


def test_a_temporary_file_left_by_a_killed_writer_is_cleaned_up(hosts: HostsFile) -> None:
    leftover = hosts.path.parent / ".blocker-tmp-abc123"
    leftover.write_bytes(b"half")
    hosts.reconcile(["alexblog.example.com"])
    assert not leftover.exists()


def test_a_block_is_appended_and_cut_off_in_place_keeping_the_file_itself(
    hosts: HostsFile,
) -> None:
    before = hosts.path.stat()
    hosts.reconcile(["alexblog.example.com"])
    during = hosts.path.stat()
    assert (during.st_ino, during.st_mode) == (before.st_ino, before.st_mode)
    assert hosts.path.read_bytes().startswith(ORIGINAL)
    hosts.reconcile([])
    assert hosts.path.stat().st_ino == before.st_ino
    assert hosts.path.read_bytes() == ORIGINAL


def test_a_file_that_cannot_be_replaced_is_rewritten_in_place(
    hosts: HostsFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real mount-point case runs in tests/e2e; here rename is made to fail the same way.
    real_replace = Path.replace

    def busy(self: Path, target: Path) -> Path:
        if Path(target) == hosts.path:
            raise OSError(16, "Device or resource busy")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", busy)
    inode = hosts.path.stat().st_ino
    hosts.reconcile(["alexblog.example.com"])
    # A line added after our section means ending the block rewrites what follows it.
    with hosts.path.open("ab") as stream:
        stream.write(b"\r\n192.0.2.1 printer\r\n")
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL + b"\r\n192.0.2.1 printer\r\n"
    assert hosts.path.stat().st_ino == inode


def test_a_file_changed_between_reading_and_writing_is_reported_and_left_to_the_next_try(
    hosts: HostsFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scan = hostsio.scan

    def scan_then_someone_appends(*arguments: Any) -> Any:
        found = real_scan(*arguments)
        with hosts.path.open("ab") as stream:
            stream.write(b"\r\n192.0.2.1 printer")
        return found

    monkeypatch.setattr(hostsio, "scan", scan_then_someone_appends)
    with pytest.raises(HostsFileError, match="did not keep what blocker wrote"):
        hosts.reconcile(["alexblog.example.com"])
    monkeypatch.undo()
    assert hosts.path.read_bytes() == ORIGINAL + b"\r\n192.0.2.1 printer"


def test_a_missing_hosts_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = HostsFile(tmp_path / "nope" / "hosts", tmp_path / "backup")
    with pytest.raises(HostsFileError, match=r"cannot read .*nope/hosts"):
        missing.reconcile(["alexblog.example.com"])


def test_a_file_that_does_not_keep_what_was_written_is_reported(
    hosts: HostsFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def rewritten_by_another_program(descriptor: int) -> None:
        real_fsync(descriptor)
        hosts.path.write_bytes(ORIGINAL)

    monkeypatch.setattr("blocker.enforce.hostswrite.os.fsync", rewritten_by_another_program)
    with pytest.raises(HostsFileError, match="did not keep what blocker wrote"):
        hosts.reconcile(["alexblog.example.com"])
