"""One line above the card: what is left (new / learning / due, Anki's colours) and a bar."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class SessionProgress(Widget):
    """Bound to the review's counts (data_bind): it only draws them."""

    DEFAULT_CSS = """
    SessionProgress {
        height: 1;
        width: 100%;
        padding: 0 2;
    }
    """

    counts: reactive[tuple[int, int, int]] = reactive((0, 0, 0))  # new, learning, due
    # (cards done for today, cards of the session): a card answered but still learning is
    # not done, so the total only grows when cards join (a limit raised), never per answer
    progress: reactive[tuple[int, int]] = reactive((0, 0))

    def render(self) -> Content:
        new, learning, due = self.counts
        left = Content.assemble(
            (f"{new}", "bold $text-primary"),
            " new  ",
            (f"{learning}", "bold $text-error"),
            " learning  ",
            (f"{due}", "bold $text-success"),
            " due",
        )
        done, total = self.progress
        right = Content(f" {done}/{total}")
        width = self.size.width - left.cell_length - right.cell_length - 2
        if width < 6:
            return left
        filled = round(width * done / total) if total else 0
        bar = Content.assemble(
            ("━" * filled, "$accent"), ("━" * (width - filled), "$panel-lighten-2")
        )
        return Content.assemble(left, "  ", bar, right)
