"""A score histogram as plain SVG geometry, drawn on the server (no chart library)."""

from dataclasses import dataclass

WIDTH, HEIGHT = 440, 220
LEFT, BOTTOM, TOP = 36, 36, 16


@dataclass(frozen=True)
class DrawnBar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    label_x: float


def histogram_bars(bars):
    """Place each Bar(low, high, count) in a WIDTH x HEIGHT viewBox, tallest bar full height."""
    tallest = max((bar.count for bar in bars), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    plot_height = HEIGHT - BOTTOM - TOP
    drawn = []
    for index, bar in enumerate(bars):
        height = plot_height * bar.count / tallest
        x = LEFT + index * slot + 2
        drawn.append(
            DrawnBar(
                x=round(x, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot - 4, 1),
                height=round(height, 1),
                count=bar.count,
                label=f"{bar.low}",
                label_x=round(x + (slot - 4) / 2, 1),
            )
        )
    return drawn


def qr_svg(url):
    """A QR code for the URL as inline SVG, drawn here (segno): no image service, no script."""
    import segno
    from django.utils.safestring import mark_safe

    code = segno.make(url, error="m")
    # segno escapes the title; the SVG is our own geometry, so it is safe to inline.
    return mark_safe(code.svg_inline(scale=3, light="#fff", svgclass="qr", lineclass=None))
