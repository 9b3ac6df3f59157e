"""Data files shipped with blocker (`config/`, `extension/`): beside the package in a
checkout, inside it when installed from a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # blocker/


def data_file(name: str) -> Path:
    """The shipped `config/NAME`; FileNotFoundError names where it looked."""
    candidates = (_PACKAGE / "_data" / "config" / name, _PACKAGE.parent / "config" / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"blocker's own data file {name} is missing (looked in {candidates})")


def extension_sources() -> Path:
    """The browser extension's folder (`extension/` of the checkout)."""
    candidates = (_PACKAGE / "_data" / "extension", _PACKAGE.parent / "extension")
    for candidate in candidates:
        if (candidate / "manifest.json").is_file():
            return candidate
    raise FileNotFoundError(f"blocker's browser extension is missing (looked in {candidates})")
