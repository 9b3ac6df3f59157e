"""What a notification says for each of the daemon's events: calm, kind, honest. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# Events that change nothing the person needs to hear about.
SILENT = frozenset(
    {
        "policies_changed",
        "config_applied",
        "request_cancelled",
        "started",
        "layer_recovered",
        "hold_ended",
    }
)


def _clock(text: Any) -> str:
    try:
        return f"{datetime.fromisoformat(str(text)):%H:%M}"
    except ValueError:
        return str(text)


def _week(event: dict[str, Any]) -> str:
    week = event.get("week") or {}
    asked, cancelled = week.get("asked", 0), week.get("cancelled", 0)
    if not asked:
        return ""
    return (
        f" This week you asked for {asked} pause{'s' if asked != 1 else ''} and "
        f"cancelled {cancelled}."
    )


def _message(event: dict[str, Any]) -> str:
    text = str(event.get("message", "")).strip()
    return text[:1].upper() + text[1:]


def _cancel(event: dict[str, Any]) -> str:
    """The id `blocker cancel` takes, as status and the tray name the same request."""
    request = event.get("request")
    return f" `blocker cancel {request}` keeps the block." if request else ""


def notification(event: dict[str, Any], reminder: str) -> tuple[str, str] | None:
    """(title, body) for an event, or None when it is not worth interrupting for."""
    kind = str(event.get("event"))
    if kind in SILENT:
        return None
    texts: dict[str, tuple[str, str]] = {
        "urge": ("Not today", reminder),
        "block_started": ("Your no-stalking block is on", reminder),
        "block_ended": ("The block is off", "Nothing is blocked right now."),
        "cooldown_started": (
            "Waiting for the cooldown",
            f"{_message(event)}.{_cancel(event)}",
        )
        if event.get("kind", "pause") != "pause"
        else (
            "Your pause is waiting",
            f"{_message(event)}.{_cancel(event)}{_week(event)} {reminder}",
        ),
        "pause_started": ("Your pause has begun", f"{_message(event)}. {reminder}"),
        "pause_ending": ("The pause ends in a minute", "The block comes back by itself."),
        "pause_ended": ("The block is back", reminder),
        "tamper_repaired": (
            "The block was put back",
            "Part of it was removed or edited; it is whole again.",
        ),
        "config_rejected": (
            "Your block list has a mistake",
            str(event.get("error") or _message(event)),
        ),
        "restart_needed": (f"Restart {event.get('browser', 'your browser')}", _message(event)),
        "block_held": ("The block stays as it was", f"{_message(event)}."),
        "layer_failed": (
            f"Part of the block needs attention: {event.get('layer', 'a layer')}",
            f"{_message(event)}. `blocker doctor` says more.",
        ),
    }
    return texts.get(kind, ("blocker", _message(event) or kind))
