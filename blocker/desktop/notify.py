"""Notifications in the person's session. Showing one never raises: where no notification
service exists the message is logged and the tray goes on.

An ordinary notification expires after EXPIRE_SECONDS; an urgent one (messages.urgent)
stays until the person dismisses it. On Linux the tray calls libnotify's notify-send
itself, not through plyer: plyer's notify-send backend reads `expire_time` and `urgency`
arguments its own notify() never passes, so it always sends an expire_timeout of 0
(never expire) at normal urgency, and under dunst, which keeps such notifications, they
pile up past the screen; its D-Bus backend needs dbus-python, which blocker does not
depend on. plyer stays for a desktop without notify-send."""

from __future__ import annotations

import logging
import shutil
import subprocess
import warnings
from pathlib import Path

from blocker.core.commandhint import with_sandbox

logger = logging.getLogger(__name__)

APP_NAME = "blocker"
# Long enough to read two sentences and a reminder at an unhurried pace; short enough that
# a few urges in a row do not stack up. GNOME and dunst's own defaults are 5 to 10 s.
EXPIRE_SECONDS = 10
SEND_SECONDS = 5.0  # notify-send returns once the service has taken the notification


def notify_send_args(title: str, body: str, icon: str, *, urgent: bool) -> list[str]:
    """notify-send's arguments: an urgent notification is critical and never expires
    (an expire_timeout of 0); an ordinary one is normal and expires."""
    return [
        f"--app-name={APP_NAME}",
        f"--icon={icon}",
        f"--urgency={'critical' if urgent else 'normal'}",
        f"--expire-time={0 if urgent else EXPIRE_SECONDS * 1000}",
        "--",  # a title that begins with "-" is still a title
        title,
        body,
    ]


class Notifier:
    """Blocks briefly (notify-send or plyer talk to the service); call from one thread."""

    def __init__(self, icon: Path | None = None, sandbox: str | None = None) -> None:
        self.icon = icon
        # A tray of a --sandbox suggests commands for that sandbox, as the CLI does:
        # following a hint must never act on the real system.
        self.sandbox = sandbox

    def show(self, title: str, body: str, *, urgent: bool = False) -> bool:
        icon = str(self.icon or "")
        body = with_sandbox(body, self.sandbox)
        if shutil.which("notify-send"):
            return self._notify_send(title, body, icon, urgent=urgent)
        try:
            with warnings.catch_warnings():
                # plyer warns when dbus-python is missing, then uses notify-send: expected.
                warnings.simplefilter("ignore")
                from plyer import notification

                notification.notify(
                    title=title,
                    message=body,
                    app_name=APP_NAME,
                    app_icon=icon,
                    timeout=EXPIRE_SECONDS,  # plyer has no "until dismissed"
                )
        except Exception as error:  # noqa: BLE001  (plyer raises whatever its backend does)
            logger.info("no notification service (%s); the message was: %s: %s", error, title, body)
            return False
        return True

    def _notify_send(self, title: str, body: str, icon: str, *, urgent: bool) -> bool:
        command = ["notify-send", *notify_send_args(title, body, icon, urgent=urgent)]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=SEND_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            logger.info("notify-send failed (%s); the message was: %s: %s", error, title, body)
            return False
        if result.returncode != 0:
            logger.info(
                "no notification service (%s); the message was: %s: %s",
                result.stderr.strip(),
                title,
                body,
            )
            return False
        return True
