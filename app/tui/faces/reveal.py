"""The face of cards that are turned over: the question, then the answer under a line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from app.tui.faces import Face


class RevealFace(Face):
    DEFAULT_CSS = """
    RevealFace #card-back {
        margin-bottom: 1;
        padding-top: 1;
        border-top: hkey $panel-lighten-2;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(self.question(self.card), id="card-front", markup=False)
        back = Static(id="card-back", markup=False)
        back.display = False  # until the card is turned over
        yield back

    def show(self, card) -> None:
        super().show(card)
        self.query_one("#card-front", Static).update(self.question(card))
        self.query_one("#card-back").display = False

    def reveal(self, response) -> None:
        back = self.query_one("#card-back", Static)
        back.update(self.answer(self.card))
        back.display = True


FACE = RevealFace
