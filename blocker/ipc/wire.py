"""The names both ends of the control socket use, and how a message becomes a line.

Requests are named by `Op`, daemon events by `EventName`: a name misspelt anywhere is a
mypy error, not a request the daemon silently refuses or an event nobody hears. This
module is all that `blocker status` needs to ask, so it loads nothing `json` has not
loaded already (enum comes with json's `re`); the typed requests and answers, which
need dataclasses, are in protocol.py, and events in events.py.
"""

from __future__ import annotations

import enum
import json

MAX_MESSAGE = 64 * 1024  # a request; the daemon refuses longer ones
MAX_ANSWER = 16 * 1024 * 1024  # an answer (a long period's statistics, a log export)


class Op(enum.StrEnum):
    """What a request asks for; its value is the request's "op"."""

    PING = "ping"
    STATUS = "status"
    LIST = "list"
    STATS = "stats"
    LOG = "log"
    EXTENSION = "extension"
    SUBSCRIBE = "subscribe"
    PAUSE = "pause"
    CANCEL = "cancel"
    STOP = "stop"
    UNINSTALL = "uninstall"
    START = "start"
    FORGET = "forget"
    RELOAD = "reload"
    ADD = "add"
    REMOVE = "remove"
    PERIOD = "period"
    URGE = "urge"


class EventName(enum.StrEnum):
    """What happened, as the daemon tells its subscribers; its value is the event's
    "event"."""

    BLOCK_STARTED = "block_started"
    BLOCK_ENDED = "block_ended"
    BLOCK_HELD = "block_held"
    HOLD_ENDED = "hold_ended"
    STARTED = "started"
    STOPPED = "stopped"
    COOLDOWN_STARTED = "cooldown_started"
    REQUEST_CANCELLED = "request_cancelled"
    PAUSE_STARTED = "pause_started"
    PAUSE_ENDING = "pause_ending"  # the tray's own, a minute before a pause ends
    PAUSE_ENDED = "pause_ended"
    CONFIG_APPLIED = "config_applied"
    CONFIG_REJECTED = "config_rejected"
    FORGOTTEN = "forgotten"
    TAMPER_REPAIRED = "tamper_repaired"
    POLICIES_CHANGED = "policies_changed"
    RESTART_NEEDED = "restart_needed"
    LAYER_FAILED = "layer_failed"
    LAYER_RECOVERED = "layer_recovered"
    BROWSER_CLOSED = "browser_closed"
    URGE = "urge"


def encode(message: object) -> bytes:
    """One message as the line that carries it (an Op or EventName goes as its text)."""
    return json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"
