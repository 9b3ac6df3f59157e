"""Fresh entries (core/fresh.py) with plain datetimes: what was added a few minutes ago
comes off at once, and nothing else does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core import fresh
from blocker.core.clock import Checkpoint
from blocker.core.config import Config
from blocker.core.loosening import Enforced
from blocker.core.targets import from_shorthand
from tests.helpers import block_list, config_from

NOW = datetime(2026, 11, 27, 18, 42, tzinfo=UTC)
FB_ID = "  - facebook.com/profile.php?id=100012345678\n"
FB_SHORT = "  - facebook: 100012345678\n"
ALEX = "  - instagram: alex.example\n"
JORDAN = "  - instagram: jordan.lee.92\n"
BLOG = "  - alexblog.example.com\n"


def listed(profiles: str = "", sites: str = "") -> Config:
    return config_from(block_list(profiles=profiles, sites=sites))


OLD = listed(ALEX + FB_ID, BLOG)


def made_fresh(
    new: Config, before: Config = OLD, at: datetime = NOW
) -> tuple[fresh.FreshEntry, ...]:
    return fresh.added(before, new, Enforced.by(before), at, fresh.WINDOW)


def test_a_profile_that_blocks_nothing_blocked_yet_is_fresh_for_five_minutes() -> None:
    (entry,) = made_fresh(listed(ALEX + FB_ID + JORDAN, BLOG))
    assert entry.label == "instagram: jordan.lee.92"
    assert (entry.added_at, entry.until) == (NOW, NOW + timedelta(minutes=5))


def test_a_whole_site_added_by_mistake_is_fresh() -> None:
    (entry,) = made_fresh(listed(ALEX + FB_ID, BLOG + "  - instagram.com\n"))
    assert entry.label == "instagram.com"


def test_the_window_is_never_longer_than_the_cooldown() -> None:
    assert fresh.window(timedelta(minutes=15)) == timedelta(minutes=5)
    assert fresh.window(timedelta(seconds=20)) == timedelta(seconds=20)
    assert (
        fresh.added(OLD, listed(ALEX + FB_ID + JORDAN, BLOG), Enforced.by(OLD), NOW, timedelta(0))
        == ()
    )


def test_an_entry_in_force_before_or_whose_removal_waits_is_not_fresh() -> None:
    # A removal that waits leaves the entry in the list in force: it is no addition.
    assert made_fresh(OLD) == ()
    assert made_fresh(listed(FB_ID, BLOG), before=OLD) == ()


def test_an_entry_that_blocks_anything_already_blocked_is_not_fresh() -> None:
    waiting = listed(ALEX + FB_ID + JORDAN, BLOG)  # what a waiting edit adds counts too
    blocked = Enforced.by(waiting)
    readded = fresh.added(OLD, listed(ALEX + FB_ID + JORDAN, BLOG), blocked, NOW, fresh.WINDOW)
    assert readded == ()
    held = Enforced(frozenset({"instagram.com"}), frozenset(), frozenset())
    site = listed(ALEX + FB_ID, BLOG + "  - instagram.com\n")
    assert fresh.added(OLD, site, held, NOW, fresh.WINDOW) == ()


def test_another_page_form_of_a_listed_profile_is_fresh_but_its_old_form_is_not() -> None:
    both = listed(ALEX + FB_ID + FB_SHORT, BLOG)
    (entry,) = made_fresh(both)
    assert "facebook.com/100012345678" in entry.key[4]
    # The old form taken off in the file, the new one kept: the old form's pages open.
    assert fresh.undo(both, (entry,), listed(ALEX + FB_SHORT, BLOG)).loosened == (
        "unblock facebook.com/profile.php?id=100012345678 of facebook: 100012345678",
    )
    # Both taken off (`blocker remove facebook:100012345678`): the new form at once,
    # the old one waits.
    taken = fresh.undo(listed(ALEX + FB_ID, BLOG), (entry,), listed(ALEX, BLOG))
    assert taken.undone == (entry,)
    assert taken.loosened == ("unblock facebook: 100012345678",)


def test_taking_off_a_fresh_entry_loosens_nothing_and_the_rest_of_the_edit_still_waits() -> None:
    new = listed(ALEX + FB_ID + JORDAN, BLOG)
    (entry,) = made_fresh(new)
    alone = fresh.undo(OLD, (entry,), OLD)
    assert (alone.undone, alone.kept, alone.loosened) == ((entry,), (), ())
    with_blog = fresh.undo(OLD, (entry,), listed(ALEX + FB_ID))
    assert with_blog.undone == (entry,)
    assert with_blog.loosened == ("unblock alexblog.example.com",)
    kept = fresh.undo(new, (entry,), new)
    assert (kept.undone, kept.kept, kept.loosened) == ((), (entry,), ())


def test_an_old_entry_covered_only_by_a_fresh_one_still_waits_to_come_off() -> None:
    # Whatever the fresh entries block, the commitment must be kept without them.
    new = listed(ALEX + FB_ID + JORDAN, BLOG)
    (entry,) = made_fresh(new)
    assert fresh.undo(new, (entry,), listed(FB_ID + JORDAN, BLOG)).loosened == (
        "unblock instagram: alex.example",
    )


def test_an_entry_is_fresh_only_inside_its_window_and_while_in_force() -> None:
    new = listed(ALEX + FB_ID + JORDAN, BLOG)
    (entry,) = made_fresh(new)
    assert fresh.live((entry,), NOW + timedelta(minutes=4, seconds=59), new) == (entry,)
    assert fresh.live((entry,), NOW + timedelta(minutes=5), new) == ()
    assert fresh.live((entry,), NOW, OLD) == ()  # taken off since: a record of nothing


def test_a_restart_in_the_same_boot_keeps_the_window_running_and_a_reboot_ends_it() -> None:
    (entry,) = made_fresh(listed(ALEX + FB_ID + JORDAN, BLOG))
    saved = Checkpoint("boot-1", 100.0, NOW)
    assert fresh.after_restart((entry,), saved, saved.advanced(160.0)) == (entry,)
    assert fresh.after_restart((entry,), saved, Checkpoint("boot-2", 5.0, NOW)) == ()
    assert fresh.after_restart((entry,), saved, Checkpoint("boot-1", 50.0, NOW)) == ()


def test_the_removal_suggested_takes_off_what_was_added_as_a_shell_reads_it() -> None:
    catalog = shipped_catalog()
    profile = from_shorthand(catalog, "instagram", "jordan.lee.92")
    assert fresh.removal(profile, "https://instagram.com/jordan.lee.92") == (
        "remove instagram:jordan.lee.92"
    )
    (site,) = listed(sites="  - alexblog.example.com\n").targets
    assert fresh.removal(site, "alexblog.example.com") == "remove --site alexblog.example.com"
    (thread,) = listed(profiles="  - https://www.messenger.com/t/100012345678?x=1\n").targets
    assert fresh.removal(thread, "https://www.messenger.com/t/100012345678?x=1") == (
        "remove 'https://www.messenger.com/t/100012345678?x=1'"
    )
