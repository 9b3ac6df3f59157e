"""What the tray shows for a daemon status: icon state, tooltip and menu. Pure, so every
state's menu is tested without a desktop; the tray only renders it. Every line is made
from the status's "truth" (truth.py) in the words of truthtext.py, as `blocker status` is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from blocker.core import truthtext as words
from blocker.core.commandhint import with_sandbox
from blocker.core.durations import format_duration  # as `blocker pause` takes a length

ICON_STATES = ("blocking", "cooldown", "paused", "idle", "unreachable")
# The pauses the menu offers, in seconds, below the list's longest, which is offered too:
# a few steps a person in a weak moment can pick without typing; the CLI takes any length.
PAUSE_STEPS = (5 * 60, 10 * 60, 15 * 60)
LONGEST_LINE = 90  # a menu line past this is cut: desktops do not wrap menu items


class Action(StrEnum):
    """What a menu item does when clicked; the tray keeps one handler for each."""

    PAUSE = "pause"
    CANCEL = "cancel"
    ADD_CLIPBOARD = "add_clipboard"
    CONFIRM_ADD = "confirm_add"
    OPEN_LIST = "open_list"
    PROGRESS = "progress"
    QUIT = "quit"


@dataclass(frozen=True)
class Item:
    label: str
    action: Action | None  # None: a line of text, not clickable (or a submenu's title)
    enabled: bool = True
    default: bool = False
    value: str | None = None  # what the action is for: a pause's length (`10m`)
    submenu: tuple[Item, ...] = ()  # a title whose items open beside it


def every_item(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """The items and those of their submenus, in the order they are shown."""
    return tuple(leaf for item in items for leaf in (item, *every_item(item.submenu)))


@dataclass(frozen=True)
class View:
    icon: str
    tooltip: str
    items: tuple[Item, ...]
    day: int | None = None


def _cut(text: str) -> str:
    return text if len(text) <= LONGEST_LINE else text[: LONGEST_LINE - 1] + "…"


def status_line(truth: dict[str, Any]) -> str:
    """`Day 12 of 41 · paused until 01:06 (in 14 min)`: the mode, as status says it."""
    day = words.day_phrase(truth)
    phrase = words.mode_phrase(truth)
    return f"{day} · {phrase}" if day else phrase[:1].upper() + phrase[1:]


def pause_item(offer: dict[str, Any], may_pause: bool) -> Item:
    """The item "Pause the block", opening the lengths one may ask for; or, where the
    daemon says no pause can be asked for now, why, greyed out. `offer` is the daemon's
    pause_offer (empty from an older daemon: then one item, for the list's longest)."""
    refusal = offer.get("refusal")
    if refusal:
        # Its first clause: the rest tells what to type, which a menu item cannot hold.
        reason = str(refusal).split(";", 1)[0]
        return Item(_cut(f"No pause now: {reason}"), None, enabled=False)
    if "longest" not in offer:
        return Item("Pause for as long as the list allows", Action.PAUSE, enabled=may_pause)
    shortest, longest = int(offer["shortest"]), int(offer["longest"])
    lengths = [step for step in PAUSE_STEPS if shortest <= step < longest] + [longest]
    return Item(
        "Pause the block",
        None,
        submenu=tuple(
            Item(
                f"Pause for {words.length_phrase(seconds)}",
                Action.PAUSE,
                value=format_duration(timedelta(seconds=seconds)),
            )
            for seconds in lengths
        ),
    )


def _unreachable(why: str, sandbox: str | None) -> View:
    start = with_sandbox("`sudo blocker daemon`", sandbox).strip("`")
    return View(
        "unreachable",
        f"blocker: {why}",
        (
            Item(why[:1].upper() + why[1:], None, enabled=False),
            Item(f"Start it with: {start}", None, enabled=False),
            Item("Open my block list", Action.OPEN_LIST),
            Item("Quit tray (the block, if any, stays)", Action.QUIT),
        ),
    )


def view(status: dict[str, Any] | None, sandbox: str | None = None) -> View:
    """The tray for a status from the daemon, or for no daemon at all (None); `sandbox`:
    the --sandbox the tray runs in, which the commands it suggests name."""
    if status is None:
        return _unreachable("the blocker daemon is not running", sandbox)
    truth = status.get("truth")
    if not isinstance(truth, dict):  # a daemon from before this tray: its status differs
        return _unreachable("the blocker daemon is older than this tray; restart it", sandbox)
    now, mode = truth["at"], truth["mode"]
    pause = next((r for r in truth["waiting"] if r["kind"] == "pause"), None)
    others = [r for r in truth["waiting"] if r["kind"] != "pause"]
    line = status_line(truth)
    items: list[Item] = []
    if pause is not None:
        # Minutes and seconds, in words (14:52 would read as a time of day): the tray
        # redraws each second while this urge timer runs.
        minutes, seconds = divmod(int(pause["in_seconds"]), 60)
        left = f"in {minutes} min {seconds:02d} s" if minutes else f"in {seconds} s"
        items += [
            Item("Cancel the pause", Action.CANCEL, default=True),
            Item(
                f"Pause starts {left} (at {words.clock(pause['matures_at'], now)})",
                None,
                enabled=False,
            ),
        ]
        icon = "cooldown"
    elif mode == "paused":
        items += [
            Item("End the pause now", Action.CANCEL, default=True),
            Item(f"Paused until {words.at(truth['until'], now)}", None, enabled=False),
        ]
        icon = "paused"
    else:
        icon = "blocking" if truth["enforcing"] else "idle"
    if others and pause is None:
        items.insert(0, Item("Cancel what is waiting", Action.CANCEL, default=True))
    items.append(Item(line, None, enabled=False))
    items += [
        Item(
            _cut(f"Waiting ({r['id']}): {r['summary']} at {words.at(r['matures_at'], now)}"),
            None,
            enabled=False,
        )
        for r in others
    ]
    rejected = truth["rejected"]
    if rejected:  # clicking it opens the list, where the mistake is
        items.append(
            Item(_cut(f"Your edit was not taken in: {rejected['error']}"), Action.OPEN_LIST)
        )
    items += [
        Item("Block the profile I copied", Action.ADD_CLIPBOARD),
        pause_item(status.get("pause_offer") or {}, mode == "blocking" and pause is None),
        Item("Open my block list", Action.OPEN_LIST),
        Item("Progress", Action.PROGRESS),
        Item("Quit tray (the block stays on)", Action.QUIT),
    ]
    tooltip = f"blocker: {line}"
    if truth["waiting"]:
        first = truth["waiting"][0]
        tooltip += f"\n{first['id']} waits until {words.at(first['matures_at'], now)}"
    if rejected:
        tooltip += "\nYour last edit of the block list was not taken in"
    return View(icon, tooltip, tuple(items), truth["period"]["day"])
