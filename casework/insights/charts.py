"""Charts drawn on the server as inline SVG: no JavaScript library, nothing the Content Security
Policy refuses (colours come from classes in the style sheet, never from style attributes). This
module only does the geometry; templates/insights/_chart.html draws it, with the data table beside."""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


@dataclass
class Chart:
    title: str
    x_label: str
    y_label: str
    kind: str
    ticks: list[dict] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT
    top: int = TOP

    @property
    def x_label_y(self) -> int:
        return self.height - 8

    @property
    def y_label_x(self) -> int:
        return 14

    @property
    def middle_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def middle_y(self) -> float:
        return (self.top + self.bottom) / 2


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _scale(low: float, high: float):
    span = (high - low) or 1

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (value - low) / span * (HEIGHT - BOTTOM - TOP), 1)

    return y


def _ticks(low: float, high: float, y) -> list[dict]:
    return [{"y": y(low + (high - low) * i / 4), "label": _number(low + (high - low) * i / 4)} for i in range(5)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(*, title: str, x_label: str, y_label: str, bars: list[tuple[str, float, str, str]]) -> Chart:
    """`bars`: (label, value, link, tone) — tone picks the colour class (bad/middle/good or "")."""
    chart = Chart(title, x_label, y_label, "bar")
    top = _nice_top(max((value or 0 for _label, value, _link, _tone in bars), default=0))
    y = _scale(0, top)
    chart.ticks = _ticks(0, top, y)
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    for index, (label, value, link, tone) in enumerate(bars):
        value = value or 0
        x = LEFT + index * slot + slot * 0.15
        chart.bars.append(
            {
                "x": round(x, 1),
                "y": y(value),
                "width": round(slot * 0.7, 1),
                "height": round(y(0) - y(value), 1),
                "value": _number(value),
                "value_y": y(value) - 4,
                "middle": round(x + slot * 0.35, 1),
                "link": link,
                "tone": tone,
                "label": label,
            }
        )
        chart.labels.append({"x": round(x + slot * 0.35, 1), "y": HEIGHT - BOTTOM + 16, "text": label})
    return chart


def line_chart(
    *, title: str, x_label: str, y_label: str, low: float, high: float, points: list[tuple[str, float | None, str]],
    reference: float | None = None,
) -> Chart:
    """One line of `points` (label, value, link) and, dashed, the previous period's value."""
    chart = Chart(title, x_label, y_label, "line")
    y = _scale(low, high)
    chart.ticks = _ticks(low, high, y)
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    path, dots = [], []
    for index, (label, value, link) in enumerate(points):
        x = round(LEFT + step * (index + 0.5), 1)
        chart.labels.append({"x": x, "y": HEIGHT - BOTTOM + 16, "text": label})
        if value is None:
            continue
        path.append(f"{'M' if not path else 'L'}{x},{y(value)}")
        dots.append({"x": x, "y": y(value), "value": _number(value), "link": link, "label": label})
    chart.lines.append({"path": " ".join(path), "dots": dots, "kind": "current"})
    if reference is not None:
        ref_y = y(reference)
        chart.lines.append(
            {"path": f"M{LEFT},{ref_y} L{WIDTH - RIGHT},{ref_y}", "dots": [], "kind": "reference", "value": _number(reference), "y": ref_y}
        )
    return chart
