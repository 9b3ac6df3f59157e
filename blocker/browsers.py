"""The browser catalog (`config/browsers.yaml`) and which of those browsers this machine has."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

from blocker import yamlsource
from blocker.errors import ConfigError
from blocker.fields import mapping, scalar, words
from blocker.resources import data_file
from blocker.yamlsource import Node

_KEYS = (
    "name",
    "family",
    "executables",
    "linux",
    "install_dirs",
    "macos",
    "windows",
    "private_windows",
)


@dataclass(frozen=True)
class Browser:
    key: str
    name: str
    family: str  # "chromium" or "firefox"
    executables: tuple[str, ...]
    linux: str
    install_dirs: tuple[str, ...]
    macos: str
    windows: str
    private_windows: str = "IncognitoModeAvailability"  # Chromium family: its policy's name

    def installed(self) -> bool:
        """Whether one of its programs is on PATH. Cheap: a few stat calls."""
        return any(shutil.which(name) for name in self.executables)


def _optional(fields: dict[str, Node], key: str, expected: str) -> dict[str, str]:
    """`{key: text}` where the entry sets it, else nothing (the field's default holds)."""
    return {key: scalar(fields[key], expected).text} if key in fields else {}


def parse_browsers(text: str, file: Path | str) -> tuple[Browser, ...]:
    root = yamlsource.parse(text, file)
    if not isinstance(root, yamlsource.Mapping):
        raise ConfigError(f"{file}: expected a mapping of browsers")
    browsers = []
    for key, (_, node) in root.entries.items():
        fields = mapping(node, "a browser description", _KEYS)
        family = scalar(fields["family"], "chromium or firefox").text
        if family not in ("chromium", "firefox"):
            raise ConfigError(f"expected chromium or firefox, found {family!r}", node.where)
        browsers.append(
            Browser(
                key=key,
                name=scalar(fields["name"], "a name").text,
                family=family,
                executables=words(fields["executables"], "a program name"),
                linux=scalar(fields["linux"], "a path").text,
                install_dirs=words(fields.get("install_dirs"), "a folder"),
                macos=scalar(fields["macos"], "a preference domain").text,
                windows=scalar(fields["windows"], "a registry key").text,
                **_optional(fields, "private_windows", "a policy name"),
            )
        )
    return tuple(browsers)


@functools.cache
def shipped_browsers() -> tuple[Browser, ...]:
    path = data_file("browsers.yaml")
    return parse_browsers(yamlsource.read_file(path), path)
