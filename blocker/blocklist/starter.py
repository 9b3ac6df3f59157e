"""The block list `blocker init` writes: the period filled in, nothing listed yet, and a
commented example of each way to list someone (config/blocklist.yaml is the fuller,
annotated example, with made-up entries)."""

from __future__ import annotations

from blocker.blocklist.periodfile import period_lines

_HEAD = """\
# My block list for blocker, written by `blocker init`.
#
# Lines starting with # are notes for you; blocker ignores them.
# After editing it by hand, `blocker check` tells you whether everything is understood.
# Easier: `blocker add ADDRESS` adds a profile, `blocker period` changes the dates.

# When the no-stalking period runs, in your local time. `blocker period` shows it and
# changes it; making it shorter waits out the cooldown, making it longer applies at once.
#   start:  a date (the period starts at midnight), or "2026-12-03 18:00"
#   days:   how many days it lasts; or instead  until: 2027-01-31  (the last day)
#   windows: optional daily hours, e.g.  - days: every day (or weekdays, weekends,
#            [fri, sat])  from: "18:00"  to: "02:00"  (a window may run past midnight)
"""

_REST = """
# Your own reasons, in your own words: when an urge comes, blocker shows them first.
# Remove the # in front of these lines and write your own:
# reasons:
#   - I want to sleep through the night again.

# Their profiles and message threads: only these pages are blocked, the rest of the
# site keeps working. `blocker add` writes them here for you; by hand, each is one of:
#   - https://www.instagram.com/their.name/      (the address, pasted from the browser)
#   - instagram: their.name                      (the platform and the name)
#   - https://www.facebook.com/messages/t/1234   (a message thread)
profiles:

# Whole sites: everything on them is blocked, in every browser and app.
# `blocker add --site NAME` writes them here; by hand, just the name:
#   - theirblog.example.com
sites:

# Back doors: viewer and mirror sites that show a profile without logging in are
# blocked while one of their platform's profiles is. false allows them (after the
# cooldown).
backdoors: true

# Pausing: you can ask for a pause, but it only starts after the cooldown, and you can
# cancel it while you wait. Most urges pass in that time.
pause:
  cooldown: 15m            # how long to wait before a pause starts (e.g. 15m, 1h)
  max_length: 15m          # the longest pause you can take
  per_day: 2               # how many pauses a day
"""


def starter_list(fields: dict[str, str], hours: tuple[str, str] | None) -> str:
    """The whole file, with `fields` (start, days or until) and `hours` as the period."""
    return _HEAD + "period:\n" + "\n".join(period_lines(fields, hours)) + "\n" + _REST
