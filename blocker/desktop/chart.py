"""The progress picture: days of the period along the bottom, urges resisted as bars,
pauses used as marks above them, today and the end of the period as lines. Drawn with
Pillow (a dependency already, through pystray); pure apart from the image it returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blocker.core import truthtext as words

if TYPE_CHECKING:
    from PIL import Image

WIDTH, HEIGHT = 900, 420
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 60, 30, 70, 60
INK = (45, 52, 64)
BAR = (59, 110, 165)
FUTURE = (225, 229, 235)
PAUSE = (208, 140, 31)
END = (107, 143, 113)


def draw(stats: dict[str, Any]) -> Image.Image:
    from PIL import Image, ImageDraw

    days = stats["period_days"]
    image = Image.new("RGB", (WIDTH, HEIGHT), (252, 251, 248))
    pen = ImageDraw.Draw(image)
    title = f"Day {stats['day']} of {stats['days']}" if stats["day"] else "Your period"
    pauses = stats["pauses"]
    headline = f"{title} · {words.counted(stats['urges'], 'urge')} resisted"
    if pauses["asked"]:
        asked = words.counted(pauses["asked"], "pause")
        headline += f" · {pauses['cancelled']} of {asked} cancelled"
    pen.text((MARGIN_LEFT, 18), headline, fill=INK, font_size=20)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    base = HEIGHT - MARGIN_BOTTOM
    top = max([d["urges"] for d in days] + [1])
    step = plot_w / max(len(days), 1)
    pen.line((MARGIN_LEFT, base, WIDTH - MARGIN_RIGHT, base), fill=INK, width=2)
    for index, day in enumerate(days):
        left = MARGIN_LEFT + index * step
        right = left + max(step * 0.7, 1)
        if day["past"]:
            height = plot_h * day["urges"] / top
            if day["urges"]:
                pen.rectangle((left, base - height, right, base - 1), fill=BAR)
            for mark in range(day["pauses_used"]):
                centre = ((left + right) / 2, base - height - 10 - 12 * mark)
                pen.ellipse(
                    (centre[0] - 4, centre[1] - 4, centre[0] + 4, centre[1] + 4), fill=PAUSE
                )
        else:
            pen.rectangle((left, base - 3, right, base - 1), fill=FUTURE)
        if index % max(1, len(days) // 10) == 0:
            pen.text((left, base + 8), day["date"][5:], fill=INK, font_size=12)
    end_x = MARGIN_LEFT + len(days) * step
    pen.line((end_x, MARGIN_TOP - 10, end_x, base), fill=END, width=3)
    pen.text((end_x - 80, MARGIN_TOP - 30), "the period ends", fill=END, font_size=14)
    pen.text(
        (MARGIN_LEFT, HEIGHT - 24),
        "bars: urges resisted each day · dots: pauses used",
        fill=INK,
        font_size=13,
    )
    return image
