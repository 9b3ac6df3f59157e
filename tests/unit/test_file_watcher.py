"""The file watcher against the real kernel's inotify: what wakes it and what does not,
and how its watches follow folders that come and go."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from blocker.watch.files import SAFETY_NET_SECONDS, FileWatcher, folders_to_watch

IN_ACCESS, IN_CLOSE_NOWRITE, IN_OPEN = 0x01, 0x10, 0x20


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self, timeout: float = 2.0) -> bool:
        called = self.event.wait(timeout)
        self.event.clear()
        return called


@pytest.fixture
def calls() -> Calls:
    return Calls()


Start = Callable[..., FileWatcher]


@pytest.fixture
def start(calls: Calls) -> Iterator[Start]:
    """Starts a watcher of the given files that counts its calls; stops it after."""
    started: list[FileWatcher] = []

    def begin(paths: list[Path], root: Path = Path("/")) -> FileWatcher:
        watcher = FileWatcher(paths, calls, root)
        watcher.start()
        started.append(watcher)
        return watcher

    yield begin
    for watcher in started:
        watcher.stop()


def inotify_masks() -> list[int]:
    """The event mask of every inotify watch this process holds, as the kernel has it."""
    masks = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            if str(fd.readlink()) != "anon_inode:inotify":
                continue
            info = Path(f"/proc/self/fdinfo/{fd.name}").read_text()
        except OSError:
            continue
        for line in info.splitlines():
            if line.startswith("inotify "):
                fields = dict(f.split(":", 1) for f in line.split()[1:])
                masks.append(int(fields["mask"], 16))
    return masks


def test_the_kernel_is_asked_only_for_changes_never_for_opens_reads_or_read_only_closes(
    tmp_path: Path, start: Start
) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n")
    start([hosts])
    masks = inotify_masks()
    assert masks
    assert all(mask & (IN_ACCESS | IN_OPEN | IN_CLOSE_NOWRITE) == 0 for mask in masks)


def test_a_read_of_a_watched_file_does_not_call_on_change_and_a_write_does(
    tmp_path: Path, start: Start, calls: Calls
) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n")
    neighbour = tmp_path / "resolv.conf"
    neighbour.write_text("nameserver 127.0.0.53\n")
    start([hosts])
    for _ in range(200):
        hosts.read_bytes()
        neighbour.read_bytes()
    assert not calls.wait(0.3)
    hosts.write_text("127.0.0.1 localhost\n# edited\n")
    assert calls.wait()


def test_a_write_to_another_file_in_the_folder_does_not_call_on_change(
    tmp_path: Path, start: Start, calls: Calls
) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n")
    start([hosts])
    (tmp_path / "resolv.conf").write_text("nameserver 127.0.0.53\n")
    assert not calls.wait(0.3)


def test_a_file_whose_folders_do_not_exist_yet_is_noticed_when_it_is_written(
    tmp_path: Path, start: Start, calls: Calls
) -> None:
    policy = tmp_path / "etc/chromium/policies/managed/zzz-blocker.json"
    watcher = start([policy], root=tmp_path)
    assert watcher.watched_folders == {tmp_path}
    policy.parent.mkdir(parents=True)
    assert calls.wait()
    assert watcher.changed()  # the new folders get watches of their own
    assert policy.parent in watcher.watched_folders
    policy.write_text("{}\n")
    assert calls.wait()
    assert watcher.changed()


def test_a_removed_folder_is_noticed_and_watched_again_once_it_is_back(
    tmp_path: Path, start: Start, calls: Calls
) -> None:
    policy = tmp_path / "etc/chromium/policies/managed/zzz-blocker.json"
    policy.parent.mkdir(parents=True)
    policy.write_text("{}\n")
    watcher = start([policy], root=tmp_path)
    shutil.rmtree(tmp_path / "etc/chromium/policies")
    assert calls.wait()
    assert watcher.changed()
    assert policy.parent not in watcher.watched_folders
    policy.parent.mkdir(parents=True)
    policy.write_text("{}\n")
    deadline = time.monotonic() + 2
    while policy.parent not in watcher.watched_folders and time.monotonic() < deadline:
        calls.wait(0.1)
        watcher.changed()
    assert policy.parent in watcher.watched_folders
    calls.event.clear()
    policy.unlink()  # in the new folder, under its new watch
    assert calls.wait()


def test_a_moved_parent_folder_is_noticed(tmp_path: Path, start: Start, calls: Calls) -> None:
    policy = tmp_path / "root/etc/chromium/policies/managed/zzz-blocker.json"
    policy.parent.mkdir(parents=True)
    policy.write_text("{}\n")
    start([policy], root=tmp_path / "root")
    (tmp_path / "root/etc/chromium").rename(tmp_path / "elsewhere")
    assert calls.wait()


def test_the_folders_watched_are_the_nearest_existing_one_and_those_below_the_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "root/etc/chromium").mkdir(parents=True)
    policy = tmp_path / "root/etc/chromium/policies/managed/zzz-blocker.json"
    assert folders_to_watch(policy, tmp_path / "root") == {
        tmp_path / "root/etc/chromium",
        tmp_path / "root/etc",
    }
    assert folders_to_watch(tmp_path / "hosts", tmp_path / "root") == {tmp_path}


def test_with_native_events_the_safety_net_is_rare_and_without_them_it_is_often(
    tmp_path: Path, start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n")
    assert start([hosts]).poll_interval == SAFETY_NET_SECONDS
    monkeypatch.setattr(FileWatcher, "_start_observer", lambda _self: None)
    polling = start([hosts])
    assert polling.poll_interval < 1
    hosts.write_text("127.0.0.1 localhost\n# edited\n")
    assert polling.changed()
    assert not polling.changed()
