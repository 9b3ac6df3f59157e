"""Notifications through plyer, shown by the session's notify-send where D-Bus is not at
hand (a small program on PATH stands in for libnotify's). One test only: plyer keeps the
backend it found first for the rest of the process."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.desktop.notify import Notifier


@pytest.fixture
def programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    return folder


def test_a_notification_is_handed_to_notify_send_with_its_title_and_body(
    programs: Path,
) -> None:
    said = programs.parent / "said"
    notify_send = programs / "notify-send"
    notify_send.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {said}\n')
    notify_send.chmod(0o755)
    assert Notifier().show("Not today", "You blocked this on a calmer day.") is True
    assert said.read_text().splitlines()[:2] == ["Not today", "You blocked this on a calmer day."]
