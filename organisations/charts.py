"""Bar charts as plain SVG drawn on the server (no chart library, no script), as the item
analysis draws its histogram. Each chart on a page also has its figures in a table.

The markup is written here in one pass rather than by the template engine: a page of three
charts is some 400 numbers, which cost more to render one template variable at a time than
everything else on the page. Coordinates are written with a decimal point whatever the
language (a decimal comma would break the drawing); every text is escaped.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, BOTTOM, TOP = 4, 4, 32, 22
INK, BAR = "#14202b", "#0b5c8c"


@dataclass(frozen=True)
class DrawnBar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # under the bar, short ("Jan")
    name: str  # in full, for the text alternative ("January 2026")
    middle: float  # where the labels are centred


@dataclass(frozen=True)
class BarChart:
    key: str  # for ids in the page
    title: str
    bars: list
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self):
        return self.height - BOTTOM

    @property
    def label_y(self):
        return self.height - BOTTOM + 18

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)

    def svg(self):
        """The chart as inline SVG, named by its title and described bar by bar."""
        title_id, desc_id = f"chart-{self.key}-title", f"chart-{self.key}-desc"
        described = " ".join(f"{bar.name}: {bar.value}." for bar in self.bars)
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{title_id}">{escape(self.title)}</title>',
            f'<desc id="{desc_id}">{escape(described)}</desc>',
            f'<line x1="0" y1="{self.baseline}" x2="{self.width}" y2="{self.baseline}" '
            f'stroke="{INK}"/>',
        ]
        for bar in self.bars:
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                f'fill="{BAR}"><title>{escape(bar.name)}: {bar.value}</title></rect>'
            )
            if bar.value:
                parts.append(
                    f'<text x="{bar.middle}" y="{round(bar.y - 5, 1)}" text-anchor="middle" '
                    f'font-size="16" fill="{INK}">{bar.value}</text>'
                )
            parts.append(
                f'<text x="{bar.middle}" y="{self.label_y}" text-anchor="middle" '
                f'font-size="16" fill="{INK}">{escape(bar.label)}</text>'
            )
        parts.append("</svg>")
        # Safe: our own numbers, and every text above went through escape().
        return mark_safe("".join(parts))


def bar_chart(key, title, values, labels, names):
    """Place one bar per value in a WIDTH x HEIGHT viewBox, the tallest bar full height."""
    tallest = max(values, default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    plot_height = HEIGHT - BOTTOM - TOP
    bars = []
    for index, (value, label, name) in enumerate(zip(values, labels, names, strict=True)):
        height = plot_height * value / tallest
        x = LEFT + index * slot + 3
        bars.append(
            DrawnBar(
                x=round(x, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot - 6, 1),
                height=round(height, 1),
                value=value,
                label=label,
                name=name,
                middle=round(x + (slot - 6) / 2, 1),
            )
        )
    return BarChart(key, str(title), bars)
