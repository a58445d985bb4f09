"""Review: one card at a time. Space/Enter reveals, 1-4 rates (interval on each button)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from app.tui import render
from cards.scheduler import format_interval
from cards.state import Rating


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="review.reveal"),
        Binding("1", "rate(1)", "Again", id="review.again", show=False),
        Binding("2", "rate(2)", "Hard", id="review.hard", show=False),
        Binding("3", "rate(3)", "Good", id="review.good", show=False),
        Binding("4", "rate(4)", "Easy", id="review.easy", show=False),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("escape", "leave", "Back", id="review.back"),
    ]

    revealed: reactive[bool] = reactive(False)

    def __init__(self, decks: list[str] | None):
        super().__init__()
        self.session = None
        self.decks = decks
        self.card = None
        self.shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        with VerticalScroll(id="card"):
            yield Static(id="front")
            yield Static(id="answer")
            yield Static(id="explanation")
        with Horizontal(id="ratings"):
            for r in Rating:
                yield Button(r.label, id=f"rate-{int(r)}", classes=f"rating {r.name.lower()}")
        yield Footer()

    def on_mount(self) -> None:
        self.session = self.app.ctx.session(self.decks)
        self.show_next()

    def show_next(self) -> None:
        self.card = self.session.next_card()
        self.revealed = False
        new, learning, due = self.session.counts()
        done = len(self.session.answered)
        self.query_one("#progress", Static).update(
            Text(f"{new} new · {learning} learning · {due} due · {done} done")
        )
        front = self.query_one("#front", Static)
        if self.card is None:
            front.update(self._finished_message())
            self.query_one("#answer", Static).update("")
            self.query_one("#explanation", Static).update("")
            self.query_one("#ratings").display = False
            return
        front.update(render.front(self.card))
        self.shown_at = time.monotonic()

    def _finished_message(self) -> Text:
        nxt = self.session.next_due()
        msg = Text("Congratulations! Nothing is due right now.", style="bold")
        if nxt is not None:
            wait = nxt - self.session.clock()
            msg.append(f"\n\nThe next card is due in {format_interval(wait)}.", style="")
        msg.append("\n\nPress Escape to go back.", style="dim")
        return msg

    def watch_revealed(self, revealed: bool) -> None:
        answer = self.query_one("#answer", Static)
        explanation = self.query_one("#explanation", Static)
        ratings = self.query_one("#ratings")
        if not revealed or self.card is None:
            answer.update("")
            explanation.update("")
            ratings.display = False
            return
        answer.update(render.answer(self.card))
        deck = self.app.ctx.library.deck(self.card.deck_id)
        explanation.update(render.explanation(self.card, deck))
        for rating, delta in self.session.intervals(self.card).items():
            button = self.query_one(f"#rate-{int(rating)}", Button)
            button.label = f"{rating.label}\n{format_interval(delta)}"
        ratings.display = True

    def action_reveal(self) -> None:
        if self.card is not None and not self.revealed:
            self.revealed = True

    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        spent = int((time.monotonic() - self.shown_at) * 1000)
        self.session.answer(self.card, Rating(rating), duration_ms=min(spent, 60_000))
        self.show_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))

    def action_undo(self) -> None:
        card = self.session.undo()
        if card is None:
            self.notify("Nothing to undo")
            return
        self.show_next()
        self.notify("Undone")

    def action_leave(self) -> None:
        self.app.pop_screen()
