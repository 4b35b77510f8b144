"""Charts drawn on the server as SVG geometry (no JavaScript, no chart library).

The functions return plain data (rectangles, ticks, labels); ``templates/akuntabilitas/
_chart_*.html`` turn it into ``<svg role="img">`` with a ``<title>`` and ``<desc>``. Colours come
from CSS classes in ``static/css/akuntabilitas.css`` (no inline styles). Every chart is shown
next to a table of the same numbers, which is the accessible version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    value: object
    label: str

    @property
    def value_text(self) -> str:
        return _fmt(self.value)

    @property
    def text_x(self) -> float:
        """Where a horizontal bar's value is written (just after its end)."""
        return round(self.x + self.width + 4, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + self.height * 0.75, 1)


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    legend: list[tuple[str, str]]

    @property
    def label_x(self) -> float:
        """x of the labels left of the plot (y axis, row labels)."""
        return round(self.plot_left - 6, 1)

    @property
    def label_y(self) -> float:
        """y of the labels under the plot (x axis)."""
        return round(self.plot_bottom + 16, 1)

    @property
    def empty(self) -> bool:
        return not any(b.value for b in self.bars)


def nice_max(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 5 x 10^n."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        bound = step * 10**exponent
        if bound >= value:
            return bound
    return 10 ** (exponent + 1)


def _fmt(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def grouped_columns(
    categories: list[str],
    series: list[tuple[str, str, list[float]]],
    *,
    width: int = 720,
    height: int = 300,
) -> Chart:
    """Vertical columns, one group per category; ``series`` is ``(name, css class, values)``."""
    left, right, top, bottom = 44.0, width - 8.0, 12.0, height - 36.0
    top_value = nice_max(max((v for _, _, vals in series for v in vals), default=0))
    n_cat = max(len(categories), 1)
    n_series = max(len(series), 1)
    group_w = (right - left) / n_cat
    bar_w = max(group_w * 0.8 / n_series, 1.0)
    bars = []
    for ci, category in enumerate(categories):
        for si, (name, css, values) in enumerate(series):
            value = values[ci] if ci < len(values) else 0
            h = (bottom - top) * (float(value) / top_value)
            x = left + ci * group_w + group_w * 0.1 + si * bar_w
            bars.append(
                Bar(
                    round(x, 1),
                    round(bottom - h, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    css,
                    value,
                    f"{category}, {name}: {_fmt(value)}",
                )
            )
    x_ticks = [Tick(round(left + (i + 0.5) * group_w, 1), c) for i, c in enumerate(categories)]
    y_ticks = [
        Tick(round(bottom - (bottom - top) * f, 1), _fmt(round(top_value * f, 2)))
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return Chart(
        width,
        height,
        bars,
        x_ticks,
        y_ticks,
        left,
        top,
        right,
        bottom,
        [(name, css) for name, css, _ in series],
    )


def horizontal_bars(
    rows: list[tuple[str, float]],
    *,
    max_value: float | None = None,
    css: str = "bar-a",
    width: int = 720,
    row_height: int = 26,
    label_width: int = 260,
) -> Chart:
    """One horizontal bar per row ``(label, value)``; labels on the left."""
    top, left = 8.0, float(label_width)
    right = width - 56.0
    height = int(top * 2 + row_height * max(len(rows), 1) + 18)
    bottom = height - 18.0
    top_value = max_value or nice_max(max((float(v) for _, v in rows), default=0))
    bars = []
    for i, (label, value) in enumerate(rows):
        w = (right - left) * (float(value or 0) / top_value)
        y = top + i * row_height + row_height * 0.15
        bars.append(
            Bar(
                round(left, 1),
                round(y, 1),
                round(w, 1),
                round(row_height * 0.7, 1),
                css,
                value,
                f"{label}: {_fmt(value)}",
            )
        )
    y_ticks = [
        Tick(round(top + (i + 0.5) * row_height, 1), label) for i, (label, _) in enumerate(rows)
    ]
    x_ticks = [
        Tick(round(left + (right - left) * f, 1), _fmt(round(top_value * f, 2)))
        for f in (0, 0.5, 1)
    ]
    return Chart(width, height, bars, x_ticks, y_ticks, left, top, right, bottom, [])
