"""One line above the card: what is left (new / learning / due, Anki's colours) and a bar."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class SessionProgress(Widget):
    new: reactive[int] = reactive(0)
    learning: reactive[int] = reactive(0)
    due: reactive[int] = reactive(0)
    done: reactive[int] = reactive(0)

    def show(self, counts: tuple[int, int, int], done: int) -> None:
        self.new, self.learning, self.due = counts
        self.done = done

    def render(self) -> Content:
        left = Content.assemble(
            (f"{self.new}", "bold $text-primary"),
            " new  ",
            (f"{self.learning}", "bold $text-error"),
            " learning  ",
            (f"{self.due}", "bold $text-success"),
            " due",
        )
        total = self.done + self.new + self.learning + self.due
        right = Content(f" {self.done}/{total}")
        width = self.size.width - left.cell_length - right.cell_length - 2
        if width < 6:
            return left
        filled = round(width * self.done / total) if total else 0
        bar = Content.assemble(
            ("━" * filled, "$accent"), ("━" * (width - filled), "$panel-lighten-2")
        )
        return Content.assemble(left, "  ", bar, right)
