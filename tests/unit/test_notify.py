"""Notifications through libnotify's notify-send (a small program on PATH stands in for
it): an ordinary one expires, an urgent one stays until dismissed."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.desktop.notify import EXPIRE_SECONDS, Notifier


@pytest.fixture
def said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the stand-in notify-send writes its arguments, one a line."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    written = tmp_path / "said"
    notify_send = folder / "notify-send"
    notify_send.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {written}\n')
    notify_send.chmod(0o755)
    return written


def test_a_notification_is_handed_to_notify_send_with_its_title_and_body_and_expires(
    said: Path,
) -> None:
    assert Notifier().show("Not today", "You blocked this on a calmer day.") is True
    arguments = said.read_text().splitlines()
    assert arguments[-3:] == ["--", "Not today", "You blocked this on a calmer day."]
    assert f"--expire-time={EXPIRE_SECONDS * 1000}" in arguments
    assert "--urgency=normal" in arguments
    assert "--app-name=blocker" in arguments


def test_an_urgent_notification_is_critical_and_never_expires(said: Path) -> None:
    assert Notifier().show("-1 layer", "Part of the block.", urgent=True) is True
    arguments = said.read_text().splitlines()
    assert {"--urgency=critical", "--expire-time=0"} <= set(arguments)
    assert arguments[-2:] == ["-1 layer", "Part of the block."]  # a title, not an option


def test_a_notification_service_that_fails_is_false_not_an_exception(
    said: Path, tmp_path: Path
) -> None:
    (tmp_path / "bin" / "notify-send").write_text("#!/bin/sh\necho 'no service' >&2\nexit 1\n")
    assert Notifier().show("Not today", "x") is False
