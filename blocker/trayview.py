"""What the tray shows for a daemon status: icon state, tooltip and menu. Pure, so every
state's menu is tested without a desktop; the tray only renders it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

ICON_STATES = ("blocking", "cooldown", "paused", "idle", "unreachable")


@dataclass(frozen=True)
class Item:
    label: str
    action: str | None  # None: a line of text, not clickable
    enabled: bool = True
    default: bool = False


@dataclass(frozen=True)
class View:
    icon: str
    tooltip: str
    items: tuple[Item, ...]
    day: int | None = None


def _clock(text: str | None) -> str:
    return "?" if text is None else f"{datetime.fromisoformat(text):%H:%M}"


def _countdown(until: str | None, now: str) -> str:
    if until is None:
        return ""
    seconds = max(
        0, int((datetime.fromisoformat(until) - datetime.fromisoformat(now)).total_seconds())
    )
    return f"{seconds // 60}:{seconds % 60:02d}"


def status_line(status: dict[str, Any]) -> str:
    period = status["period"]
    if period["day"] is None:
        start = datetime.fromisoformat(period["start"])
        now = datetime.fromisoformat(status["now"])
        return (
            f"The period starts {start:%d %b}" if now < start else "The no-stalking period is over"
        )
    end = f"{datetime.fromisoformat(period['end']):%d %b}"
    state = "blocking" if status.get("blocking") else "not blocking now"
    return f"Day {period['day']} of {period['days']} · {state} until {end}"


def view(status: dict[str, Any] | None) -> View:
    """The tray for a status from the daemon, or for no daemon at all (None)."""
    if status is None:
        return View(
            "unreachable",
            "blocker: the daemon is not running",
            (
                Item("The blocker daemon is not running", None, enabled=False),
                Item("Start it with: sudo blocker daemon", None, enabled=False),
                Item("Open my block list", "open_list"),
                Item("Quit tray (the block, if any, stays)", "quit"),
            ),
        )
    pause = status.get("pause") or {"state": "none", "pending": []}
    line = status_line(status)
    items: list[Item] = []
    if pause["state"] == "cooldown":
        left = _countdown(pause["starts_at"], status["now"])
        items += [
            Item("Cancel the pause", "cancel", default=True),
            Item(f"Pause starts in {left} (at {_clock(pause['starts_at'])})", None, enabled=False),
        ]
        icon = "cooldown"
    elif pause["state"] == "active":
        items += [
            Item("End the pause now", "cancel", default=True),
            Item(f"Paused until {_clock(pause['ends_at'])}", None, enabled=False),
        ]
        icon = "paused"
    else:
        icon = "blocking" if status.get("blocking") else "idle"
    items.append(Item(line, None, enabled=False))
    waiting = [r for r in pause.get("pending", ()) if r["kind"] != "pause"]
    items += [
        Item(f"Waiting: {r['summary']} at {_clock(r['matures_at'])}", None, enabled=False)
        for r in waiting
    ]
    if waiting and pause["state"] != "cooldown":
        items.insert(0, Item("Cancel what is waiting", "cancel", default=True))
    items += [
        Item("Block the profile I copied", "add_clipboard"),
        Item("Pause…", "pause", enabled=status.get("blocking", False) and pause["state"] == "none"),
        Item("Open my block list", "open_list"),
        Item("Progress", "progress"),
        Item("Quit tray (the block stays on)", "quit"),
    ]
    day = status["period"]["day"]
    tooltip = f"blocker: {line}"
    return View(icon, tooltip, tuple(items), day)
