"""A calendar of reviews per study day, like Anki's heatmap: weeks as columns, Mon-Sun rows.

The level of each day shows twice: as a shade of the theme's success colour and as a glyph
(· ░ ▒ ▓ █), so the chart still reads without colour (NO_COLOR).
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

GLYPHS = ("·", "░", "▒", "▓", "█")
STYLES = ("$text-muted 40%", "$success 60%", "$success 75%", "$success 90%", "$success")
LABEL_WIDTH = 4
CELL = 2  # each week is a glyph and a space: terminal cells are twice as tall as wide


def thresholds(counts: list[int]) -> list[int]:
    """Upper bounds of levels 1-3: the quartiles of the days with reviews, so a few big
    days (new cards) do not wash out the rest."""
    busy = sorted(n for n in counts if n > 0)
    if not busy:
        return [0, 0, 0]
    return [busy[min(len(busy) - 1, len(busy) * q // 4)] for q in (1, 2, 3)]


def level(count: int, bounds: list[int]) -> int:
    if count <= 0:
        return 0
    return 1 + sum(count > b for b in bounds)


class Heatmap(Widget):
    per_day: reactive[dict[date, int]] = reactive(dict, layout=True)
    today: reactive[date] = reactive(date(2000, 1, 1))

    def show(self, per_day: dict[date, int], today: date) -> None:
        self.set_reactive(Heatmap.today, today)
        self.per_day = per_day

    def weeks(self) -> int:
        return max(4, min(53, (self.size.width - LABEL_WIDTH) // CELL))

    def get_content_height(self, container, viewport, width: int) -> int:
        return 9  # month row, seven days, legend

    def render(self) -> Content:
        weeks = self.weeks()
        today = self.today
        last_monday = today - timedelta(days=today.weekday())
        first = last_monday - timedelta(weeks=weeks - 1)
        shown = [n for d, n in self.per_day.items() if first <= d <= today]
        bounds = thresholds(shown)

        # Month names over the first week of each month, never closer than 4 weeks apart
        months = [" "] * (LABEL_WIDTH + weeks * CELL)
        last_label = -4
        for w in range(weeks):
            monday = first + timedelta(weeks=w)
            starts_month = w == 0 or monday.month != (monday - timedelta(weeks=1)).month
            if starts_month and w - last_label >= 3 and w <= weeks - 2:
                if w == 0 and (monday + timedelta(weeks=2)).month != monday.month:
                    continue  # the first column's month ends at once: label the next one
                start = LABEL_WIDTH + w * CELL
                months[start : start + 3] = monday.strftime("%b")
                last_label = w
        lines: list[Content] = [Content.styled("".join(months).rstrip(), "$text-muted")]
        for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            parts: list[str | tuple[str, str]] = [(name.ljust(LABEL_WIDTH), "$text-muted")]
            for w in range(weeks):
                day = first + timedelta(weeks=w, days=weekday)
                if day > today:
                    parts.append(" " * CELL)
                    continue
                lv = level(self.per_day.get(day, 0), bounds)
                style = STYLES[lv] + (" underline" if day == today else "")
                parts += [(GLYPHS[lv], style), " "]
            lines.append(Content.assemble(*parts))
        total = sum(shown)
        legend = [(" " * LABEL_WIDTH + "less ", "$text-muted")]
        for lv in range(5):
            legend += [(GLYPHS[lv], STYLES[lv]), " "]
        reviews = "review" if total == 1 else "reviews"
        legend.append((f"more   {total} {reviews} in {weeks} weeks", "$text-muted"))
        lines.append(Content.assemble(*legend))
        return Content("\n").join(lines)
