"""The face of cards that are turned over: the question, then the answer under a line."""

from __future__ import annotations

from app.tui.faces import Face


class RevealFace(Face):
    DEFAULT_CSS = """
    RevealFace #card-back {
        margin-bottom: 1;
        padding-top: 1;
        border-top: hkey $panel-lighten-2;
    }
    """

    def reveal(self, response) -> None:
        self.show_result(self.answer(self.card))


FACE = RevealFace
