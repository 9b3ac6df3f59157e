"""Where in a file something was written, so that every error can point at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where in a file something was written: 1-based line and column, and the field."""

    file: Path | str
    line: int
    column: int
    field: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
