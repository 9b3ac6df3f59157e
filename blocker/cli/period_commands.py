"""`blocker init` (a block list of one's own, the period asked for) and `blocker period`
(the period shown, or changed: through the daemon's gate when it runs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from blocker.blocklist.config_file import parse_config
from blocker.blocklist.periodfile import PeriodChoice, checked, hours_of
from blocker.blocklist.starter import starter_list
from blocker.core import periodtext, truthtext
from blocker.core.schedule import Period
from blocker.errors import ExitStatus, RefusedError, UsageError
from blocker.ipc.client import DaemonUnreachable
from blocker.ipc.protocol import SetPeriod
from blocker.ipc.wire import Op
from blocker.system.atomic import write_atomically
from blocker.system.paths import is_sandbox_example

if TYPE_CHECKING:
    from blocker.cli.main import Context

_NEEDS_LENGTH = (
    "say how long the period lasts: `blocker init --days 60` or `blocker init --until "
    "2027-01-31` (the last day); --start DATE (default today) and --hours 18:00-02:00 "
    "(default all day) are optional"
)
# How each loosening of the period is said when it waits (core/loosening.py's words).
_WAITING_WORDS = {
    "start the period later": "Starting the period later",
    "end the period earlier": "Ending the period earlier",
    "change the blocking hours": "Changing the blocking hours",
}


def _local_now(ctx: Context) -> datetime:
    return ctx.env.now().astimezone(ctx.env.zone()).replace(tzinfo=None)


def _choice(ctx: Context) -> PeriodChoice:
    args = ctx.args
    hours = None if args.hours is None else hours_of(args.hours)
    return PeriodChoice(args.start, args.days, args.until, hours, getattr(args, "all_day", False))


def _fields(choice: PeriodChoice, today: str) -> dict[str, str]:
    fields = {"start": choice.start or today}
    if choice.days is not None:
        fields["days"] = choice.days
    if choice.until is not None:
        fields["until"] = choice.until
    return fields


def _ask(ctx: Context, question: str, read: Callable[[str], object]) -> str:
    """Ask until `read` takes the answer (it raises UsageError with the reason)."""
    while True:
        try:
            answer = input(question).strip()
        except EOFError:
            raise UsageError("no answer given; nothing was written") from None
        try:
            read(answer)
        except UsageError as error:
            # The option a mistake names (`--days: ...`) is not what the person typed here.
            reason = str(error)
            if reason.startswith("--"):
                reason = reason.partition(": ")[2]
            print(f"  {reason[:1].upper()}{reason[1:]}", file=ctx.env.stdout)
            continue
        return answer


def _asked(ctx: Context, choice: PeriodChoice, today: str) -> PeriodChoice:
    """The period asked for in plain words, each answer checked before the next question."""
    if choice.start is None:
        start = _ask(
            ctx,
            f"When does your no-stalking period start? [today, {today}] ",
            lambda a: checked({"start": a or today, "days": "1"}, None),
        )
        choice = PeriodChoice(start or today, None, None, choice.hours)

    def length(answer: str) -> dict[str, str]:
        # "60 days", as a person answers "how many days?", is 60.
        number, _, unit = answer.partition(" ")
        if number.isdigit() and unit.strip().lower() in ("day", "days", "d"):
            answer = number
        if not answer[:1].isdigit():  # neither a number nor a date: say both forms
            raise UsageError(
                "write a number of days, like 60, or the last day, like 2027-01-31"
                + (f"; found {answer[:40]!r}" if answer else "")
            )
        key = "days" if answer.isdigit() else "until"
        fields = {"start": choice.start or today, key: answer}
        checked(fields, None)
        return fields

    fields = length(
        _ask(
            ctx, "How long: a number of days (e.g. 60), or the last day (e.g. 2027-01-31)? ", length
        )
    )
    hours = choice.hours
    if hours is None:

        def read_hours(answer: str) -> tuple[str, str] | None:
            if answer.lower() in ("", "all day", "all"):
                return None
            window = hours_of(answer)
            checked(fields, window)
            return window

        hours = read_hours(
            _ask(ctx, "Which hours of the day, e.g. 18:00-02:00? [all day] ", read_hours)
        )
    return PeriodChoice(fields["start"], fields.get("days"), fields.get("until"), hours)


def cmd_init(ctx: Context) -> int:
    target = ctx.paths.config
    now = _local_now(ctx)
    today = now.date().isoformat()
    replaced_example = False
    if target.exists() and not ctx.args.force:
        if ctx.paths.sandbox_dir is None or not is_sandbox_example(target.read_bytes()):
            raise UsageError(f"{target} already exists; edit it, or pass --force to start over")
        replaced_example = True
    choice = _choice(ctx)
    if choice.days is not None and choice.until is not None:
        raise UsageError("give --days (how long) or --until (the last day), not both")
    if choice.days is None and choice.until is None:
        if not sys.stdin.isatty():
            raise UsageError(_NEEDS_LENGTH)
        choice = _asked(ctx, choice, today)
    fields = _fields(choice, today)
    period = checked(fields, choice.hours)
    text = starter_list(fields, choice.hours)
    parse_config(text, target, ctx.env.catalog(), ctx.env.machine_names())  # as check reads it
    target.parent.mkdir(parents=True, exist_ok=True)
    # The list will hold the ex's names: private to its owner, like everything blocker keeps.
    write_atomically(target, text.encode("utf-8"), mode=0o600)
    lines = []
    if replaced_example:
        lines.append("This sandbox's example block list is replaced by your own.")
    lines += [
        f"Wrote your block list to {target}, with nothing on it yet.",
        periodtext.period_sentence(period, now),
        periodtext.hours_sentence(period),
        "Next: add their profiles with `blocker add ADDRESS` (paste it from the browser), "
        "or a whole site with `blocker add --site NAME`.",
    ]
    ctx.out("\n".join(lines))
    return ExitStatus.OK


def cmd_period(ctx: Context) -> int:
    choice = _choice(ctx)
    if not choice.changes_anything:
        return _show(ctx)
    if choice.days is not None and choice.until is not None:
        raise UsageError("give --days (how long) or --until (the last day), not both")
    if choice.hours is not None and choice.all_day:
        raise UsageError("give --hours or --all-day, not both")
    request = SetPeriod(
        choice.start,
        choice.days,
        choice.until,
        ctx.args.hours.strip() if ctx.args.hours else None,
        choice.all_day or None,
    )
    try:
        answer = ctx.ask_daemon(request.to_json())
    except DaemonUnreachable:
        return _set_here(ctx, choice)
    except RefusedError as error:
        if not str(error).startswith("unknown request"):
            raise
        raise RefusedError(
            "the daemon running now is older than `blocker period`: restart it, then try again"
        ) from None
    waits = f"{truthtext.at(answer.get('waits_until'), answer['now'])}"
    if answer.get("new_wait"):
        said = str(answer.get("summary", "")).split("; ")
        what = next(
            (_WAITING_WORDS[s] for s in said if s in _WAITING_WORDS),
            "This change loosens the block, so it",
        )
        ctx.out(
            f"{what} waits for the cooldown: it applies at {waits} unless you cancel it: "
            f"`blocker cancel {answer['request']}`."
        )
    elif answer.get("waits_until"):
        ctx.out(
            f"{answer['said']} Still waiting for its cooldown: {answer['summary']}, at "
            f"{waits} (`blocker cancel {answer['request']}` takes it back)."
        )
    else:
        ctx.out(answer["said"])
    return ExitStatus.OK


def _set_here(ctx: Context, choice: PeriodChoice) -> int:
    """No daemon: write the file (where this user may) and leave the gate to the daemon,
    which compares the file with what it last enforced when it starts."""
    old, new = ctx.blocklist.set_period(choice)
    ctx.out(
        periodtext.changed_sentence(old, new)
        + " The daemon is not running: it takes this in when it starts (a change that "
        "loosens the block waits for the cooldown then)."
    )
    return ExitStatus.OK


def _show(ctx: Context) -> int:
    """The period as the list says it; the day and what waits as the daemon, if it runs,
    holds them (an edit that ends the period earlier waits there first)."""
    try:
        truth = ctx.ask_daemon({"op": Op.STATUS})["status"]["truth"]
    except DaemonUnreachable:
        truth = None
    config = ctx.load()
    period: Period = config.period
    now = _local_now(ctx)
    if truth is None:
        truth = ctx.truth(config).to_json()
    lines = [periodtext.period_sentence(period, now), periodtext.hours_sentence(period)]
    day, days = truth["period"]["day"], truth["period"]["days"]
    if any(r["kind"] == "config" for r in truth["waiting"]):
        # The file says what the waiting edit makes of the period; the daemon holds the
        # period in force until then, and the day is counted in that one.
        lines.insert(0, "Once the waiting edit of your list applies (unless you cancel it):")
        end = datetime.fromisoformat(truth["period"]["end"]).replace(tzinfo=None)
        last = periodtext.day_words((end - timedelta(microseconds=1)).date())
        counted = f" (today is day {day} of {days})" if day is not None else ""
        lines.append(f"Until then the period in force lasts until the end of {last}{counted}.")
    elif day is not None:
        lines.append(f"Today is day {day} of {days}.")
    lines.extend(
        f"Waiting: {truthtext.request_phrase(r, truth['at'])}."
        for r in truth["waiting"]
        if r["kind"] == "config"
    )
    lines.append(
        "Change it with `blocker period --days N`, --until DATE, --start DATE, "
        "--hours 18:00-02:00 or --all-day."
    )
    ctx.out("\n".join(lines))
    return ExitStatus.OK
