"""Which questions about "the real system" each set of paths answers yes to."""

from __future__ import annotations

from pathlib import Path

from blocker.system.paths import Paths

SYSTEM = Paths.system()


def test_the_machines_own_paths_are_the_system_in_every_sense() -> None:
    assert SYSTEM.is_system
    assert SYSTEM.hosts_is_system
    assert SYSTEM.is_system_daemon


def test_a_sandbox_is_the_system_in_no_sense(tmp_path: Path) -> None:
    sandbox = Paths.sandbox(tmp_path)
    assert not sandbox.is_system
    assert not sandbox.hosts_is_system
    assert not sandbox.is_system_daemon


def test_a_sandbox_given_the_real_hosts_file_counts_sites_but_acts_on_nothing_else(
    tmp_path: Path,
) -> None:
    sandbox = Paths.sandbox(tmp_path).with_overrides(None, SYSTEM.hosts, None)
    assert sandbox.hosts_is_system  # blocked names lead to this machine's loopback
    assert not sandbox.is_system  # its policy folders are still in the sandbox
    assert not sandbox.is_system_daemon


def test_a_state_folder_of_its_own_makes_another_daemon_on_the_real_files(
    tmp_path: Path,
) -> None:
    elsewhere = SYSTEM.with_overrides(None, None, tmp_path / "state")
    assert elsewhere.is_system
    assert elsewhere.hosts_is_system
    assert not elsewhere.is_system_daemon  # its socket is beside its state, not the machine's


def test_another_hosts_file_leaves_the_daemon_on_the_machines_socket(tmp_path: Path) -> None:
    other_hosts = SYSTEM.with_overrides(tmp_path / "block-list.yaml", tmp_path / "hosts", None)
    assert not other_hosts.is_system
    assert not other_hosts.hosts_is_system
    assert other_hosts.is_system_daemon
