"""Notifications in the person's session, through plyer. Showing one never raises: where
no notification service exists the message is logged and the tray goes on."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

APP_NAME = "blocker"


class Notifier:
    """Blocks briefly (plyer talks to D-Bus or runs notify-send); call from one thread."""

    def __init__(self, icon: Path | None = None) -> None:
        self.icon = icon

    def show(self, title: str, body: str) -> bool:
        try:
            with warnings.catch_warnings():
                # plyer warns when dbus-python is missing, then uses notify-send: expected.
                warnings.simplefilter("ignore")
                from plyer import notification

                notification.notify(
                    title=title,
                    message=body,
                    app_name=APP_NAME,
                    app_icon=str(self.icon or ""),
                    timeout=10,
                )
        except Exception as error:  # noqa: BLE001  (plyer raises whatever its backend does)
            logger.info("no notification service (%s); the message was: %s: %s", error, title, body)
            return False
        return True
