"""doctor's line on how the tray reads a copied profile: it names what it found here
(PyGObject with GTK 3, a clipboard program on PATH) and, where nothing is, what to install."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from blocker.cli import doctor_desktop as doctor


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_with_gtk_installed_doctor_says_the_tray_reads_through_gtk_and_what_else_it_has(
    bare_path: Path,
) -> None:
    if importlib.util.find_spec("gi") is None:
        pytest.skip("PyGObject is needed (blocker[desktop])")
    layer = doctor.clipboard_layer()
    assert layer.works
    assert "GTK" in layer.detail
    assert "install wl-clipboard" in layer.detail  # for the X backend: nothing on PATH
    (bare_path / "xclip").write_text("#!/bin/sh\n")
    (bare_path / "xclip").chmod(0o755)
    assert "xclip (found on PATH)" in doctor.clipboard_layer().detail


def test_without_gtk_or_a_program_doctor_says_nothing_can_and_what_to_install(
    bare_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor, "_gtk_found", lambda: False)
    layer = doctor.clipboard_layer()
    assert not layer.works
    assert "xclip" in layer.detail
    assert "wl-clipboard" in layer.detail
    (bare_path / "wl-paste").write_text("#!/bin/sh\n")
    (bare_path / "wl-paste").chmod(0o755)
    layer = doctor.clipboard_layer()
    assert layer.works
    assert "GTK" not in layer.detail
    assert "wl-paste" in layer.detail
