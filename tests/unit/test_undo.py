"""Taking back a fresh addition at once (core/fresh.py) through the engine on real files,
driven by test clocks: by `remove` and by an edit of the file, and the obvious ways to
turn it into a loosening of the commitment, each of which still waits."""

from __future__ import annotations

import json
from datetime import timedelta

from blocker.core.report import local_iso
from blocker.daemon.engine import Engine
from blocker.enforce.chromium import OUR_FILE
from blocker.system.paths import Paths
from tests.helpers import ZONE
from tests.unit.test_engine import LIST, MIN, TEST_BROWSER, MovingClocks, blocked, start

JORDAN = "instagram:jordan.lee.92"
OLD = "alexphotos.example.org"  # on the list from the start: a commitment


def policy(paths: Paths) -> list[str]:
    path = paths.root / TEST_BROWSER.linux.lstrip("/") / OUR_FILE
    return list(json.loads(path.read_text())["URLBlocklist"]) if path.exists() else []


def add(engine: Engine, typed: str, *, site: bool = False) -> dict[str, object]:
    from blocker.daemon.handlers import Requests

    answer = Requests(engine).handle({"op": "add", "target": typed, "site": site})
    assert answer["ok"], answer
    return answer


def remove(engine: Engine, typed: str, *, site: bool = False) -> dict[str, object]:
    from blocker.daemon.handlers import Requests

    answer = Requests(engine).handle({"op": "remove", "target": typed, "site": site})
    assert answer["ok"], answer
    return answer


