"""The face of cloze cards: the text with its gap, then the same text with the gap filled."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from app.tui.faces import Face
from cards import cloze
from cards.text import runs


def cloze_text(text: str, number: int, *, reveal: bool) -> Content:
    """Gap `number` as [...] (or [hint]) or, revealed, filled in; the other gaps filled."""
    parts: list[str | tuple[str, str]] = []
    for chunk, is_gap in cloze.render(text, number, reveal=reveal):
        if is_gap:
            parts.append((chunk, "bold $text-accent" if reveal else "bold $accent"))
        else:  # keep the spaces around gaps: no paragraph splitting inside a sentence
            parts += [(piece, emphasis) if emphasis else piece for piece, emphasis in runs(chunk)]
    return Content.assemble(*parts)


class ClozeFace(Face):
    def reveal(self, response) -> None:  # the text with the gap filled replaces the question
        self.query_one("#card-front", Static).update(self.answer(self.card))

    @classmethod
    def question(cls, card) -> Content:
        return cloze_text(card.note.fields["text"], card.ord, reveal=False)

    @classmethod
    def answer(cls, card) -> Content:
        return cloze_text(card.note.fields["text"], card.ord, reveal=True)


FACE = ClozeFace
