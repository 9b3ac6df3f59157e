"""The engine takes an edit that writes a profile in another page form as what it is: the
form that comes off waits out the cooldown, blocked meanwhile; one that comes on applies
at once."""

from __future__ import annotations

import json
from pathlib import Path

from blocker.daemon.status import listing, status
from blocker.system.paths import Paths
from tests.helpers import block_list, sandbox_paths
from tests.unit.test_engine import MIN, TEST_BROWSER, MovingClocks, start

ID_FORM = "https://www.facebook.com/profile.php?id=100000000000002"
ID_PAGE = "facebook.com/profile.php?id=100000000000002"
NAME_PAGE = "facebook.com/100000000000002"
POLICY = "etc/testium/policies/managed/zzz-blocker.json"
FORM_LIST = block_list(
    profiles=f"  - {ID_FORM}\n", extra="pause:\n  cooldown: 15m\n  max_length: 10m\n"
)


def refused(paths: Paths) -> set[str]:
    """The pages the test browser's policy refuses (none once the file is gone)."""
    policy = paths.root / POLICY
    return set(json.loads(policy.read_text())["URLBlocklist"]) if policy.exists() else set()


def test_writing_the_facebook_id_form_as_the_short_form_waits_and_keeps_the_old_page_blocked(
    tmp_path: Path, clocks: MovingClocks
) -> None:
    paths = sandbox_paths(tmp_path, FORM_LIST)
    engine, _ = start(paths, clocks, (TEST_BROWSER,))
    assert ID_PAGE in refused(paths)

    paths.config.write_text(FORM_LIST.replace(ID_FORM, "facebook: 100000000000002"))
    engine.step()
    (waiting,) = status(engine).to_json()["pause"]["pending"]
    assert waiting["summary"] == f"unblock {ID_PAGE} of facebook: 100000000000002"
    assert ID_PAGE in refused(paths)  # the page that comes off, still refused
    assert NAME_PAGE in refused(paths)  # the form the edit adds, refused at once
    profiles = listing(engine)["list"]["profiles"]
    coming_off = {p["url_prefixes"][0]: p["comes_off"] for p in profiles}
    assert coming_off[ID_PAGE]["id"] == waiting["id"]  # `blocker list` says it comes off
    assert coming_off[NAME_PAGE] is None
    assert [p["label"] for p in profiles] == [  # one label, told apart by the page
        f"facebook: 100000000000002 ({ID_PAGE})",
        f"facebook: 100000000000002 ({NAME_PAGE})",
    ]

    clocks.let_pass(14 * MIN)
    engine.step()
    assert ID_PAGE in refused(paths)
    clocks.let_pass(1 * MIN)
    engine.step()
    assert ID_PAGE not in refused(paths)
    assert NAME_PAGE in refused(paths)


def test_adding_the_other_form_of_a_listed_profile_blocks_its_pages_at_once(
    tmp_path: Path, clocks: MovingClocks
) -> None:
    paths = sandbox_paths(tmp_path, FORM_LIST)
    engine, requests = start(paths, clocks, (TEST_BROWSER,))
    answer = requests.handle({"op": "add", "target": "facebook: 100000000000002"})
    assert answer["ok"], answer
    assert answer["changed"]  # not "already listed": this form was not blocked
    assert {ID_PAGE, NAME_PAGE} <= refused(paths)
    assert status(engine).to_json()["pause"]["pending"] == []
