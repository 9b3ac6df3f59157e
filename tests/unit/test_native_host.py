"""blocker's native-messaging host: its framing, the two files that let a browser start
it (written into a folder standing in for the machine's root), and what it carries
between the extension and a daemon running in this process."""

from __future__ import annotations

import io
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.core.policies import NATIVE_HOST
from blocker.enforce.nativehost import NativeHostFiles, host_manifest, host_places
from blocker.hosts import hoststext
from blocker.ipc import native_host
from blocker.ipc.native_host import (
    MAX_FROM_EXTENSION,
    FramingError,
    Host,
    frame,
    read_message,
)
from tests.daemon_thread import ANSWER_SECONDS, Running, start_daemon, wait_until
from tests.helpers import sandbox_paths
from tests.unit.test_engine import LIST

PLACES = dict(host_places(shipped_browsers()))
CHROMIUM = "/etc/chromium/native-messaging-hosts"
EXTENSION_ID = "a" * 32


def files_for(folder: str, root: Path) -> NativeHostFiles:
    return NativeHostFiles(folder, PLACES[folder], root, root / "control.sock")


def test_a_framed_message_reads_back_as_it_was_sent() -> None:
    stream = io.BytesIO(frame({"kind": "urge", "label": "instagram: alex.example"}))
    assert read_message(stream) == {"kind": "urge", "label": "instagram: alex.example"}
    assert read_message(stream) is None  # the browser closed the connection


@pytest.mark.parametrize(
    "data",
    [
        (MAX_FROM_EXTENSION + 1).to_bytes(4, sys.byteorder),
        len(b"{nope").to_bytes(4, sys.byteorder) + b"{nope",
        len(b"[]").to_bytes(4, sys.byteorder) + b"[]",
        len(b"\xff\xfe").to_bytes(4, sys.byteorder) + b"\xff\xfe",
    ],
    ids=["too long", "not JSON", "not an object", "not UTF-8"],
)
def test_what_is_not_a_message_of_the_extensions_is_refused_not_guessed(data: bytes) -> None:
    with pytest.raises(FramingError):
        read_message(io.BytesIO(data))


def test_a_message_cut_short_reads_as_the_end_of_the_connection() -> None:
    assert read_message(io.BytesIO((10).to_bytes(4, sys.byteorder) + b"{}")) is None


def test_only_blockers_extension_may_start_the_host() -> None:
    manifest = json.loads(host_manifest(Path("/x/native-host-chromium"), EXTENSION_ID))
    assert manifest["name"] == NATIVE_HOST
    assert manifest["allowed_origins"] == [f"chrome-extension://{EXTENSION_ID}/"]
    assert manifest["path"] == "/x/native-host-chromium"


def test_the_files_are_written_for_the_person_to_run_and_gone_after_leaving_no_folder(
    tmp_path: Path,
) -> None:
    files = files_for(CHROMIUM, tmp_path)
    assert files.reconcile(EXTENSION_ID)
    assert files.manifest == tmp_path / "etc/chromium/native-messaging-hosts/blocker_daemon.json"
    assert files.manifest.stat().st_mode & 0o777 == 0o644
    assert files.launcher.stat().st_mode & 0o777 == 0o755
    assert files.launcher.parent.stat().st_mode & 0o777 == 0o755
    script = files.launcher.read_text()
    assert script.startswith("#!/bin/sh\n")
    assert str(tmp_path / "control.sock") in script
    assert not files.reconcile(EXTENSION_ID)  # as it should be: nothing to do
    assert files.reconcile(None)
    assert not files.manifest.exists()
    assert not files.launcher.exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "etc",
        "etc/chromium",
        "usr",
        "usr/local",
        "usr/local/lib",
    ]
    assert not files.reconcile(None)


def test_a_launcher_edited_or_made_unrunnable_is_put_back(tmp_path: Path) -> None:
    files = files_for(CHROMIUM, tmp_path)
    files.reconcile(EXTENSION_ID)
    written = files.launcher.read_bytes()
    files.launcher.write_text("#!/bin/sh\nexit 0\n")
    assert files.reconcile(EXTENSION_ID)
    assert files.launcher.read_bytes() == written
    files.launcher.chmod(0o644)
    assert files.reconcile(EXTENSION_ID)
    assert files.launcher.stat().st_mode & 0o777 == 0o755


