"""The hosts-file enforcer on real files in a temporary folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from blocker import atomic
from blocker.enforce.hosts import HostsFile
from blocker.errors import HostsFileError

ORIGINAL = b"\xef\xbb\xbf127.0.0.1 localhost\r\n# caf\xe9 in latin-1\r\n10.0.0.1 nas"


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


def test_the_original_is_backed_up_privately_before_the_first_change(hosts: HostsFile) -> None:
    hosts.reconcile(["alexblog.example.com"])
    assert hosts.backup.read_bytes() == ORIGINAL
    assert stat.S_IMODE(hosts.backup.stat().st_mode) == 0o600
    hosts.reconcile(["alexblog.example.com", "other.example"])
    assert hosts.backup.read_bytes() == ORIGINAL


def test_the_backup_is_removed_once_the_file_is_restored(hosts: HostsFile) -> None:
    hosts.reconcile(["alexblog.example.com"])
    hosts.reconcile([])
    assert not hosts.backup.exists()


def test_the_backup_stays_when_someone_else_edited_the_file_during_the_block(
    hosts: HostsFile,
) -> None:
    hosts.reconcile(["alexblog.example.com"])
    with hosts.path.open("ab") as stream:
        stream.write(b"\r\n192.0.2.1 printer\r\n")
    hosts.reconcile([])
    assert hosts.path.read_bytes().endswith(b"192.0.2.1 printer\r\n")
    assert hosts.backup.read_bytes() == ORIGINAL


def test_the_file_keeps_its_mode_and_no_temporary_file_is_left(hosts: HostsFile) -> None:
    hosts.reconcile(["alexblog.example.com"])
    assert stat.S_IMODE(hosts.path.stat().st_mode) == 0o644
    assert sorted(p.name for p in hosts.path.parent.iterdir()) == ["hosts"]


def test_a_temporary_file_left_by_a_killed_writer_is_cleaned_up(hosts: HostsFile) -> None:
    leftover = hosts.path.parent / ".blocker-tmp-abc123"
    leftover.write_bytes(b"half")
    hosts.reconcile(["alexblog.example.com"])
    assert not leftover.exists()


def test_a_file_that_cannot_be_replaced_is_rewritten_in_place(
    hosts: HostsFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real mount-point case runs in tests/e2e; here rename is made to fail the same way.
    real_atomic_write = atomic.write_atomically

    def busy(path: Path, data: bytes, **options: object) -> None:
        if path == hosts.path:
            raise OSError(16, "Device or resource busy")
        real_atomic_write(path, data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("blocker.enforce.hosts.write_atomically", busy)
    inode = hosts.path.stat().st_ino
    hosts.reconcile(["alexblog.example.com"])
    assert hosts.blocked() == {"alexblog.example.com"}
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL
    assert hosts.path.stat().st_ino == inode


def test_a_missing_hosts_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = HostsFile(tmp_path / "nope" / "hosts", tmp_path / "backup")
    with pytest.raises(HostsFileError, match=r"cannot read .*nope/hosts"):
        missing.reconcile(["alexblog.example.com"])


def test_a_file_that_does_not_keep_what_was_written_is_reported(
    hosts: HostsFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = HostsFile._write

    def rewritten_by_another_program(self: HostsFile, desired: str, current: str) -> None:
        real_write(self, desired, current)
        self.path.write_bytes(ORIGINAL)

    monkeypatch.setattr(HostsFile, "_write", rewritten_by_another_program)
    with pytest.raises(HostsFileError, match="did not keep what blocker wrote"):
        hosts.reconcile(["alexblog.example.com"])
