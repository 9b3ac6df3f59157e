"""The daemon's answers to requests from the CLI and the tray: each loosening goes
through the gate, each tightening applies at once, and every refusal is an answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from blocker.blocklist import reminders
from blocker.core import gate, stats
from blocker.core.durations import DurationTooLong, format_duration, parse_duration
from blocker.core.extension_view import extension_view, platform_of
from blocker.core.report import local_iso
from blocker.core.schedule import period_bounds
from blocker.daemon import status as daemon_status
from blocker.daemon.engine import Engine
from blocker.errors import BlockerError

READ_ONLY = frozenset({"ping", "status", "list", "stats", "log", "extension"})
LOG_ROWS = 10_000  # the most rows one export carries; a log is rows, not screenshots


class Requests:
    """Called by the daemon's loop thread only, like the engine it drives."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.changed = False  # set by a request that may change the state; the loop steps

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        """Answer one request; refusals are answers (`ok` False), never exceptions."""
        handlers: dict[str, Callable[[], dict[str, Any]]] = {
            "ping": lambda: {"ok": True},
            "status": lambda: {"ok": True, "status": daemon_status.status(self.engine)},
            "list": lambda: {"ok": True, **daemon_status.listing(self.engine)},
            "pause": lambda: self._pause(message.get("length")),
            "cancel": lambda: self._cancel(message.get("id")),
            "stop": lambda: self._loosen("stop"),
            "uninstall": lambda: self._loosen("uninstall"),
            "start": self._start,
            "urge": lambda: self._urge(message),
            "extension": self._extension,
            "stats": self._stats,
            "log": self._log,
            "forget": lambda: self._loosen("forget"),
            "reload": self._reload,
            "add": lambda: self._edit("add", message.get("target"), bool(message.get("site"))),
            "remove": lambda: self._edit(
                "remove", message.get("target"), bool(message.get("site"))
            ),
        }
        operation = str(message.get("op"))
        if operation not in handlers:
            return {"ok": False, "error": f"unknown request {operation[:40]!r}"}
        if operation not in READ_ONLY:
            self.changed = True
        try:
            return handlers[operation]()
        except (BlockerError, gate.GateError) as error:
            return {"ok": False, "error": str(error)}
        except OSError as error:  # a file the machine refused (made immutable, say)
            where = f"{error.filename}: " if error.filename else ""
            return {"ok": False, "error": f"{where}{error.strerror or error}; nothing changed"}

    def _stats(self) -> dict[str, Any]:
        start, end = period_bounds(self.engine.effective().period, self.engine.zone)
        return {
            "ok": True,
            "stats": stats.summary(
                self.engine.log.entries(),
                start,
                end,
                self.engine.trusted_now(),
                zone=self.engine.zone,
            ),
        }

    def _log(self) -> dict[str, Any]:
        rows = [
            {"at": e.at.isoformat(), "kind": e.kind, "target": e.target, "detail": e.detail}
            for e in self.engine.log.entries()[-LOG_ROWS:]
        ]
        return {"ok": True, "entries": rows}

    def _extension(self) -> dict[str, Any]:
        """What blocker's extension stops and shows now (asked by its native host)."""
        now = daemon_status.truth(self.engine)
        # One reminder a day for its page (which puts a reason of the person's own first):
        # a view that changed at every request would be sent to every browser each time.
        day = now.day[0] if now.day else 0
        reminder = reminders.pick((), reminders.shipped_reminders(), (), day, "no_checking")
        return {"ok": True, "view": extension_view(now, reminder)}

    def _urge(self, message: dict[str, Any]) -> dict[str, Any]:
        """A watcher in the person's session (the tray) saw a blocked profile's title, or
        blocker's extension stopped a page on the list (`target`, its label)."""
        if not self.engine.enforcing:
            return {"ok": True, "counted": False}
        browser = str(message.get("browser", "a browser"))[:60]
        target = message.get("target")
        if isinstance(target, str):
            program = message.get("program")
            named = [b.name for b in self.engine.layers.browsers if program in b.executables]
            browser = named[0] if named else browser
            platform = platform_of(daemon_status.truth(self.engine), target[:300])
            if target and platform is None:
                # A label the list does not name is no stop of the extension's: whatever
                # sent it, it does not go into the person's record.
                return {"ok": True, "counted": False}
            self.engine.emit(
                "urge",
                f"{browser} kept a page on your list closed ({platform or 'a blocked page'})",
                browser=browser,
                platform=platform or "a blocked page",
                layer="extension",
            )
            return {"ok": True, "counted": True}
        title = str(message.get("title", ""))[:300]
        self.engine.emit(
            "urge",
            f"a blocked profile is open in {browser}: {title}",
            browser=browser,
            title=title,
            layer="title",
        )
        return {"ok": True, "counted": True}

    def _start(self) -> dict[str, Any]:
        # Starting again also takes back a stop that still waits: both say "keep it on".
        state = self.engine.state.gate
        for waiting in [r for r in state.pending if r.kind == "stop"]:
            state, _, _ = gate.cancel(
                state, self.engine.trusted_now(), self.engine.zone, waiting.id
            )
            self.engine.emit(
                "request_cancelled", "cancelled: stop blocking", request=waiting.id, kind="stop"
            )
        self.engine.save(stopped=False, gate=state)
        self.engine.emit("started", "blocking is on again")
        pause, now = self.engine.state.gate.pause, self.engine.trusted_now()
        running = pause is not None and gate.is_paused(self.engine.state.gate, now)
        return {
            "ok": True,
            "paused_until": local_iso(pause.ends_at, self.engine.zone)
            if pause and running
            else None,
            "now": local_iso(now, self.engine.zone),
        }

    def _reload(self) -> dict[str, Any]:
        self.engine.intake.check(force=True)
        return {"ok": True}

    def _pause(self, length: object) -> dict[str, Any]:
        if length is not None and not isinstance(length, str):
            return {"ok": False, "error": "length must be text such as 15m"}
        try:
            duration = None if length is None else parse_duration(length)
        except DurationTooLong:
            # Past any pause at all: the limit that matters to the person is the list's.
            longest = format_duration(self.engine.pause_rules().max_length)
            return {"ok": False, "error": f"a pause can last at most {longest}"}
        except ValueError as error:
            return {"ok": False, "error": str(error)}
        self.engine.refuse_while_held("pause")
        state, request = gate.ask_pause(
            self.engine.state.gate,
            self.engine.trusted_now(),
            self.engine.pause_rules(),
            self.engine.zone,
            blocking=self.engine.enforcing,
            length=duration,
        )
        self.engine.save(gate=state, must_record=True)
        week = gate.week_counts(state, self.engine.trusted_now(), self.engine.zone)
        self.engine.emit(
            "cooldown_started",
            f"a pause was asked for; it starts at "
            f"{request.matures_at.astimezone(self.engine.zone):%H:%M} unless you cancel it",
            request=request.id,
            week=week,
            kind="pause",
        )
        return {
            "ok": True,
            "request": request.id,
            "now": local_iso(self.engine.trusted_now(), self.engine.zone),
            "matures_at": local_iso(request.matures_at, self.engine.zone),
            "ends_at": local_iso(
                request.matures_at + (request.length or timedelta(0)), self.engine.zone
            ),
            # For a view without a command line of its own (blocker's page in the browser).
            "cancel_command": f"{self._command()} cancel {request.id}",
        }

    def _command(self) -> str:
        """`blocker` as this daemon's person types it: with --sandbox under a sandbox."""
        root = self.engine.paths.root
        return "blocker" if root == Path("/") else f"blocker --sandbox {root.parent}"

    def _cancel(self, request_id: object) -> dict[str, Any]:
        state, dropped, ended = gate.cancel(
            self.engine.state.gate,
            self.engine.trusted_now(),
            self.engine.zone,
            None if request_id is None else str(request_id),
        )
        self.engine.save(gate=state)
        for request in dropped:
            if request.kind == "config":
                self.engine.intake.put_back(request)
            self.engine.emit(
                "request_cancelled",
                f"cancelled: {request.summary}",
                request=request.id,
                kind=request.kind,
            )
        if ended:
            self.engine.emit("pause_ended", "the pause was ended early; the block is back")
        return {
            "ok": True,
            "cancelled": [r.id for r in dropped],
            "kinds": sorted({r.kind for r in dropped}),
            "pause_ended": ended,
            "blocking": self.engine.enforcing or ended,
        }

    def _loosen(self, kind: str) -> dict[str, Any]:
        summary = {
            "stop": "stop blocking",
            "uninstall": "uninstall blocker",
            "forget": "forget the urge log",
        }[kind]
        if kind == "stop" and self.engine.state.stopped:
            return {"ok": False, "error": "blocking is already stopped; `blocker start` ends that"}
        if kind != "forget":
            self.engine.refuse_while_held(summary)
        state, request = gate.ask_loosening(
            self.engine.state.gate,
            self.engine.trusted_now(),
            self.engine.pause_rules(),
            committed=self.engine.committed(),
            kind=kind,
            summary=summary,
        )
        self.engine.save(gate=state, must_record=True)
        self.engine.emit(
            "cooldown_started",
            f"{summary} was asked for; it happens at "
            f"{request.matures_at.astimezone(self.engine.zone):%H:%M} unless cancelled",
            request=request.id,
            kind=kind,
        )
        return {
            "ok": True,
            "request": request.id,
            "now": local_iso(self.engine.trusted_now(), self.engine.zone),
            "matures_at": local_iso(request.matures_at, self.engine.zone),
        }

    def _edit(self, operation: str, typed: object, whole_site: bool) -> dict[str, Any]:
        if not isinstance(typed, str) or not typed.strip():
            return {"ok": False, "error": "say what to add or remove"}
        if operation == "add":
            target, added = self.engine.blocklist.add(typed, whole_site=whole_site)
        else:
            target, added = self.engine.blocklist.remove(typed, whole_site=whole_site), True
        self.engine.step()  # takes the edit in; a loosening while not blocking applies now
        waiting = self.engine.pending_config()
        return {
            "ok": True,
            "label": target.label,
            "changed": added,
            "waits_until": local_iso(waiting.matures_at, self.engine.zone) if waiting else None,
            "request": waiting.id if waiting else None,
            "now": local_iso(self.engine.trusted_now(), self.engine.zone),
            "url_prefixes": list(target.url_prefixes),
            "hosts_domains": list(target.hosts_domains),
        }
