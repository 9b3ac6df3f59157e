"""CLI commands the daemon answers: status, pause, cancel, stop, start, reload, stats and
forget. They only ask and print, so this module imports nothing heavy: `blocker status`
costs little more than starting Python."""

from __future__ import annotations

from blocker.errors import ExitStatus
from blocker.ipc.client import DaemonUnreachable
from blocker.ipc.wire import Op

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`;
# see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from blocker.cli.main import Context
    from blocker.core.stats import Entry


def cmd_status(ctx: Context) -> int:
    try:
        status = ctx.ask_daemon({"op": Op.STATUS})["status"]
    except DaemonUnreachable:
        from blocker.core import report
        from blocker.system import uninstalled

        ctx.set_up_logging()  # reading the block list may have warnings to tell
        status = report.status_json(ctx.truth(ctx.load(), with_hosts=True))
        status["daemon"] = False
        note = uninstalled.read(ctx.paths.uninstalled_marker)
        if note is not None:
            status["uninstalled"] = {"at": note.at, "block_list": note.block_list}
    return ctx.show(status, lambda: _status_text(status))


def _status_text(status: dict[str, Any]) -> str:
    # truthtext, not report: report loads the whole core (gate, truth, targets, config).
    from blocker.core import truthtext

    return truthtext.status_text(status)


def cmd_stats(ctx: Context) -> int:
    from pathlib import Path

    from blocker.core import stats

    try:
        summary = ctx.ask_daemon({"op": Op.STATS})["stats"]
        # The day and the mode come from the daemon's one answer, as in `blocker status`.
        truth = ctx.ask_daemon({"op": Op.STATUS})["status"].get("truth")  # None: older daemon

        def log() -> list[Entry]:
            return [stats.Entry.from_json(e) for e in ctx.ask_daemon({"op": Op.LOG})["entries"]]

        daemon = True
    except DaemonUnreachable:
        summary, truth, entries = _read_log_itself(ctx)

        def log() -> list[Entry]:
            from blocker.core.logtable import LOG_ROWS

            return entries[-LOG_ROWS:]  # what the daemon's answer would carry

        daemon = False
        note = (
            "The daemon is not running, so blocker read the urge log itself "
            "(`sudo blocker daemon` starts it)."
        )
        if ctx.args.json:  # the JSON stays whole for the program that reads it
            print(ctx.hint(note), file=ctx.env.stderr)
        else:
            ctx.out(note)
    if ctx.args.png:
        from blocker.desktop import chart

        chart.draw(summary).save(Path(ctx.args.png), format="PNG")
        ctx.out(f"Drew your progress into {ctx.args.png}.")
    if ctx.args.export:
        _export(ctx, Path(ctx.args.export), log())
    if ctx.args.png or ctx.args.export:
        return ExitStatus.OK
    return ctx.show(
        {**summary, "truth": truth, "daemon": daemon}, lambda: stats.text(summary, truth)
    )


def _read_log_itself(ctx: Context) -> tuple[dict[str, Any], dict[str, Any], list[Entry]]:
    """The summary, the truth and the entries from the files, for when no daemon answers:
    the log read as the daemon reads it, summed up by the daemon's own function."""
    from blocker.core import stats
    from blocker.daemon import urgelog

    path = ctx.paths.state_dir / "urges.sqlite"
    try:
        entries = urgelog.read_only(path)
    except PermissionError:
        raise DaemonUnreachable(
            f"`blocker stats` needs the daemon, which is not running: only it and root can "
            f"read the urge log ({path}); start it with `sudo blocker daemon`"
        ) from None
    ctx.set_up_logging()  # reading the block list may have warnings to tell
    config = ctx.load()
    truth = ctx.truth(config)
    summary = stats.period_summary(entries, config.period, truth.now, truth.zone)
    return summary, truth.to_json(), entries


def _export(ctx: Context, target: Path, entries: list[Entry]) -> None:
    import csv
    import os

    from blocker.core import logtable, stats, truthtext

    rows = logtable.rows(stats.worth_showing(entries), ctx.env.zone())
    # Private from its first byte, and made so if it was there before: it names the ex's
    # profiles.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(logtable.COLUMNS)
        writer.writerows(rows)
    ctx.out(f"Wrote {truthtext.counted(len(rows), 'row')} to {target}.")


def when_phrase(answer: dict[str, Any]) -> str:
    """`at 18:42 (in 15 min)`, from the daemon's own clock."""
    from blocker.core import truthtext  # here, not above: `blocker status` stays light

    matures = str(answer["matures_at"])
    return f"at {truthtext.at(matures, str(answer.get('now') or matures))}"


def _now(answer: dict[str, Any]) -> bool:
    return answer.get("now") is not None and str(answer["matures_at"]) <= str(answer["now"])


def cmd_forget(ctx: Context) -> int:
    answer = ctx.ask_daemon({"op": Op.FORGET})
    if _now(answer):
        ctx.out("The urge log is emptied.")
    else:
        ctx.out(
            f"The urge log is emptied {when_phrase(answer)}, after the cooldown; "
            f"`blocker cancel {answer['request']}` keeps it."
        )
    return ExitStatus.OK


def cmd_pause(ctx: Context) -> int:
    message: dict[str, object] = {"op": Op.PAUSE}
    if ctx.args.length:
        message["length"] = ctx.args.length
    answer = ctx.ask_daemon(message)
    from blocker.core import truthtext

    starts, ends = str(answer["matures_at"]), str(answer["ends_at"])
    pause = truthtext.pause_phrase(starts, ends, str(answer.get("now") or starts))
    if _now(answer):  # no cooldown in this list: it runs already
        ctx.out(f"{pause}; `blocker cancel` ends it early.")
        return ExitStatus.OK
    ctx.out(
        f"{pause}. Most urges pass before it starts; if this one does, "
        f"`blocker cancel {answer['request']}` keeps the block on."
    )
    return ExitStatus.OK


def cmd_cancel(ctx: Context) -> int:
    message: dict[str, object] = {"op": Op.CANCEL}
    if ctx.args.id:
        message["id"] = ctx.args.id
    answer = ctx.ask_daemon(message)
    kinds = set(answer.get("kinds") or ())
    if not answer["cancelled"] and not answer["pause_ended"]:
        ctx.out("Nothing was waiting; the block stays as it is.")
    elif kinds == {"forget"} and not answer["pause_ended"]:
        ctx.out("Cancelled: the urge log stays as it is.")
    elif answer["pause_ended"]:
        ctx.out("The pause is over and the block is back. Well done.")
    elif answer.get("blocking"):
        ctx.out("Cancelled. The block stays on. Well done.")
    else:
        ctx.out("Cancelled: none of it will happen. Well done.")
    return ExitStatus.OK


def cmd_stop(ctx: Context) -> int:
    answer = ctx.ask_daemon({"op": Op.STOP})
    if _now(answer):
        ctx.out("Blocking is stopped until `blocker start`.")
    else:
        ctx.out(
            f"Blocking stops {when_phrase(answer)}, after the cooldown, unless you "
            f"`blocker cancel {answer['request']}` before."
        )
    return ExitStatus.OK


def cmd_start(ctx: Context) -> int:
    answer = ctx.ask_daemon({"op": Op.START})
    if answer.get("paused_until"):
        ctx.out(
            "The stop is undone. A pause still runs; the block is back when it ends, "
            f"{when_phrase({'matures_at': answer['paused_until'], 'now': answer.get('now')})}."
        )
    else:
        ctx.out("Blocking is on again.")
    return ExitStatus.OK


def cmd_reload(ctx: Context) -> int:
    ctx.ask_daemon({"op": Op.RELOAD})
    ctx.out("The daemon read the block list again.")
    return ExitStatus.OK
