"""A figure: a measured value, its target, and what it was measured against."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str  # the key in the JSON object
    value: float
    target: float  # the value must be at most this
    unit: str  # "x" for a ratio, "ms", "s", "%"
    against: str  # the baseline or the sample, in words, for the table

    @property
    def holds(self) -> bool:
        return self.value <= self.target


def _number(value: float, unit: str) -> str:
    shown = f"{value:.3f}" if unit == "%" else f"{value:.2f}" if unit in "xs" else f"{value:.1f}"
    return shown + ("" if unit == "x" else " " + unit)


def table(figures: Sequence[Figure]) -> str:
    """The figures for a person: value, target, whether it holds, what it was set against."""
    rows = [("figure", "value", "target", "holds", "measured against")]
    rows += [
        (
            f.name,
            _number(f.value, f.unit),
            "<= " + _number(f.target, f.unit),
            "yes" if f.holds else "NO",
            f.against,
        )
        for f in figures
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[4]])
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def as_json(figures: Sequence[Figure]) -> str:
    """One JSON object whose keys are the figure names."""
    return json.dumps({f.name: round(f.value, 4) for f in figures}, indent=2)
