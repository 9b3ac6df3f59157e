"""The daemon's answers to requests from the CLI and the tray: each loosening goes
through the gate, each tightening applies at once, and every refusal is an answer."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from blocker.blocklist import reminders
from blocker.core import gate, stats
from blocker.core.commandhint import with_sandbox
from blocker.core.durations import DurationTooLong, format_duration, parse_pause_length
from blocker.core.extension_view import extension_view, platform_of
from blocker.core.fresh import removal
from blocker.core.logtable import LOG_ROWS
from blocker.core.report import local_iso
from blocker.core.urgebudget import UrgeBudget
from blocker.daemon import freshness
from blocker.daemon import status as daemon_status
from blocker.daemon.engine import Engine
from blocker.errors import BlockerError, ExitStatus
from blocker.ipc import answers, protocol
from blocker.ipc.wire import EventName, Op

READ_ONLY = frozenset({Op.PING, Op.STATUS, Op.LIST, Op.STATS, Op.LOG, Op.EXTENSION})

logger = logging.getLogger(__name__)


class Requests:
    """Called by the daemon's loop thread only, like the engine it drives."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.changed = False  # set by a request that may change the state; the loop steps
        self.urges = UrgeBudget()
        self.urges_refused = 0  # since the last one taken in

    def handle(self, message: protocol.Message) -> protocol.Message:
        """Answer one request; refusals are answers (`ok` False), never exceptions."""
        try:
            request = protocol.read_request(message)
        # A request the daemon cannot read is a program's slip, not a person's: told as
        # it always was (the server's own refusals of a malformed line are the same).
        except protocol.UnknownRequest as error:
            return answers.Refusal(str(error)).to_json()
        except protocol.ProtocolError as error:
            return answers.Refusal(f"bad request: {error}").to_json()
        if request.OP not in READ_ONLY:
            self.changed = True
        try:
            return self.answer(request).to_json()
        except gate.GateError as error:
            mistake = isinstance(error, gate.MistakenRequest)
            return self._refusal(str(error), mistake=mistake).to_json()
        except BlockerError as error:
            # What the CLI without a daemon would exit 2 for (a target that names nothing,
            # a name not on the list) is a mistake here too.
            mistake = error.exit_status == ExitStatus.INVALID
            return self._refusal(str(error), mistake=mistake).to_json()
        except OSError as error:  # a file the machine refused (made immutable, say)
            where = f"{error.filename}: " if error.filename else ""
            return answers.Refusal(f"{where}{error.strerror or error}; nothing changed").to_json()

    def answer(self, request: protocol.Request) -> protocol.Wire:  # noqa: PLR0911, PLR0912
        """One case per request (the branches are the table): mypy sees each type."""
        engine = self.engine
        match request:
            case protocol.Ping() | protocol.Subscribe():
                return answers.Done()
            case protocol.Status():
                return answers.Report({"status": daemon_status.status(engine).to_json()})
            case protocol.ListEntries():
                return answers.Report(daemon_status.listing(engine))
            case protocol.Stats():
                return self._stats()
            case protocol.Log():
                return self._log()
            case protocol.ExtensionView():
                return self._extension()
            case protocol.Pause(length=length):
                return self._pause(length)
            case protocol.Cancel(id=request_id):
                return self._cancel(request_id)
            case protocol.Stop():
                return self._loosen("stop")
            case protocol.Uninstall():
                return self._loosen("uninstall")
            case protocol.Forget():
                return self._loosen("forget")
            case protocol.Start():
                paused_until = engine.start()
                return answers.Started(self._now(), self._iso(paused_until))
            case protocol.Reload():
                engine.intake.check(force=True)
                return answers.Done()
            case protocol.Add(target=typed, site=site) | protocol.Remove(target=typed, site=site):
                return self._edit(
                    typed, add=isinstance(request, protocol.Add), whole_site=bool(site)
                )
            case protocol.SetPeriod():
                return self._period(request)
            case protocol.Urge():
                return answers.Counted(self._urge(request))
        raise AssertionError(f"no answer for {request!r}")  # read_request knows no other

    def _refusal(self, reason: str, *, mistake: bool = False) -> answers.Refusal:
        """A refusal whose suggested commands run in this daemon's sandbox, for a reader
        that is not the CLI (the tray, the extension's page)."""
        return answers.Refusal(with_sandbox(reason, self.engine.sandbox), mistake=mistake)

    def _iso(self, moment: datetime | None) -> str | None:
        return None if moment is None else local_iso(moment, self.engine.zone)

    def _now(self) -> str:
        return self._iso(self.engine.trusted_now()) or ""

    def _stats(self) -> answers.Report:
        engine = self.engine
        summary = stats.period_summary(
            engine.log.entries(), engine.effective().period, engine.trusted_now(), engine.zone
        )
        return answers.Report({"stats": summary})

    def _log(self) -> answers.Report:
        rows = [e.to_json() for e in self.engine.log.entries()[-LOG_ROWS:]]
        return answers.Report({"entries": rows})

    def _extension(self) -> answers.Report:
        """What blocker's extension stops and shows now (asked by its native host)."""
        now = daemon_status.truth(self.engine)
        # One reminder a day for its page (which puts a reason of the person's own first):
        # a view that changed at every request would be sent to every browser each time.
        day = now.day[0] if now.day else 0
        reminder = reminders.pick((), reminders.shipped_reminders(), (), day, "no_checking")
        return answers.Report({"view": extension_view(now, reminder)})

    def _urge(self, urge: protocol.Urge) -> bool:
        """A watcher in the person's session (the tray) saw a blocked profile's title, or
        blocker's extension stopped a page on the list (`target`, its label). Returns
        whether it was counted."""
        if not self.engine.enforcing:
            return False
        now = self.engine.trusted_now()
        if not self.urges.admit(now, now.astimezone(self.engine.zone).date()):
            if not self.urges_refused:
                logger.warning("urges come faster than a person's; not logged until they slow")
            self.urges_refused += 1
            return False
        self.urges_refused = 0
        browser = (urge.browser or "a browser")[:60]
        if urge.target is not None:
            named = [b.name for b in self.engine.layers.browsers if urge.program in b.executables]
            browser = named[0] if named else browser
            platform = platform_of(daemon_status.truth(self.engine), urge.target[:300])
            if platform is None and (urge.target or not self.engine.holding()):
                # A label the list does not name is no stop of the extension's: whatever
                # sent it, it does not go into the person's record. Only a page held
                # after a lost state has no label at all.
                return False
            self.engine.emit(
                EventName.URGE,
                f"{browser} kept a page on your list closed ({platform or 'a blocked page'})",
                browser=browser,
                platform=platform or "a blocked page",
                layer="extension",
            )
            return True
        title = (urge.title or "")[:300]
        self.engine.emit(
            EventName.URGE,
            f"a blocked profile is open in {browser}: {title}",
            browser=browser,
            title=title,
            layer="title",
        )
        return True

    def _pause(self, length: str | None) -> answers.Waiting | answers.Refusal:
        longest = format_duration(self.engine.pause_rules().max_length)
        try:
            duration = None if length is None else parse_pause_length(length)
        except DurationTooLong:
            # Past any pause at all: the limit that matters to the person is the list's.
            return answers.Refusal(
                f"a pause can last at most {longest}; `{self._command()} pause {longest}` "
                "asks for that"
            )
        except ValueError as error:
            return answers.Refusal(f"{error}; a pause lasts at most {longest}", mistake=True)
        request = self.engine.ask_pause(duration)
        return answers.Waiting(
            request.id,
            self._now(),
            self._iso(request.matures_at) or "",
            ends_at=self._iso(request.matures_at + (request.length or timedelta(0))),
            cancel_command=f"{self._command()} cancel {request.id}",
        )

    def _command(self) -> str:
        """`blocker` as this daemon's person types it: with --sandbox under a sandbox."""
        return with_sandbox("`blocker`", self.engine.sandbox).strip("`")

    def _cancel(self, request_id: str | None) -> answers.Cancelled:
        dropped, ended = self.engine.cancel(request_id)
        return answers.Cancelled(
            cancelled=[r.id for r in dropped],
            kinds=sorted({r.kind for r in dropped}),
            pause_ended=ended,
            blocking=self.engine.enforcing or ended,
        )

    def _loosen(self, kind: gate.Loosening) -> answers.Waiting:
        request = self.engine.ask_loosening(kind)
        return answers.Waiting(
            request.id,
            self._now(),
            self._iso(request.matures_at) or "",
        )

    def _period(self, request: protocol.SetPeriod) -> answers.PeriodSet:
        """Change the period in the file; the step takes it in, at once if it only
        lengthens it, through the gate (a new waiting request) if it loosens anything."""
        # Imported here: a change of the period is rare, the idle daemon's memory is not.
        from blocker.blocklist.periodfile import PeriodChoice, hours_of
        from blocker.core.periodtext import changed_sentence

        hours = None if request.hours is None else hours_of(request.hours)
        choice = PeriodChoice(
            request.start, request.days, request.until, hours, bool(request.all_day)
        )
        before = self.engine.pending_config()
        old, new = self.engine.blocklist.set_period(choice)
        self.engine.step()
        waiting = self.engine.pending_config()
        return answers.PeriodSet(
            said=changed_sentence(old, new),
            now=self._now(),
            waits_until=self._iso(waiting.matures_at) if waiting else None,
            request=waiting.id if waiting else None,
            summary=waiting.summary if waiting else None,
            # The same request as before: this edit loosened nothing more than it.
            new_wait=waiting is not None and (before is None or waiting.id != before.id),
        )

    def _edit(
        self, typed: str | None, *, add: bool, whole_site: bool
    ) -> answers.Edited | answers.Refusal:
        if typed is None or not typed.strip():
            return answers.Refusal("say what to add or remove", mistake=True)
        engine = self.engine
        target, changed = engine.edit(typed, add=add, whole_site=whole_site)
        listed = engine.parse(engine.state.in_force).targets
        # A removal waits while the entry is still in force; an addition can be taken
        # back at once while it is fresh (core/fresh.py).
        still = not add and any(t.subject == target.subject for t in listed)
        waiting = engine.pending_config() if still else None
        fresh = next((f for f in freshness.live(engine) if f.key == target.key), None)
        undone = not add and not still and engine.committed()
        return answers.Edited(
            label=target.label,
            changed=changed,
            now=self._now(),
            url_prefixes=list(target.url_prefixes),
            hosts_domains=list(target.hosts_domains),
            waits_until=self._iso(waiting.matures_at) if waiting else None,
            request=waiting.id if waiting else None,
            undo_until=self._iso(fresh.until) if add and fresh else None,
            undo_command=f"{self._command()} {removal(target, typed)}" if add and fresh else None,
            undone=undone and any(f.subject == target.subject for f in engine.intake.undone),
        )