def test_browsers_that_read_one_folder_of_hosts_share_one_manifest_named_for_none_of_them(
    tmp_path: Path,
) -> None:
    shared = "/etc/opt/chrome/native-messaging-hosts"
    assert {b.key for b in PLACES[shared]} >= {"chrome", "brave", "vivaldi"}
    assert "/etc/chromium/native-messaging-hosts" not in {
        f for f, readers in host_places(shipped_browsers()) if len(readers) > 1
    }
    files = files_for(shared, tmp_path)
    files.reconcile(EXTENSION_ID)
    assert "--browser 'a Chromium-family browser'" in files.launcher.read_text()
    alone = files_for(CHROMIUM, tmp_path)
    alone.reconcile(EXTENSION_ID)
    assert "--browser Chromium " in alone.launcher.read_text()


def sent_to_browser(out: io.BytesIO) -> list[dict[str, Any]]:
    stream, messages = io.BytesIO(out.getvalue()), []
    while (message := read_message(stream)) is not None:
        messages.append(message)
    return messages


def test_a_pause_from_the_extensions_page_is_asked_and_its_answer_sent_back(
    running: Running,
) -> None:
    out = io.BytesIO()
    Host(str(running.paths.socket), "Chromium", out).answer({"kind": "pause", "asked": 7})
    (reply,) = sent_to_browser(out)
    assert (reply["kind"], reply["asked"], reply["answer"]["ok"]) == ("pause", 7, True)
    assert running.status()["pause"]["state"] == "cooldown"


def test_a_page_the_extension_stopped_is_an_urge_in_the_log_named_for_the_browser(
    running: Running,
) -> None:
    host = Host(str(running.paths.socket), "a browser", io.BytesIO(), program="chromium")
    host.answer({"kind": "urge", "label": "instagram: alex.example"})
    (entry,) = running.ask(op="log")["entries"]
    assert entry["detail"]["layer"] == "extension"
    assert entry["detail"]["platform"] == "instagram"


def test_an_urge_for_no_page_or_a_page_the_list_does_not_name_is_not_counted(
    running: Running,
) -> None:
    host = Host(str(running.paths.socket), "a browser", io.BytesIO(), program="chromium")
    host.answer({"kind": "urge", "label": ""})  # only a page held after a lost state
    host.answer({"kind": "urge", "label": "instagram: someone.else"})
    host.answer({"kind": "urge"})
    assert running.ask(op="log")["entries"] == []


def test_a_page_stopped_while_a_lost_state_holds_the_block_is_counted_though_unnamed(
    tmp_path: Path,
) -> None:
    # blocker's section for a site the list does not name, and no state: the block held.
    hosts = "127.0.0.1 localhost\n" + hoststext.section(["held.example.org"], "\n")
    paths = sandbox_paths(tmp_path, LIST, hosts.encode())
    running = start_daemon(paths, frozenset({os.geteuid()}))
    try:
        assert running.status()["held"] is not None
        Host(str(paths.socket), "a browser", io.BytesIO()).answer({"kind": "urge", "label": ""})
        (entry,) = running.ask(op="log")["entries"]
        assert entry["detail"]["platform"] == "a blocked page"
    finally:
        running.stop()


def test_a_flood_of_urges_from_a_loop_fills_the_log_with_a_minutes_budget_only(
    running: Running,
) -> None:
    host = Host(str(running.paths.socket), "a browser", io.BytesIO(), program="chromium")
    for _ in range(50):
        host.answer({"kind": "urge", "label": "instagram: alex.example"})
    assert len(running.ask(op="log")["entries"]) == 6  # the daemon's clocks stand still


def test_the_extension_asking_for_its_view_gets_it_once_the_daemon_is_reached(
    running: Running,
) -> None:
    out = io.BytesIO()
    Host(str(running.paths.socket), "Chromium", out).answer({"kind": "view"})
    reachable, view, again = sent_to_browser(out)
    assert reachable == {"kind": "daemon", "reachable": True}
    assert view["kind"] == "view"
    assert view["view"]["day"] == 8
    assert again == view  # asked for, it is sent even when it did not change


def test_the_host_follows_the_daemon_and_tells_the_extension_when_it_goes_away(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native_host, "RETRY_SECONDS", 0.01)
    out = io.BytesIO()
    host = Host(str(running.paths.socket), "Chromium", out)
    gone = threading.Event()
    follower = threading.Thread(target=host.follow, args=(gone.is_set,), daemon=True)
    follower.start()
    wait_until(lambda: any(m["kind"] == "view" for m in sent_to_browser(out)), "the view")
    running.stop()
    wait_until(lambda: {"kind": "daemon", "reachable": False} in sent_to_browser(out))
    gone.set()
    follower.join(ANSWER_SECONDS)
    assert not follower.is_alive()
    # Unreachable, a pause is answered as such rather than left unanswered.
    host.answer({"kind": "pause", "asked": 1})
    answer = sent_to_browser(out)[-1]["answer"]
    assert (answer["ok"], answer["unreachable"]) == (False, True)
