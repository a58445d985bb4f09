"""Small terminal charts drawn with block characters: vertical bars and horizontal bars."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"


def column(value: float, top: float, height: int) -> list[str]:
    """One bar, top row first: `height` rows of full and partial (eighth) blocks."""
    if top <= 0:
        return [" "] * height
    eighths = round(value / top * height * 8)
    if value > 0:
        eighths = max(eighths, 1)  # a day with cards never looks empty
    rows = []
    for row in range(height - 1, -1, -1):
        fill = min(max(eighths - row * 8, 0), 8)
        rows.append(EIGHTHS[fill])
    return rows


class BarChart(Widget):
    """Vertical bars, one per value, with the top value and x labels (position -> text).
    Bar `highlight` stands out (the forecast's today, the workload's chosen retention)."""

    values: reactive[list[float]] = reactive(list, layout=True)
    highlight: reactive[int] = reactive(0)
    CHART_HEIGHT = 6

    def __init__(
        self, labels: dict[int, str] | None = None, highlight_style: str = "$warning", **kwargs
    ):
        super().__init__(**kwargs)
        self.labels = labels or {}
        self.highlight_style = highlight_style

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.CHART_HEIGHT + 1

    def render(self) -> Content:
        values = self.values
        if not values:
            return Content("")
        top = max(values)
        top_label = f"{top:g}" if isinstance(top, int) else f"{top:.1f}"
        axis = len(top_label) + 1
        bar = max(1, min(3, (self.size.width - axis) // len(values)))
        gap = 1 if bar > 1 else 0
        columns = [column(v, top, self.CHART_HEIGHT) for v in values]
        lines = []
        for row in range(self.CHART_HEIGHT):
            label = top_label if row == 0 else "0" if row == self.CHART_HEIGHT - 1 else ""
            parts: list[str | tuple[str, str]] = [(label.rjust(axis - 1) + " ", "$text-muted")]
            for i, col in enumerate(columns):
                # the highlight stands out; 1-cell bars alternate shades to stay apart
                style = (
                    self.highlight_style if i == self.highlight
                    else "$accent" if gap or i % 2 else "$accent 65%"
                )  # fmt: skip
                parts.append((col[row] * (bar - gap), style))
                parts.append(" " * gap)
            lines.append(Content.assemble(*parts))
        x = [" "] * (axis + len(values) * bar + 8)
        for pos, text in self.labels.items():
            if pos < len(values):
                start = axis + pos * bar
                x[start : start + len(text)] = list(text)
        lines.append(Content.styled("".join(x).rstrip(), "$text-muted"))
        return Content("\n").join(lines)


class HBars(Widget):
    """Horizontal bars: (label, value, style) rows, scaled to the widest."""

    rows: reactive[list[tuple[str, int, str]]] = reactive(list, layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows)

    def render(self) -> Content:
        rows = self.rows
        if not rows:
            return Content("")
        label_w = max(len(label) for label, _, _ in rows) + 1
        num_w = max(len(str(v)) for _, v, _ in rows) + 1
        width = max(self.size.width - label_w - num_w - 1, 4)
        top = max(v for _, v, _ in rows) or 1
        lines = []
        for label, value, style in rows:
            eighths = round(value / top * width * 8)
            if value:
                eighths = max(eighths, 1)
            full, part = divmod(eighths, 8)
            bar = "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")
            lines.append(
                Content.assemble(
                    (label.ljust(label_w), "$text-muted"),
                    (str(value).rjust(num_w - 1) + " ", "bold"),
                    (bar, style),
                )
            )
        return Content("\n").join(lines)


class Meter(Widget):
    """A gauge from 0 to 1, with its caption."""

    value: reactive[float | None] = reactive(None)
    caption: reactive[str] = reactive("")

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1

    def render(self) -> Content:
        width = max(self.size.width - len(self.caption) - 1, 4)
        if self.value is None:
            return Content.assemble(("─" * width, "$panel-lighten-2"), " ", self.caption)
        filled = round(self.value * width)
        return Content.assemble(
            ("━" * filled, "$success"),
            ("━" * (width - filled), "$panel-lighten-2"),
            " ",
            self.caption,
        )
