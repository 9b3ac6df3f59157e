"""The browser catalog (`config/browsers.yaml`) and which of those browsers this machine has.

One entry is one browser as one kind of distribution ships it: a package (deb, rpm), a
Snap or a Flatpak. Entries that read the same policy location share one enforcer
(`policy_places`). Finding an install is a few stat calls and at most one short read."""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from blocker.blocklist import yamlsource
from blocker.blocklist.fields import mapping, scalar, words
from blocker.blocklist.yamlsource import Node
from blocker.errors import ConfigError
from blocker.system.resources import data_file

_KEYS = (
    "name",
    "family",
    "executables",
    "linux",
    "install_dirs",
    "private_windows",
    "snap",
    "flatpak",
    "native_hosts",
    "limits",
)

# Flatpak's names for the machine's architecture, as its folders spell them.
_FLATPAK_ARCHES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def flatpak_arch(machine: str | None = None) -> str:
    machine = (machine or os.uname().machine).lower()  # what platform.machine() reads
    return _FLATPAK_ARCHES.get(machine, machine)


@dataclass(frozen=True)
class Browser:
    key: str
    name: str
    family: str  # "chromium" or "firefox"
    executables: tuple[str, ...]
    linux: str
    install_dirs: tuple[str, ...]
    private_windows: str = "IncognitoModeAvailability"  # Chromium family: its policy's name
    snap: str = ""  # the Snap's name, when this entry is the browser as a Snap
    flatpak: str = ""  # the Flatpak's application ID, when this entry is the browser as one
    native_hosts: tuple[str, ...] = ()  # system folders of native-messaging host manifests
    limits: str = ""  # what of the block cannot hold in this build, in words; "" if all does

    @property
    def ships_as(self) -> str:
        return "snap" if self.snap else "flatpak" if self.flatpak else "package"

    def installs(
        self, root: Path = Path("/"), home: Path | None = None, search_path: str | None = None
    ) -> tuple[Install, ...]:
        """Where this machine (seen under `root`) has it: the program on the search path
        (a package), /snap/bin/<name>, a system-wide Flatpak, and, with `home`, a Flatpak
        installed for that person only (which the root daemon does not look for)."""
        found: list[Install] = []
        if self.snap:
            marker = root / "snap/bin" / self.snap
            if os.path.lexists(marker):  # a link to /usr/bin/snap, dangling in a copy
                found.append(Install(self, marker))
        elif self.flatpak:
            places = [(root / "var/lib/flatpak", False)]
            if home is not None:
                places.append((home / ".local/share/flatpak", True))
            for base, per_user in places:
                app = base / "app" / self.flatpak
                if app.is_dir():
                    found.append(Install(self, app, per_user))
        else:
            program = _package_program(self.executables, root, search_path)
            if program is not None:
                found.append(Install(self, program))
        return tuple(found)

    def installed(self) -> bool:
        """Whether this machine has it system-wide, where the daemon writes for it."""
        return any(not install.per_user for install in self.installs())


@dataclass(frozen=True)
class Install:
    browser: Browser
    where: Path  # the program, link or folder that shows it is there
    per_user: bool = False  # a Flatpak in one person's home


def _package_program(names: tuple[str, ...], root: Path, search_path: str | None) -> Path | None:
    """The first of `names` on the search path (re-rooted under `root`) that is the
    browser itself, not a Snap's launcher: Ubuntu's `firefox` and `chromium-browser`
    packages are scripts that start the Snap."""
    folders = search_path if search_path is not None else os.environ.get("PATH", os.defpath)
    prefix = "" if root == Path("/") else str(root)  # strings: this runs on every step
    rooted = [
        prefix + folder
        for folder in folders.split(os.pathsep)
        if folder.startswith("/") and not folder.startswith("/snap")
    ]
    for name in names:
        found = shutil.which(name, path=os.pathsep.join(rooted))
        if found is not None and not _starts_a_snap(Path(found)):
            return Path(found)
    return None


def _starts_a_snap(program: Path) -> bool:
    try:
        if "/snap/" in str(program.resolve()):
            return True
        with program.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return head.startswith(b"#!") and b"/snap/" in head


def policy_places(browsers: tuple[Browser, ...]) -> list[tuple[Browser, ...]]:
    """The browsers grouped by the policy location they read (a Flatpak that reads the
    host's folder shares it with the package): one enforcer each, so one file of ours."""
    places: dict[tuple[str, str], list[Browser]] = {}
    for browser in browsers:
        places.setdefault((browser.family, browser.linux), []).append(browser)
    return [tuple(group) for group in places.values()]


def _optional(fields: dict[str, Node], key: str, expected: str) -> dict[str, str]:
    """`{key: text}` where the entry sets it, else nothing (the field's default holds)."""
    return {key: scalar(fields[key], expected).text} if key in fields else {}


def parse_browsers(text: str, file: Path | str, arch: str | None = None) -> tuple[Browser, ...]:
    """`{arch}` in a path is the machine's architecture as Flatpak's folders name it."""
    root = yamlsource.parse(text, file)
    if not isinstance(root, yamlsource.Mapping):
        raise ConfigError(f"{file}: expected a mapping of browsers")
    arch = arch or flatpak_arch()
    browsers = []
    for key, (_, node) in root.entries.items():
        fields = mapping(node, "a browser description", _KEYS)
        family = scalar(fields["family"], "chromium or firefox").text
        if family not in ("chromium", "firefox"):
            raise ConfigError(f"expected chromium or firefox, found {family!r}", node.where)
        if "snap" in fields and "flatpak" in fields:
            raise ConfigError("an entry is a Snap or a Flatpak, not both", node.where)
        browsers.append(
            Browser(
                key=key,
                name=scalar(fields["name"], "a name").text,
                family=family,
                executables=words(fields.get("executables"), "a program name"),
                linux=scalar(fields["linux"], "a path").text.replace("{arch}", arch),
                install_dirs=words(fields.get("install_dirs"), "a folder"),
                native_hosts=tuple(
                    folder.replace("{arch}", arch)
                    for folder in words(fields.get("native_hosts"), "a folder")
                ),
                **_optional(fields, "private_windows", "a policy name"),
                **_optional(fields, "snap", "a Snap's name"),
                **_optional(fields, "flatpak", "a Flatpak application ID"),
                **_optional(fields, "limits", "a sentence"),
            )
        )
    return tuple(browsers)


@functools.cache
def shipped_browsers() -> tuple[Browser, ...]:
    path = data_file("browsers.yaml")
    return parse_browsers(yamlsource.read_file(path), path)
