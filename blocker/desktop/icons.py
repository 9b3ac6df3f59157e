"""The tray's icons, drawn with Pillow at any size: a shield (the block) whose colour and
mark tell the state at a glance, legible down to 16 px. `scripts/make-icons` writes the
sizes desktops want into assets/icons/ (PNG)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

COLOURS = {  # fill, outline
    "blocking": ((59, 110, 165), (35, 70, 110)),
    "cooldown": ((208, 140, 31), (140, 90, 10)),
    "paused": ((107, 143, 113), (62, 92, 68)),
    "idle": ((154, 163, 173), (100, 108, 118)),
    "unreachable": ((91, 95, 102), (50, 52, 56)),
}
MARK = (244, 241, 234)  # the warm white of the marks
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def _shield(size: int) -> list[tuple[float, float]]:
    s = size / 64
    return [
        (32 * s, 4 * s),
        (56 * s, 13 * s),
        (56 * s, 30 * s),
        (50 * s, 46 * s),
        (32 * s, 60 * s),
        (14 * s, 46 * s),
        (8 * s, 30 * s),
        (8 * s, 13 * s),
    ]


def draw(state: str, size: int, day: int | None = None) -> Image.Image:
    """The icon for `state` (one of COLOURS) as a square RGBA image `size` pixels wide."""
    from PIL import Image, ImageDraw

    scale = 4  # drawn large and scaled down, so edges stay smooth at 16 px
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    fill, outline = COLOURS[state]
    pen.polygon(_shield(big), fill=fill, outline=outline, width=max(1, big // 24))
    u = big / 64
    if state in ("blocking", "idle"):  # a heart: what the block protects
        pen.ellipse((19 * u, 20 * u, 33 * u, 34 * u), fill=MARK)
        pen.ellipse((31 * u, 20 * u, 45 * u, 34 * u), fill=MARK)
        pen.polygon([(20 * u, 30 * u), (44 * u, 30 * u), (32 * u, 46 * u)], fill=MARK)
    elif state == "cooldown":  # an hourglass: waiting
        pen.polygon([(22 * u, 18 * u), (42 * u, 18 * u), (32 * u, 32 * u)], fill=MARK)
        pen.polygon([(32 * u, 32 * u), (42 * u, 46 * u), (22 * u, 46 * u)], fill=MARK)
    elif state == "paused":  # two bars: paused
        pen.rectangle((23 * u, 19 * u, 29 * u, 45 * u), fill=MARK)
        pen.rectangle((35 * u, 19 * u, 41 * u, 45 * u), fill=MARK)
    else:  # unreachable: a broken link, a slash
        pen.line((20 * u, 44 * u, 44 * u, 20 * u), fill=MARK, width=int(6 * u))
    if day is not None and size >= 32:
        text = str(day)
        pen.rectangle((34 * u, 44 * u, 63 * u, 63 * u), fill=(255, 255, 255, 235))
        pen.text((36 * u, 44 * u), text, fill=outline, font_size=int(16 * u))
    return image.resize((size, size), Image.Resampling.LANCZOS)
