"""The words for what holds now, from the JSON of truth.Truth: status, plan, list, stats
and the tray say a mode, a clock time and a countdown the same way because they say it
here. Pure, and it imports nothing of blocker's, so `blocker status` stays quick."""

from __future__ import annotations

from datetime import datetime

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`
# printed as text, which loads this module (--json does not); see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

DAY = 86400


def countdown(seconds: int) -> str:
    """`in 14 min`, `in 3 h 5 min`, `in 4 days`: whole minutes, rounded down, as a clock
    showing 01:17 at 01:03 would count them."""
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in under a minute"
    if seconds < 3600:
        return f"in {seconds // 60} min"
    if seconds < 2 * DAY:
        hours, minutes = divmod(seconds // 60, 60)
        return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"
    return f"in {seconds // DAY} days"


def counted(count: int, noun: str) -> str:
    """`1 page`, `2 pages`, `0 names`: a count with its noun as a person writes it."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def length_phrase(seconds: int) -> str:
    """`10 minutes`, `1 hour 30 minutes`, `2 seconds`: a length as a person says it."""
    parts = []
    for unit, size in (("day", DAY), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}" + ("s" if count != 1 else ""))
    return " ".join(parts) or "no time"


def clock(moment: str | None, now: str) -> str:
    """A local time as short as is still clear: `01:06` within a day, else `27 Dec` (a
    midnight, as the period's ends are) or `27 Dec 18:00`, with the year if not this one."""
    if moment is None:
        return "never"
    local, at = datetime.fromisoformat(moment), datetime.fromisoformat(now)
    if abs((local - at).total_seconds()) < DAY:
        return f"{local:%H:%M}"
    day = f"{local.day} {local:%b}" + (f" {local.year}" if local.year != at.year else "")
    return day if (local.hour, local.minute) == (0, 0) else f"{day} {local:%H:%M}"


def at(moment: str | None, now: str) -> str:
    """`01:17 (in 14 min)`: every clock time of something coming has its countdown."""
    if moment is None:
        return "never"
    left = int((datetime.fromisoformat(moment) - datetime.fromisoformat(now)).total_seconds())
    return f"{clock(moment, now)} ({countdown(left)})"


def pause_phrase(starts: str, ends: str, now: str) -> str:
    """`Your pause of 10 minutes starts at 18:42 (in 15 min) and ends at 18:52`, or
    `... starts now and ends at 18:52` where no cooldown comes first: how the CLI and the
    tray confirm a pause asked for."""
    seconds = (datetime.fromisoformat(ends) - datetime.fromisoformat(starts)).total_seconds()
    begun = datetime.fromisoformat(starts) <= datetime.fromisoformat(now)
    when = "now" if begun else f"at {at(starts, now)}"
    pause = f"Your pause of {length_phrase(int(seconds))}"
    return f"{pause} starts {when} and ends at {clock(ends, now)}"


def mode_phrase(truth: dict[str, Any]) -> str:
    """What holds now in a few words: `paused until 01:06 (in 14 min)`."""
    now, until = truth["at"], truth["until"]
    # With nothing listed, the period runs but blocks nothing: not "blocking".
    running = "your period runs" if not truth.get("entries", True) else "blocking"
    phrases = {
        "blocking": f"{running} until {at(until, now)}" if until else running,
        "paused": f"paused until {at(until, now)}",
        "stopped": "stopped by `blocker stop` (`blocker start` turns it back on)",
        "outside_hours": f"outside your blocking hours until {at(until, now)}",
        "before_period": f"not blocking yet: the period starts {at(until, now)}",
        "after_period": "the period is over; nothing is blocked any more",
        "held": f"holding the block as blocker found it until {at(until, now)}",
    }
    return phrases[truth["mode"]]


def request_phrase(request: dict[str, Any], now: str) -> str:
    """What a waiting request does and when, with the id `blocker cancel` takes."""
    when = at(request["matures_at"], now)
    cancel = f"unless cancelled (`blocker cancel {request['id']}`)"
    if request["kind"] == "pause":
        ends = clock(request["ends_at"], now)
        return (
            f"{request['summary']}: starts at {when}, until {ends}, unless you cancel it "
            f"(`blocker cancel {request['id']}`)"
        )
    return f"{request['summary']}: applies at {when} {cancel}"


def comes_off_phrase(request: dict[str, Any], now: str) -> str:
    return (
        f"comes off at {at(request['matures_at'], now)} unless cancelled "
        f"(`blocker cancel {request['id']}`)"
    )


NEXT = {
    "period_starts": "the period starts and the block goes on",
    "period_ends": "the period ends and the block comes off",
    "hours_begin": "your blocking hours begin",
    "hours_end": "your blocking hours end",
    "pause_ends": "the pause ends and the block comes back",
    "hold_ends": "the hold ends; your block list alone counts again",
}


def next_phrase(truth: dict[str, Any]) -> str:
    change = truth["next"]
    if change is None:
        return "none planned"
    request = change["request"]
    what = (
        f"{request['id']} · {request['summary']}, unless cancelled"
        if request is not None
        else NEXT[change["what"]]
    )
    return f"{at(change['at'], truth['at'])}: {what}"


# What status and list say of a list with nothing on it yet (`blocker init` writes one).
NOTHING_LISTED = (
    "Nothing is on your block list yet, so nothing is blocked: add a profile with "
    "`blocker add ADDRESS` (paste it from the browser), or a whole site with "
    "`blocker add --site NAME`."
)


def day_phrase(truth: dict[str, Any]) -> str | None:
    period = truth["period"]
    return None if period["day"] is None else f"Day {period['day']} of {period['days']}"


def rejected_phrase(truth: dict[str, Any]) -> str | None:
    rejected = truth.get("rejected")
    if not rejected:
        return None
    return (
        f"your edit of the block list at {clock(rejected['at'], truth['at'])} was not "
        f"taken in, the last good list stays: {rejected['error']}"
    )


def waiting_lines(truth: dict[str, Any]) -> list[str]:
    """Each waiting request, and each entry a waiting edit takes off, with id and countdown."""
    now = truth["at"]
    lines = [f"Waiting: {request_phrase(r, now)}." for r in truth["waiting"]]
    lines.extend(
        f"Still blocked: {e['label']} {comes_off_phrase(e['comes_off'], now)}."
        for e in truth["entries"]
        if e["comes_off"]
    )
    rejected = rejected_phrase(truth)
    if rejected:
        lines.append(f"Not taken in: {rejected}")
    return lines


def _headline(truth: dict[str, Any]) -> str:
    mode, day = truth["mode"], day_phrase(truth)
    if mode in ("before_period", "after_period") or day is None:
        return f"Your no-stalking period: {mode_phrase(truth)}."
    end = truth["period"]["end"]
    if truth["until"] == end:  # "blocking until 20 Dec" already says when the period ends
        return f"{day} · {mode_phrase(truth)}."
    return f"{day} · {mode_phrase(truth)} · the period ends {clock(end, truth['at'])}."


def status_text(status: dict[str, Any]) -> str:
    """Status for a person, from the same dict `--json` prints (the daemon's or our own):
    made here, not in report, so that `blocker status` loads nothing beyond this module."""
    truth = status["truth"]
    if status.get("uninstalled"):
        return _uninstalled_text(status["uninstalled"], truth["at"])
    lines = [_headline(truth), f"Next change: {next_phrase(truth)}"]
    if not truth["entries"] and truth["mode"] != "after_period":
        lines.append(NOTHING_LISTED)
    held = truth["held"]
    if held:
        lines.append(
            f"Held: {held['reason']}; what blocker found in force stays blocked until "
            f"{at(held['until'], truth['at'])} ({counted(len(held['domains']), 'name')}, "
            f"{counted(len(held['url_prefixes']), 'page')} beyond your list)."
        )
    lines.extend(waiting_lines(truth))
    hosts = truth["hosts"]
    if hosts is not None:
        if hosts["as_enforced"]:
            lines.append(f"Hosts file: as it should be now ({hosts['names']} names blocked).")
        else:
            lines.append(
                f"Hosts file: not as it should be yet ({hosts['names']} names blocked, "
                f"{hosts['expected']} expected now)."
            )
    if not status.get("daemon"):
        lines.append(
            "Daemon: not running; start it with `sudo blocker daemon` (or "
            "`sudo blocker service install`)."
        )
    return "\n".join(lines)


def _uninstalled_text(note: dict[str, Any], now: str) -> str:
    """After an uninstall completed, what the list would plan is not what holds: nothing
    keeps a block, and starting a daemon is not the advice (reinstalling is)."""
    return (
        f"blocker is uninstalled (since {clock(note['at'], now)}): nothing is blocked.\n"
        f"Your block list is still at {note['block_list']}; "
        "`sudo blocker service install` puts blocker back."
    )
