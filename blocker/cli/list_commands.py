"""CLI commands about the block list itself: check, plan, list, add and remove."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blocker.core import report, truthtext
from blocker.errors import ExitStatus, RefusedError, UsageError
from blocker.ipc.client import DaemonUnreachable
from blocker.ipc.protocol import Add, ListEntries, Remove

if TYPE_CHECKING:
    from blocker.cli.main import Context


def cmd_check(ctx: Context) -> int:
    config = ctx.load()
    for warning in config.warnings:
        print(f"warning: {ctx.hint(warning)}", file=ctx.env.stderr)
    ctx.out(
        f"{ctx.paths.config} is valid: {len(config.profiles)} "
        f"{'profile or thread' if len(config.profiles) == 1 else 'profiles or threads'}, "
        f"{truthtext.counted(len(config.sites), 'whole site')}."
    )
    return ExitStatus.OK


def _in_force(ctx: Context) -> dict[str, Any]:
    """The list and the plan in force: the daemon's, which knows what waits to come off
    and what a pause or a stop holds back; without one, the file's as it stands."""
    try:
        answer = _daemon_or_none(ctx, ListEntries().to_json())
    except (RefusedError, UsageError):  # a daemon older than this command, not restarted
        answer = None
    if answer is not None:
        return answer
    truth = ctx.truth(ctx.load())
    return {"list": report.list_json(truth), "plan": report.plan_json(truth)}


def cmd_plan(ctx: Context) -> int:
    planned = _in_force(ctx)["plan"]
    return ctx.show(planned, lambda: report.plan_text(planned))


def cmd_list(ctx: Context) -> int:
    listed = _in_force(ctx)["list"]
    return ctx.show(listed, lambda: report.list_text(listed))


def _daemon_or_none(ctx: Context, message: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return ctx.ask_daemon(message)
    except DaemonUnreachable:
        return None


def cmd_add(ctx: Context) -> int:
    answer = _daemon_or_none(ctx, Add(ctx.args.target, ctx.args.site).to_json())
    if answer is not None:
        label, added = answer["label"], answer["changed"]
        what = answer["url_prefixes"] or answer["hosts_domains"]
    else:  # adding only tightens, so it needs no daemon
        target, added = ctx.blocklist.add(ctx.args.target, whole_site=ctx.args.site)
        label, what = target.label, list(target.url_prefixes or target.hosts_domains)
    if not added:
        ctx.out(f"{label} is already on your block list.")
        return ExitStatus.OK
    more = f" and {len(what) - 4} more" if len(what) > 4 else ""
    undo = ""
    if answer is not None and answer.get("undo_until") and answer.get("undo_command"):
        until = truthtext.at(answer["undo_until"], answer.get("now") or answer["undo_until"])
        undo = f" Added by mistake? `{answer['undo_command']}` takes it back at once until {until}."
    ctx.out(f"Added {label}. Blocked while the period is on: {', '.join(what[:4])}{more}.{undo}")
    return ExitStatus.OK


def cmd_remove(ctx: Context) -> int:
    message = Remove(ctx.args.target, ctx.args.site).to_json()
    answer = _daemon_or_none(ctx, message)
    if answer is not None:
        if answer["waits_until"]:
            now = answer.get("now") or answer["waits_until"]
            ctx.out(
                f"{answer['label']} comes off the block list at "
                f"{truthtext.at(answer['waits_until'], now)}, after the cooldown; until then "
                "it stays on your list. Changed your mind? "
                f"`blocker cancel {answer['request']}`"
            )
        elif answer.get("undone"):
            ctx.out(
                f"Removed {answer['label']} from your block list at once, as it was added "
                "a few minutes ago."
            )
        else:
            ctx.out(f"Removed {answer['label']} from your block list.")
        return ExitStatus.OK
    _, _, _, target = ctx.blocklist.listed(ctx.args.target, whole_site=ctx.args.site)
    if ctx.truth(ctx.load()).period_blocking:
        raise RefusedError(
            f"the block is on, so {target.label} stays blocked: removing loosens the block, "
            "which waits out a cooldown, and that needs the daemon (`sudo blocker daemon`)"
        )
    ctx.blocklist.remove(ctx.args.target, whole_site=ctx.args.site)
    ctx.out(f"Removed {target.label} from your block list.")
    return ExitStatus.OK
