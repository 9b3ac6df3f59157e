"""What blocker's extension is told by the daemon, through its native-messaging host: the
pages to stop now and what its page in their place says. Pure: built from the one answer
of what holds (truth.py), so the browser and `blocker status` never disagree.

The extension also reads the pages from its managed policy, which a browser reloads
only every few seconds; this view reaches it within a second of a change, and it
blocks what either of the two names (a view can add to the policy's list, never take
from it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from blocker.core.truth import Truth

VIEW_VERSION = 1  # the shape the extension reads; background.js checks it
_MOMENT = timedelta(microseconds=1)


def extension_view(truth: Truth, reminder: str) -> dict[str, Any]:
    """The view for the extension: empty targets whenever nothing is enforced (a pause,
    outside the hours), so the person's browser is as free as their hosts file."""
    labels = dict(truth.enforced.page_labels)
    day = truth.day
    return {
        "version": VIEW_VERSION,
        "targets": [{"label": labels.get(p, ""), "prefix": p} for p in truth.enforced.url_prefixes],
        "day": day[0] if day else None,
        "days": day[1] if day else None,
        # The last day of the period, as the person counts days: the end is midnight
        # (or the hour) after it.
        "last_day": (truth.period_end - _MOMENT).astimezone(truth.zone).date().isoformat()
        if day
        else None,
        "reasons": list(truth.reasons),
        "reminder": reminder,
    }


def platform_of(truth: Truth, label: str) -> str | None:
    """The platform of the entry the extension stopped, for the urge log: the log keeps
    which platform and when, not whose page (the list says that) nor what it showed.
    None for a label the list does not name (a page held after a lost state has none)."""
    for entry in truth.entries:
        if entry.target.label == label:
            return entry.target.platform or "a site"
    return None
