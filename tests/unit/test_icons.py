"""Each tray icon state rendered: size, transparency, and colours that tell them apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from blocker.desktop.icons import COLOURS, SIZES, draw

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "icons"


def pixels(image: Image.Image) -> list[tuple[int, int, int, int]]:
    data = image.convert("RGBA").tobytes()
    return [(data[i], data[i + 1], data[i + 2], data[i + 3]) for i in range(0, len(data), 4)]


def dominant(image: Image.Image) -> tuple[int, int, int]:
    opaque = [pixel[:3] for pixel in pixels(image) if pixel[3] == 255]
    return max(set(opaque), key=opaque.count)


@pytest.mark.parametrize("size", [16, 22, 32, 64])
@pytest.mark.parametrize("state", list(COLOURS))
def test_every_state_draws_at_every_tray_size_with_transparent_corners(
    state: str, size: int
) -> None:
    image = draw(state, size)
    assert image.size == (size, size)
    assert image.mode == "RGBA"
    every = pixels(image)
    assert every[0][3] == 0
    assert every[-1][3] == 0
    opaque = sum(1 for pixel in every if pixel[3] > 200)
    assert opaque > size * size * 0.3  # a solid shape, not a few specks


def test_the_states_have_clearly_different_colours_even_at_16_px() -> None:
    colours = [dominant(draw(state, 16)) for state in COLOURS]
    for index, first in enumerate(colours):
        for second in colours[index + 1 :]:
            assert sum(abs(a - b) for a, b in zip(first, second, strict=True)) > 60


def test_the_day_counter_appears_where_there_is_room() -> None:
    assert draw("blocking", 64, day=12).tobytes() != draw("blocking", 64).tobytes()
    assert draw("blocking", 16, day=12).tobytes() == draw("blocking", 16).tobytes()


def test_the_shipped_assets_are_what_the_drawing_makes_at_every_size() -> None:
    # scripts/make-icons writes them; a change of the drawing without it shows here.
    for state in COLOURS:
        for size in SIZES:
            with Image.open(ASSETS / f"{state}-{size}.png") as shipped:
                assert shipped.convert("RGBA").tobytes() == draw(state, size).tobytes()
