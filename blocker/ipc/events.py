"""A daemon event: what happened, in a sentence for the journal, when (blocker's trusted
time, as local ISO 8601), and a few details by name for the tray and the urge log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blocker.ipc.wire import EventName

# The keys an event's line always has; every other key is one of its details.
_FIXED = ("event", "message", "at")


@dataclass(frozen=True)
class Event:
    name: EventName
    message: str = ""
    at: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def get(self, detail: str, default: Any = None) -> Any:
        return self.details.get(detail, default)

    def to_json(self) -> dict[str, Any]:
        return {"event": self.name, "message": self.message, "at": self.at, **self.details}

    @classmethod
    def from_json(cls, message: dict[str, Any]) -> Event | None:
        """The event on a line the daemon sent; None for a line that is no event (the
        answer to subscribing) or one of a name this version does not know."""
        try:
            name = EventName(str(message.get("event")))
        except ValueError:
            return None
        details = {key: value for key, value in message.items() if key not in _FIXED}
        return cls(name, str(message.get("message", "")), str(message.get("at", "")), details)
