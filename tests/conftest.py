"""Shared fixtures. The session guard proves that no test touched the machine's real files."""

from __future__ import annotations

import hashlib
import os
import pwd
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Files and folders only the product may ever change, never a test.
GUARDED = (
    Path("/etc/hosts"),
    Path("/etc/blocker"),
    Path("/var/lib/blocker"),
    Path("/etc/chromium/policies"),
    Path("/etc/opt/chrome/policies"),
    Path("/etc/firefox/policies"),
    # The unit folders, whole: `systemctl enable` links into their *.wants folders.
    Path("/etc/systemd/system"),
    Path("/lib/systemd/system"),
    Path("/usr/lib/systemd/system"),
    Path("/run/blocker"),
    # The tray's autostart entry: in the folder of whoever runs the tests, by HOME and by
    # the account (blocker finds a person's home through the account, not HOME).
    Path.home() / ".config" / "autostart",
    Path(pwd.getpwuid(os.geteuid()).pw_dir) / ".config" / "autostart",
)


def _fingerprint(path: Path) -> tuple[str, ...]:
    if path.is_symlink():  # a link added or changed (an enabled unit) is a change too
        return (f"link to {path.readlink()}",)
    if not path.exists():
        return ("absent",)
    if path.is_file():
        status = path.stat()
        return (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            str(status.st_mtime_ns),
            str(status.st_ino),
        )
    return tuple(
        sorted(f"{p}:{_fingerprint(p)}" for p in path.rglob("*") if p.is_file() or p.is_symlink())
    )


@pytest.fixture(scope="session", autouse=True)
def real_system_files_are_untouched() -> Iterator[None]:
    before = {path: _fingerprint(path) for path in GUARDED}
    yield
    after = {path: _fingerprint(path) for path in GUARDED}
    changed = [str(path) for path in GUARDED if before[path] != after[path]]
    assert not changed, f"the test run changed real system files: {changed}"


# CI runs the same examples every time, so a red build is reproducible; locally, hypothesis
# keeps exploring new ones. No deadline in either: the properties are about results, and
# an example slowed by a loaded machine is no failure (the benchmark measures speed).
settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")
