"""The bar under the card: how to show the answer, then the four grades with their intervals."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive

from cards.state import Rating


class RatingBar(Horizontal):
    """Before the answer: a hint (click to reveal). After: Again/Hard/Good/Easy, with the
    suggested grade selected (Enter/Space accepts it).

    The bar draws the hint itself rather than holding a widget for it: one widget less to
    mount, style and lay out before the first card is on screen."""

    DEFAULT_CSS = """
    RatingBar {
        height: 2;
        padding: 0 1;
        align-horizontal: center;
        content-align: center middle;
        color: $text-muted;
        &.-answer .rating {
            display: block;
        }
    }
    """

    class Rated(Message):
        """A grade was clicked."""

        def __init__(self, rating: Rating):
            super().__init__()
            self.rating = rating

    class Reveal(Message):
        """The hint was clicked: show the answer."""

    selected: reactive[Rating] = reactive(Rating.GOOD)
    hint: reactive[Content] = reactive(Content)  # what the question side says to do
    # (the grade buttons are mounted on the first answer: start-up draws only the hint)

    def render(self) -> Content:
        return Content() if self.has_class("-answer") else self.hint

    def ask(self, hint: Content) -> None:
        """Question side: only the hint."""
        self.hint = hint
        self.set_class(False, "-answer")
        self.refresh()  # (the hint again, if the grades were showing)

    def on_click(self, event: events.Click) -> None:
        rating = getattr(event.widget, "rating", None)  # a grade's button
        if rating is not None:
            self.post_message(RatingBar.Rated(rating))
        elif not self.has_class("-answer"):  # (beside the grades, nothing)
            self.post_message(RatingBar.Reveal())

    def grades(self, intervals: dict[Rating, timedelta]) -> None:
        """Answer side: every grade with the interval it gives."""
        if self.children:
            for button in self.children:
                button.show(intervals[button.rating])
        else:
            # defined in its own module, imported here: start-up shows no grade
            from app.tui.widgets.rating_button import RatingButton

            self.mount_all(RatingButton(r, intervals[r]) for r in Rating)
            self.watch_selected(self.selected)
        self.set_class(True, "-answer")
        self.refresh()  # (the hint goes)

    def watch_selected(self, selected: Rating) -> None:
        for button in self.children:
            button.set_class(button.rating == selected, "-selected")
