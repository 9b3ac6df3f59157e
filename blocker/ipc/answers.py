"""The daemon's answers as types, on the requests' base (protocol.Wire): each says `ok`,
and those that carry more than that are dataclasses with one way to JSON and one
way back. The status is one of them: built in one place (daemon/status.py), read here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from blocker.ipc.protocol import Message, Wire


class Answer(Wire):
    def to_json(self) -> Message:
        return {"ok": True, **super().to_json()}


@dataclass
class Done(Answer):
    """Asked and done; nothing more to say."""


@dataclass
class Refusal(Wire):
    """A request not done, and why. `mistake`: the request itself was wrong (a word
    mistyped, a name not on the list), not refused for what it would loosen; the CLI
    exits 2 for it, not 3. Sent only when true, so a refusal's bytes stay as they were
    and an older daemon's refusal (no such field) reads as a refusal."""

    error: str
    mistake: bool = False

    def to_json(self) -> Message:
        told: Message = {"ok": False, "error": self.error}
        if self.mistake:
            told["mistake"] = True
        return told


@dataclass
class Waiting(Answer):
    """A loosening asked for: it happens at `matures_at` unless cancelled meanwhile."""

    request: str
    now: str
    matures_at: str
    ends_at: str | None = None  # a pause's end
    cancel_command: str | None = None  # for a view without a command line (the page)


@dataclass
class Cancelled(Answer):
    cancelled: list[str]
    kinds: list[str]
    pause_ended: bool
    blocking: bool


@dataclass
class Started(Answer):
    now: str
    paused_until: str | None = None

    def to_json(self) -> Message:
        return {**super().to_json(), "paused_until": self.paused_until}  # None is told


@dataclass
class Edited(Answer):
    label: str
    changed: bool
    now: str
    url_prefixes: list[str]
    hosts_domains: list[str]
    waits_until: str | None = None  # a removal waits for the cooldown
    request: str | None = None
    # An entry just added: until when a removal takes it back at once, and that removal
    # as the person types it (for a view without a command line, the tray).
    undo_until: str | None = None
    undo_command: str | None = None
    undone: bool = False  # a removal that went at once: the entry was added minutes ago

    def to_json(self) -> Message:
        return {**super().to_json(), "waits_until": self.waits_until, "request": self.request}


@dataclass
class PeriodSet(Answer):
    """The period changed in the file: `said` in words. The edit of the list waiting for
    its cooldown, if one does, and what it loosens (`summary`); `new_wait`: this change
    is what waits (otherwise it applied, and an earlier loosening still waits)."""

    said: str
    now: str
    waits_until: str | None = None
    request: str | None = None
    summary: str | None = None
    new_wait: bool = False


@dataclass
class Counted(Answer):
    counted: bool


@dataclass
class Report(Answer):
    """An answer that is a report the daemon's core made (status, list, stats...): its
    keys are the report's own (see core/report.py), carried as they are."""

    fields: Message

    def to_json(self) -> Message:
        return {"ok": True, **self.fields}


@dataclass
class DaemonStatus(Answer):
    """The daemon's status: the core's report of what holds (`report`: core/report.py's
    status_json, which a CLI without a daemon prints too) and what only the daemon knows.
    On the wire it is one flat object, `daemon` true."""

    report: Message
    stopped: bool
    wall_clock: str  # beside the trusted time in the report: a moved clock shows
    pause: Message  # core/report.py's pause_json
    week: dict[str, int]  # pauses asked for, cancelled and used in seven days
    title_patterns: list[str]  # for a watcher in the person's session (the tray)
    watching_titles: bool  # the daemon reads window titles itself
    process_watch: str  # how the daemon notices browsers start, in words
    extension: Message  # served: its id and update address; or the problem
    firefox_unsigned_addons: bool  # for doctor: may Firefox install blocker's extension
    failing_layers: dict[str, str]  # layers that failed on the last step (the rest hold)
    hosts_lines_off: list[Message]  # the person's lines turned off while blocking
    # daemon/status.py's pause_offer: the lengths one may ask for, or why none
    pause_offer: Message = field(default_factory=dict)

    def to_json(self) -> Message:
        own = {name: getattr(self, name) for name in self.__dataclass_fields__}
        del own["report"]
        return {**self.report, **own, "daemon": True}

    @classmethod
    def from_json(cls, message: Message) -> Self:
        """The status on a line the daemon sent; a field an older daemon did not send is
        empty (False, "", nothing)."""
        names = cls.__dataclass_fields__
        own = {key: value for key, value in message.items() if key in names}
        report = {k: v for k, v in message.items() if k not in names and k != "daemon"}
        return cls(**{**_empty(), **own, "report": report})


def _empty() -> dict[str, Any]:
    """A status field by field as an older daemon that did not send it means it."""
    return {
        "stopped": False,
        "wall_clock": "",
        "pause": {},
        "week": {},
        "pause_offer": {},
        "title_patterns": [],
        "watching_titles": False,
        "process_watch": "",
        "extension": {},
        "firefox_unsigned_addons": False,
        "failing_layers": {},
        "hosts_lines_off": [],
    }
