"""The progress picture as the README shows it, drawn by the real `blocker stats --png`
from a believable log: twelve days into a 60-day period, urges thinning out, two pauses
used. It is kept in tests/artifacts/ (docs/progress.png is a copy of it)."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from blocker.daemon.urgelog import UrgeLog
from blocker.desktop import chart
from tests.e2e.helpers import blocker_argv

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ZONE = ZoneInfo("Europe/Berlin")
URGES = [9, 7, 8, 5, 6, 4, 3, 4, 2, 2, 1, 0]  # day 1 to today, day 12
PAUSES_USED = {2: 1, 6: 1}  # day index: pauses used that day
CANCELLED_ON = 9  # a pause asked for and taken back


def _column(day: int, days: int) -> int:
    step = (chart.WIDTH - chart.MARGIN_LEFT - chart.MARGIN_RIGHT) / days
    return round(chart.MARGIN_LEFT + day * step + step * 0.35)


def test_the_progress_picture_shows_each_days_urges_and_pauses_and_nothing_yet_to_come(
    tmp_path: Path,
) -> None:
    today = datetime.now(ZONE).replace(hour=12, minute=0, second=0, microsecond=0)
    first = today - timedelta(days=len(URGES) - 1)
    sandbox = tmp_path / "try"
    sandbox.mkdir()
    (sandbox / "blocklist.yaml").write_text(
        f"period:\n  start: {first:%Y-%m-%d}\n  days: 60\nsites:\n  - alexblog.example.com\n"
    )
    (sandbox / "hosts").write_text("127.0.0.1 localhost\n")
    log = UrgeLog(sandbox / "state" / "urges.sqlite")
    for day, count in enumerate(URGES):
        evening = first + timedelta(days=day, hours=9)
        for n in range(count):
            at = (evening + timedelta(minutes=7 * n)).isoformat()
            log.record(at, "urge", "Chromium", {"layer": "extension", "platform": "instagram"})
        for n in range(PAUSES_USED.get(day, 0)):
            log.record((evening + timedelta(minutes=45 + n)).isoformat(), "asked", "r1", {})
            log.record((evening + timedelta(hours=1, minutes=n)).isoformat(), "used", "", {})
        if day == CANCELLED_ON:
            log.record((evening + timedelta(minutes=30)).isoformat(), "asked", "r2", {})
            log.record((evening + timedelta(minutes=32)).isoformat(), "cancelled", "r2", {})
    log.close()
    picture = ARTIFACTS / "progress.png"
    ARTIFACTS.mkdir(exist_ok=True)
    drawn = subprocess.run(
        blocker_argv("--sandbox", str(sandbox), "stats", "--png", str(picture)),
        env={**os.environ, "TZ": "Europe/Berlin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert drawn.returncode == 0, drawn.stderr
    with Image.open(picture) as image:
        pixels = image.convert("RGB")
        base = chart.HEIGHT - chart.MARGIN_BOTTOM
        for day, count in enumerate(URGES):
            colour = pixels.getpixel((_column(day, 60), base - 2))
            assert (colour == chart.BAR) == (count > 0), f"day {day + 1}"
        for day in range(len(URGES), 60):
            assert pixels.getpixel((_column(day, 60), base - 2)) == chart.FUTURE
        dots = {
            day
            for day in range(len(URGES))
            if any(
                pixels.getpixel((_column(day, 60), y)) == chart.PAUSE
                for y in range(chart.MARGIN_TOP - 20, base)
            )
        }
        assert dots == set(PAUSES_USED)
    shown = subprocess.run(
        blocker_argv("--sandbox", str(sandbox), "stats", "--json"),
        env={**os.environ, "TZ": "Europe/Berlin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(shown.stdout)["pauses"] == {"asked": 3, "cancelled": 1, "used": 2}
