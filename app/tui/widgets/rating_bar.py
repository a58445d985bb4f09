"""The bar under the card: how to show the answer, then the four grades with their intervals."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from cards.scheduler import format_interval
from cards.state import Rating


class RatingButton(Static):
    # Its own rules, not RatingBar's: Textual reads a widget's CSS when the first one is
    # mounted, so start-up (which shows only the hint) does not parse them.
    DEFAULT_CSS = """
    RatingButton {
        display: none;
        color: $foreground;  /* (not the bar's muted hint colour) */
        width: 1fr;
        max-width: 14;
        height: 2;
        margin: 0 1;
        padding: 0 1;
        content-align: center middle;
        text-align: center;
        background: $boost;
        border-left: outer $panel-lighten-2;
        &.again { border-left: outer $error; }
        &.hard { border-left: outer $warning; }
        &.good { border-left: outer $success; }
        &.easy { border-left: outer $primary; }
        &.-selected {
            background: $accent 40%;
            text-style: bold;
        }
    }
    """

    def __init__(self, rating: Rating, interval: timedelta):
        super().__init__(classes=f"rating {rating.name.lower()}", markup=False)
        self.rating = rating
        self.show(interval)

    def show(self, interval: timedelta | str) -> None:
        """The grade and what it does: an interval, or a word (cram's "done")."""
        then = interval if isinstance(interval, str) else format_interval(interval)
        self.update(
            Content.assemble((f"{int(self.rating)} ", "bold"), self.rating.label, "\n", then)
        )

    def on_click(self, event: events.Click) -> None:
        self.post_message(RatingBar.Rated(self.rating))


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
        if not self.has_class("-answer"):  # (a grade's click is the grade's)
            self.post_message(RatingBar.Reveal())

    def grades(self, intervals: dict[Rating, timedelta]) -> None:
        """Answer side: every grade with the interval it gives."""
        buttons = list(self.query(RatingButton))
        if buttons:
            for button in buttons:
                button.show(intervals[button.rating])
        else:
            self.mount_all(RatingButton(r, intervals[r]) for r in Rating)
            self.watch_selected(self.selected)
        self.set_class(True, "-answer")
        self.refresh()  # (the hint goes)

    def watch_selected(self, selected: Rating) -> None:
        for button in self.query(RatingButton):
            button.set_class(button.rating == selected, "-selected")
