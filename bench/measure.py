"""Small statistics and timers shared by the figures."""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def percentile(samples: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above `share` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, pause: float = 0.001
) -> float:
    """Seconds until `condition()` held, polling every `pause`; an error after `timeout`."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(pause)
    return time.perf_counter() - started


CHECKOUT = Path(__file__).resolve().parent.parent


def clean_environment() -> dict[str, str]:
    """The environment for the programs measured: no display (a system service has none),
    byte-code caching on, as an installed package has it, and this checkout's code first
    on the path, whichever virtual environment runs it (another checkout's may be
    installed there)."""
    hidden = {"DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE"}
    environment = {key: value for key, value in os.environ.items() if key not in hidden}
    paths = [str(CHECKOUT), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return environment