def test_a_profile_added_by_mistake_comes_off_at_once_and_both_layers_are_as_before(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    hosts, pages, listed = paths.hosts.read_bytes(), policy(paths), paths.config.read_text()
    added = add(engine, JORDAN)
    assert added["undo_until"] == local_iso(engine.trusted_now() + 5 * MIN, ZONE)
    sandbox = paths.root.parent
    assert added["undo_command"] == f"blocker --sandbox {sandbox} remove instagram:jordan.lee.92"
    assert "instagram.com/jordan.lee.92" in policy(paths)
    clocks.let_pass(4 * MIN)
    engine.step()
    removed = remove(engine, JORDAN)
    assert removed["undone"] is True
    assert removed["waits_until"] is None
    assert engine.pending_config() is None
    assert (paths.hosts.read_bytes(), policy(paths)) == (hosts, pages)
    assert paths.config.read_text() == listed


def test_a_whole_site_added_by_mistake_comes_off_at_once(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    before = blocked(paths)
    add(engine, "instagram.com", site=True)
    assert "instagram.com" in blocked(paths)
    assert remove(engine, "instagram.com", site=True)["undone"] is True
    assert blocked(paths) == before


def test_after_the_window_the_removal_waits_for_the_cooldown(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    add(engine, JORDAN)
    clocks.let_pass(5 * MIN)
    engine.step()
    removed = remove(engine, JORDAN)
    assert removed["undone"] is False
    assert removed["waits_until"] == local_iso(engine.trusted_now() + 15 * MIN, ZONE)
    assert "instagram.com/jordan.lee.92" in policy(paths)


def test_an_old_entry_removed_re_added_and_removed_again_still_waits(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    assert remove(engine, OLD, site=True)["waits_until"] is not None
    added = add(engine, OLD, site=True)  # undoes the waiting removal in the file
    assert "undo_until" not in added
    again = remove(engine, OLD, site=True)
    assert again["undone"] is False
    assert again["waits_until"] == local_iso(engine.trusted_now() + 15 * MIN, ZONE)
    assert OLD in blocked(paths)


def test_an_old_entry_put_back_by_a_cancel_is_not_fresh(paths: Paths, clocks: MovingClocks) -> None:
    engine, requests = start(paths, clocks)
    remove(engine, OLD, site=True)
    assert requests.handle({"op": "cancel"})["ok"]
    engine.step()
    assert remove(engine, OLD, site=True)["waits_until"] is not None
    assert OLD in blocked(paths)


def test_another_form_of_an_old_profile_comes_off_at_once_and_the_old_form_waits(
    paths: Paths, clocks: MovingClocks
) -> None:
    paths.config.write_text(
        LIST.replace("profiles:\n", "profiles:\n  - facebook.com/profile.php?id=100012345678\n")
    )
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    assert add(engine, "facebook:100012345678")["undo_until"] is not None
    assert "facebook.com/100012345678" in policy(paths)
    removed = remove(engine, "facebook:100012345678")  # both forms: one subject
    assert removed["undone"] is False
    assert removed["waits_until"] is not None
    assert "facebook.com/100012345678" not in policy(paths)
    assert "facebook.com/profile.php?id=100012345678" in policy(paths)


def test_a_file_edit_that_adds_and_one_that_takes_it_off_in_the_window_apply_at_once(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    paths.config.write_text(LIST.replace("sites:\n", "sites:\n  - newsite.example.net\n"))
    engine.step()
    assert "newsite.example.net" in blocked(paths)
    clocks.let_pass(2 * MIN)
    paths.config.write_text(LIST)
    engine.step()
    assert "newsite.example.net" not in blocked(paths)
    assert engine.pending_config() is None
    applied = [e.message for e in engine.drain_events() if e.name == "config_applied"]
    assert "newsite.example.net came off at once (added a few minutes ago)" in applied[-1]


def test_an_edit_taking_off_a_fresh_entry_and_an_old_one_lets_only_the_fresh_go_at_once(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    add(engine, "newsite.example.net", site=True)
    text = paths.config.read_text()
    paths.config.write_text(
        text.replace("  - newsite.example.net\n", "").replace(f"  - {OLD}\n", "")
    )
    engine.step()
    assert "newsite.example.net" not in blocked(paths)
    assert OLD in blocked(paths)
    waiting = engine.pending_config()
    assert waiting is not None
    assert waiting.summary == f"unblock {OLD}"
    clocks.let_pass(15 * MIN)
    engine.step()
    assert OLD not in blocked(paths)


def test_removing_a_fresh_entry_while_a_removal_waits_keeps_that_wait_as_it_was(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    remove(engine, OLD, site=True)
    first = engine.pending_config()
    assert first is not None
    add(engine, "newsite.example.net", site=True)
    assert remove(engine, "newsite.example.net", site=True)["undone"] is True
    assert "newsite.example.net" not in blocked(paths)
    waiting = engine.pending_config()
    assert waiting is not None
    assert (waiting.id, waiting.matures_at) == (first.id, first.matures_at)


def test_a_restart_does_not_lengthen_the_window_and_the_time_down_counts(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    until = add(engine, "newsite.example.net", site=True)["undo_until"]
    clocks.let_pass(3 * MIN)  # the daemon killed for these three minutes
    restarted, _ = start(paths, clocks)
    (entry,) = restarted.state.fresh
    assert local_iso(entry.until, ZONE) == until
    clocks.let_pass(2 * MIN)
    restarted.step()
    assert remove(restarted, "newsite.example.net", site=True)["waits_until"] is not None


def test_after_a_reboot_nothing_is_fresh(paths: Paths, clocks: MovingClocks) -> None:
    engine, _ = start(paths, clocks)
    add(engine, "newsite.example.net", site=True)
    rebooted = MovingClocks(wall_at=clocks.wall_at, elapsed_at=5.0, boot="boot-2")
    after, _ = start(paths, rebooted)
    assert after.state.fresh == ()
    assert remove(after, "newsite.example.net", site=True)["waits_until"] is not None


def test_a_restart_under_clocks_that_may_be_faked_keeps_nothing_fresh(
    paths: Paths, clocks: MovingClocks
) -> None:
    """A boot clock set back in a time namespace would stretch the window by as much."""
    engine, _ = start(paths, clocks)
    add(engine, "newsite.example.net", site=True)

    class Doubted(MovingClocks):
        def doubts(self) -> str:
            return "the boot clock is offset (a time namespace)"

    clocks.let_pass(3 * MIN)  # down for three minutes, then started with the clock 100 s back
    after, _ = start(paths, Doubted(clocks.wall_at, clocks.elapsed_at - 100, clocks.boot))
    assert after.state.fresh == ()
    assert remove(after, "newsite.example.net", site=True)["waits_until"] is not None


def test_with_the_state_file_deleted_nothing_is_fresh(paths: Paths, clocks: MovingClocks) -> None:
    engine, _ = start(paths, clocks)
    add(engine, "newsite.example.net", site=True)
    engine.store.path.unlink()  # its copy is used, which may be an old one
    after, _ = start(paths, clocks)
    assert after.state.fresh == ()
    assert remove(after, "newsite.example.net", site=True)["waits_until"] is not None
    engine.store.path.unlink()
    engine.store.copy_path.unlink()  # both gone: the machine witnesses the block
    lost, _ = start(paths, clocks)
    assert lost.state.fresh == ()
    assert "newsite.example.net" in blocked(paths)


def test_an_entry_added_to_the_file_while_the_daemon_was_down_is_not_fresh(
    paths: Paths, clocks: MovingClocks
) -> None:
    start(paths, clocks)
    paths.config.write_text(LIST.replace("sites:\n", "sites:\n  - newsite.example.net\n"))
    after, _ = start(paths, clocks)
    assert "newsite.example.net" in blocked(paths)
    assert after.state.fresh == ()


def test_a_state_written_before_fresh_entries_reads_with_none(
    paths: Paths, clocks: MovingClocks
) -> None:
    from blocker.ipc.statecodec import body, decode, encode

    engine, _ = start(paths, clocks)
    add(engine, "newsite.example.net", site=True)
    key = b"k" * 32
    data = encode(engine.state, key, "here")
    assert decode(data, key, "here", ZONE).state == engine.state  # kept as written
    older = {k: v for k, v in body(engine.state).items() if k != "fresh"}
    from blocker.ipc.statecodec import seal

    written = {"version": 2, "state": older, "seal": seal(older, key, "here")}
    assert decode(written, key, "here", ZONE).state.fresh == ()


def test_outside_the_window_a_cooldown_shorter_than_five_minutes_is_the_window(
    paths: Paths, clocks: MovingClocks
) -> None:
    paths.config.write_text(LIST.replace("cooldown: 15m", "cooldown: 1m"))
    engine, _ = start(paths, clocks)
    added = add(engine, "newsite.example.net", site=True)
    assert added["undo_until"] == local_iso(engine.trusted_now() + timedelta(minutes=1), ZONE)


def test_an_old_state_put_back_makes_nothing_fresh_that_the_list_has_since(
    paths: Paths, clocks: MovingClocks
) -> None:
    engine, _ = start(paths, clocks)
    old_copy = engine.store.path.read_bytes()  # before the site was added
    add(engine, "newsite.example.net", site=True)
    clocks.let_pass(10 * MIN)  # long in force: a commitment
    engine.step()
    engine.store.path.write_bytes(old_copy)  # put back while the daemon is down
    restarted, _ = start(paths, clocks)
    assert restarted.state.fresh == ()
    assert remove(restarted, "newsite.example.net", site=True)["waits_until"] is not None
    assert "newsite.example.net" in blocked(paths)
