"""One grade of the bar under the card: its number and name, and the interval it gives."""

from __future__ import annotations

from datetime import timedelta

from textual.content import Content
from textual.widgets import Static

from cards.scheduler import format_interval
from cards.state import Rating


class RatingButton(Static):
    # Its own module and rules, not RatingBar's: the first answer imports it, and Textual
    # reads a widget's CSS when the first one is mounted, so start-up (which shows only the
    # hint) neither defines the class nor parses its rules.
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
