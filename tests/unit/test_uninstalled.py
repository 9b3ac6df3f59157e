"""The note a completed uninstall leaves beside the block list for `blocker status`."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from blocker.system import uninstalled


def test_the_note_is_read_back_as_written_readable_by_everyone_and_cleared(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "blocker-uninstalled.json"
    uninstalled.record(
        marker, tmp_path / "blocklist.yaml", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    )
    assert stat.S_IMODE(marker.stat().st_mode) == 0o644
    assert uninstalled.read(marker) == uninstalled.Uninstalled(
        "2026-12-03T10:00:00+00:00", str(tmp_path / "blocklist.yaml")
    )
    uninstalled.clear(marker)
    uninstalled.clear(marker)  # clearing twice is no error: a daemon clears at every start
    assert uninstalled.read(marker) is None


def test_a_note_of_another_version_or_damaged_is_no_note(tmp_path: Path) -> None:
    marker = tmp_path / "blocker-uninstalled.json"
    for text in ('{"version": 2, "at": "x", "block_list": "y"}', "{not json", '["a"]', "\xff"):
        marker.write_text(text)
        assert uninstalled.read(marker) is None
