"""A card as the review screen shows it: front, options, then answer and explanation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from app.tui import render
from app.tui.widgets.choices import ChoiceList
from cards.model import Card, Deck


def kind_label(card: Card) -> str:
    if card.kind == "basic" and card.ord == 2:
        return "reverse"
    if card.kind == "cloze":
        return f"cloze {card.ord}"
    return card.kind


class CardView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-front", markup=False)
        yield ChoiceList(id="choices")
        yield Static(id="card-back", markup=False)
        yield Static(id="card-why", markup=False)

    def show(self, card: Card, deck: Deck | None, state_name: str) -> None:
        """The question side."""
        deck_name = deck.name if deck else card.deck_id
        self.query_one("#card-meta", Static).update(
            Content.assemble(render.one_line(deck_name), " · ", kind_label(card), " · ", state_name)
        )
        self.query_one("#card-front", Static).update(render.front(card))
        self.query_one(ChoiceList).show(render.options(card))
        for part in ("#card-back", "#card-why"):
            self.query_one(part, Static).update(Content())
            self.query_one(part).display = False

    def reveal(self, card: Card, deck: Deck | None, picked: int | None) -> None:
        """The answer side: the answer, the options marked, why and the source."""
        correct = render.correct_index(card)
        back = self.query_one("#card-back", Static)
        if correct is not None:
            self.query_one(ChoiceList).reveal(correct, picked)
            verdict = "Right." if picked == correct else "Not quite." if picked is not None else ""
            back.update(Content.styled(verdict, "bold"))
            back.set_class(picked == correct, "-right")
            back.set_class(picked != correct, "-wrong")
            back.display = bool(verdict)
        else:
            if card.kind == "cloze":  # the filled-in text replaces the one with the gap
                self.query_one("#card-front", Static).update(render.back(card))
                back.display = False
            else:
                back.update(render.back(card))
                back.remove_class("-right", "-wrong")
                back.display = True
        why = render.explanation(card, deck)
        self.query_one("#card-why", Static).update(why)
        self.query_one("#card-why").display = bool(why)

    def move(self, step: int) -> None:
        self.query_one(ChoiceList).move(step)

    @property
    def highlighted(self) -> int | None:
        return self.query_one(ChoiceList).highlighted
