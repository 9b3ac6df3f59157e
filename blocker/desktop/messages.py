"""What a notification says for each of the daemon's events: calm, kind, honest. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from blocker.core import truthtext
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName

# Events that change nothing the person needs to hear about.
SILENT = frozenset(
    {
        EventName.POLICIES_CHANGED,
        EventName.CONFIG_APPLIED,
        EventName.REQUEST_CANCELLED,
        EventName.STARTED,
        EventName.LAYER_RECOVERED,
        EventName.HOLD_ENDED,
    }
)

# Events that stay on screen until dismissed, all others expire (notify.py): each asks the
# person to act, or says the block is not what they think, or warns of a time about to
# pass, and would be missed if it went while they looked away. An urge's reminder and a
# pause that began or ended say what they see already.
URGENT = frozenset(
    {
        EventName.PAUSE_ENDING,  # the block comes back in a minute: save what they were doing
        EventName.LAYER_FAILED,  # part of the block is down until they look
        EventName.CONFIG_REJECTED,  # their edit was not taken in: the old list still holds
        EventName.RESTART_NEEDED,  # the browser keeps the old policies until restarted
    }
)


def urgent(event: Event) -> bool:
    return event.name in URGENT


def _clock(text: Any) -> str:
    try:
        return f"{datetime.fromisoformat(str(text)):%H:%M}"
    except ValueError:
        return str(text)


def _week(event: Event) -> str:
    week = event.get("week") or {}
    asked, cancelled = week.get("asked", 0), week.get("cancelled", 0)
    if not asked:
        return ""
    return (
        f" This week you asked for {asked} pause{'s' if asked != 1 else ''} and "
        f"cancelled {cancelled}."
    )


def _message(event: Event) -> str:
    text = event.message.strip()
    return text[:1].upper() + text[1:]


def _cancel(event: Event) -> str:
    """The id `blocker cancel` takes, as status and the tray name the same request."""
    request = event.get("request")
    return f" `blocker cancel {request}` keeps the block." if request else ""


def _pause_asked(event: Event) -> str:
    """The pause asked for in the words `blocker pause` answers with; from an older
    daemon, whose event does not say when the pause would end, its own sentence."""
    starts, ends = event.get("matures_at"), event.get("ends_at")
    if not (starts and ends and event.at):
        return _message(event)
    return truthtext.pause_phrase(str(starts), str(ends), event.at)


def notification(event: Event, reminder: str) -> tuple[str, str] | None:
    """(title, body) for an event, or None when it is not worth interrupting for."""
    kind = event.name
    if kind in SILENT:
        return None
    texts: dict[EventName, tuple[str, str]] = {
        EventName.URGE: ("Not today", reminder),
        EventName.BLOCK_STARTED: ("Your no-stalking block is on", reminder),
        EventName.BLOCK_ENDED: ("The block is off", "Nothing is blocked right now."),
        EventName.COOLDOWN_STARTED: (
            "Waiting for the cooldown",
            f"{_message(event)}.{_cancel(event)}",
        )
        if event.get("kind", "pause") != "pause"
        else (
            "Your pause is waiting",
            f"{_pause_asked(event)}.{_cancel(event)}{_week(event)} {reminder}",
        ),
        EventName.PAUSE_STARTED: ("Your pause has begun", f"{_message(event)}. {reminder}"),
        EventName.PAUSE_ENDING: ("The pause ends in a minute", "The block comes back by itself."),
        EventName.PAUSE_ENDED: ("The block is back", reminder),
        EventName.TAMPER_REPAIRED: (
            "The block was put back",
            "Part of it was removed or edited; it is whole again.",
        ),
        EventName.CONFIG_REJECTED: (
            "Your block list has a mistake",
            str(event.get("error") or _message(event)),
        ),
        EventName.RESTART_NEEDED: (
            f"Restart {event.get('browser', 'your browser')}",
            _message(event),
        ),
        EventName.BLOCK_HELD: ("The block stays as it was", f"{_message(event)}."),
        EventName.LAYER_FAILED: (
            f"Part of the block needs attention: {event.get('layer', 'a layer')}",
            f"{_message(event)}. `blocker doctor` says more.",
        ),
    }
    return texts.get(kind, ("blocker", _message(event) or kind))
