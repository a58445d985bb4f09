"""The end of a session: cards done, accuracy where the app checked the answer (choice,
verdict, typed), time, when the next is due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from app.tui import render
from app.tui.widgets.footer import FittingFooter
from cards.state import Rating


@dataclass
class SessionSummary:
    """What the summary shows, from the session's answers (review.Answer)."""

    answers: list
    now: datetime
    next_due: datetime | None
    left: tuple[int, int, int] = (0, 0, 0)  # (new, learning, due) still there: ended early
    held: object = None  # cards.session.Held: what today's limits keep back, if anything
    by_rating: dict[Rating, int] = field(init=False)

    def __post_init__(self):
        self.by_rating = {r: sum(1 for a in self.answers if a.rating == r) for r in Rating}

    @property
    def reviews(self) -> int:
        return len(self.answers)

    @property
    def cards(self) -> int:
        return len({a.card.key for a in self.answers})

    @property
    def graded(self) -> list:
        return [a for a in self.answers if a.correct is not None]

    @property
    def accuracy(self) -> float | None:
        graded = self.graded
        return sum(a.correct for a in graded) / len(graded) if graded else None

    @property
    def seconds(self) -> float:
        return sum(a.duration_ms for a in self.answers) / 1000


RATING_STYLES = {
    Rating.AGAIN: "$text-error",
    Rating.HARD: "$text-warning",
    Rating.GOOD: "$text-success",
    Rating.EASY: "$text-primary",
}


def summary_rows(summary) -> list[tuple[str, Content | str]]:
    """(label, value) per line of the summary."""
    rows: list[tuple[str, Content | str]] = []
    if summary.reviews:
        rows.append(
            (
                "Cards studied",
                f"{summary.cards} ({summary.reviews} answer{'s' * (summary.reviews != 1)})",
            )
        )
        rows.append(
            (
                "Grades",
                Content(" · ").join(
                    Content.assemble(
                        (str(summary.by_rating[r]), f"bold {RATING_STYLES[r]}"), f" {r.label}"
                    )
                    for r in Rating
                ),
            )
        )
        graded = summary.graded
        if graded:
            right = sum(a.correct for a in graded)
            rows.append(
                (
                    "Accuracy",
                    f"{render.percent(summary.accuracy)}: {right} of {len(graded)} checked answers right",
                )
            )
        else:
            rows.append(("Accuracy", "no answers checked this session (choice, verdict, typed)"))
        per_card = summary.seconds / summary.reviews
        rows.append(
            ("Time", f"{render.duration(summary.seconds)} ({render.duration(per_card)} a card)")
        )
    held = summary.held
    if held is not None and (held.new or held.reviews):
        from app.tui.screens.home import limit_line

        rows.append(("Daily limit", limit_line(held)))
    new, learning, due = summary.left
    if new + learning + due:
        rows.append(("Left for today", f"{new} new · {learning} learning · {due} due"))
    else:
        nxt = summary.next_due
        rows.append(
            ("Next card due", render.until(nxt, summary.now) if nxt else "nothing scheduled")
        )
    return rows


class SummaryScreen(Screen[str]):
    DEFAULT_CSS = """
        #summary-center {
            height: 1fr;
            align-vertical: middle;
        }
        #summary {
            width: 72;
            max-width: 100%;
            height: auto;
            padding: 1 2;
            border: round $accent;
        }
        #summary-body {
            grid-size: 2;
            grid-columns: auto 1fr;
            grid-gutter: 0 3;
            height: auto;
            & > Static {
                height: auto;
            }
            .summary-label {
                color: $text-muted;
            }
        }
        #summary-title {
            margin-bottom: 1;
            color: $text-accent;
        }
        #summary-keys {
            margin-top: 1;
            color: $text-muted;
        }
    """
    BINDINGS = [
        Binding("enter,space,q,escape", "close", "Home", id="summary.back"),
        Binding("u,ctrl+z", "undo", "Undo last", id="summary.undo"),
        Binding("plus", "custom_study", "Custom study", id="summary.custom_study"),
    ]

    def __init__(self, summary, *, can_undo: bool):
        super().__init__()
        self.summary = summary
        self.can_undo = can_undo

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(id="summary-center"), Vertical(id="summary"):
            if not self.summary.reviews:
                title = "Nothing is due right now"
            elif sum(self.summary.left):
                title = "Session ended"
            else:
                title = "Session complete"
            yield Static(Content.styled(title, "bold"), id="summary-title")
            # a grid, so that a long value wraps under its own column, not under the labels
            with Grid(id="summary-body"):
                for label, value in summary_rows(self.summary):
                    yield Static(label, classes="summary-label", markup=False)
                    yield Static(value, markup=False)
            yield Static(
                Content.assemble(
                    ("Enter", "bold"), " home  ", ("s", "bold"), " stats  ", ("b", "bold"), " browse",
                    *(("  ", ("u", "bold"), " undo the last answer") if self.can_undo else ()),
                ),
                id="summary-keys",
            )  # fmt: skip
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Summary"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.can_undo
        if action == "custom_study":
            return getattr(self.summary, "held", None) is not None
        return True

    def action_close(self) -> None:
        self.dismiss("back")

    def action_undo(self) -> None:
        self.dismiss("undo")

    def action_custom_study(self) -> None:
        self.dismiss("custom")
