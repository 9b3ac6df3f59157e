"""The files that let a browser start blocker's native-messaging host: a manifest in the
browser's folder of hosts, naming a launcher that runs blocker's host with the daemon's
socket (ipc/native_host.py). Written while the extension is installed, removed with it.

The browser starts the launcher as the person, so both files are readable (and the
launcher runnable) by everyone; they hold no secret, only where the daemon listens.
"""

from __future__ import annotations

import contextlib
import json
import shlex
import sys
from pathlib import Path

from blocker.blocklist.browser_catalog import Browser
from blocker.core.policies import NATIVE_HOST as HOST_NAME
from blocker.errors import BlockerError
from blocker.system.atomic import write_atomically

LAUNCHERS = "usr/local/lib/blocker"  # under the root: the launchers' folder, ours alone


def host_places(
    browsers: tuple[Browser, ...], root: Path = Path("/")
) -> list[tuple[str, tuple[Browser, ...]]]:
    """Each folder where browsers read system-wide host manifests, with the browsers that
    read it (Chrome, Brave and Vivaldi share /etc/opt/chrome's): one manifest of ours
    each. Of a browser's folders, those whose parent is there (Debian has no /usr/lib64),
    or else its first."""
    places: dict[str, list[Browser]] = {}
    for browser in browsers:
        present = [f for f in browser.native_hosts if (root / f.lstrip("/")).parent.is_dir()]
        for folder in present or browser.native_hosts[:1]:
            places.setdefault(folder, []).append(browser)
    return [(folder, tuple(readers)) for folder, readers in places.items()]


def host_manifest(launcher: Path, extension_id: str, family: str = "chromium") -> bytes:
    """The manifest of the host, which only blocker's extension may start: Chromium names
    it by its origin, Firefox by its add-on ID."""
    allowed = (
        {"allowed_extensions": [extension_id]}
        if family == "firefox"
        else {"allowed_origins": [f"chrome-extension://{extension_id}/"]}
    )
    manifest = {
        "name": HOST_NAME,
        "description": "blocker: the list of pages to keep closed, live from its daemon",
        "path": str(launcher),
        "type": "stdio",
        **allowed,
    }
    return (json.dumps(manifest, indent=2) + "\n").encode()


def launcher_script(python: str, package_root: str, socket: Path, browser: str) -> bytes:
    """A shell script running the host with this daemon's Python and package: a host
    manifest names one program and no arguments."""
    command = shlex.join(
        [
            python,
            "-P",
            "-m",
            "blocker.ipc.native_host",
            "--socket",
            str(socket),
            "--browser",
            browser,
        ]
    )
    return (
        "#!/bin/sh\n"
        "# blocker's native-messaging host, written by blocker's daemon while the block is\n"
        "# on and removed when it ends.\n"
        f'PYTHONPATH={shlex.quote(package_root)} exec {command} "$@"\n'
    ).encode()


class NativeHostFiles:
    """The host manifest in one folder of host manifests, and its launcher. Called from
    the daemon's loop thread only; blocks on file I/O; idempotent."""

    def __init__(self, folder: str, readers: tuple[Browser, ...], root: Path, socket: Path) -> None:
        self.readers = readers
        self.socket = socket
        self.folder = root / folder.lstrip("/")
        self.manifest = self.folder / f"{HOST_NAME}.json"
        self.launcher = root / LAUNCHERS / f"native-host-{readers[0].key}"

    def reconcile(self, extension_id: str | None) -> bool:
        """Both files as they should be for `extension_id`, or both gone (None); True
        when something had to change."""
        if extension_id is None:
            return self._remove()
        package_root = str(Path(__file__).resolve().parents[2])
        wanted = (
            (
                self.launcher,
                # The browser's name, for the urge log, where one browser reads the folder;
                # where several do, the host tells them apart by the program it runs under.
                launcher_script(sys.executable, package_root, self.socket, self._name()),
                0o755,
            ),
            (
                self.manifest,
                host_manifest(self.launcher, extension_id, self.readers[0].family),
                0o644,
            ),
        )
        changed = False
        for path, data, mode in wanted:
            if path.is_file() and path.read_bytes() == data and path.stat().st_mode & 0o777 == mode:
                continue
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True)
                path.parent.chmod(0o755)  # whatever the umask: the browser must reach it
            write_atomically(path, data, mode=mode)
            changed = True
        return changed

    def _name(self) -> str:
        if len(self.readers) == 1 or self.readers[0].family == "firefox":
            return self.readers[0].name  # Firefox, as a package or a Snap
        return "a Chromium-family browser"

    def _remove(self) -> bool:
        changed = False
        for path in (self.manifest, self.launcher):
            if path.exists() or path.is_symlink():
                path.unlink()
                changed = True
            if path.exists():
                raise BlockerError(f"{path} could not be removed")
            with contextlib.suppress(OSError):  # no empty folder of ours left behind
                path.parent.rmdir()
        return changed
