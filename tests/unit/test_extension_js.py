"""The extension's JavaScript tests (`node --test tests/extension`), run by pytest so that
the one test command covers them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    shutil.which("node") is None, reason="Debian's nodejs is needed (scripts/test installs it)"
)
def test_the_extensions_matcher_passes_its_node_tests() -> None:
    tests = sorted(str(p) for p in (ROOT / "tests" / "extension").glob("*.test.mjs"))
    assert tests
    done = subprocess.run(
        ["node", "--test", *tests], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
