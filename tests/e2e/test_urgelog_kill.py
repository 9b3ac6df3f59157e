"""The urge log stays whole when its writer is killed in the middle of writing."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from blocker.daemon.urgelog import UrgeLog

WRITER = """
import sys
from pathlib import Path
from blocker.daemon.urgelog import UrgeLog
log = UrgeLog(Path(sys.argv[1]))
print("ready", flush=True)
number = 0
while True:
    number += 1
    log.record(f"2026-11-27T21:00:00+01:00", "urge", "Chromium", {"n": number})
    print(number, flush=True)
"""


def test_a_killed_writer_leaves_a_whole_log_with_every_row_it_reported(tmp_path: Path) -> None:
    for delay in (0.05, 0.1, 0.2, 0.3, 0.5):
        path = tmp_path / f"urges-{delay}.sqlite"
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(delay)
        writer.kill()
        reported = sum(1 for line in writer.communicate()[0].splitlines() if line.isdigit())
        with contextlib.closing(sqlite3.connect(path)) as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        log = UrgeLog(path)
        numbers = [e.detail["n"] for e in log.entries()]
        log.close()
        # No gap and no half row; every row the writer said it wrote is there (the one it
        # was writing when killed may be there too).
        assert numbers == list(range(1, len(numbers) + 1))
        assert reported <= len(numbers) <= reported + 1
