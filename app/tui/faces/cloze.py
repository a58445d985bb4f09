"""The face of cloze cards: the text with its gap, then the same text with the gap filled."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from app.tui.faces import Face
from cards import cloze


def cloze_text(text: str, number: int, *, reveal: bool) -> Content:
    """Gap `number` as [...] (or [hint]) or, revealed, filled in; the other gaps filled.
    Emphasis reads as in Anki (cards.cloze.styled): around a gap, or inside one."""
    gap_style = "bold $text-accent" if reveal else "bold $accent"
    parts: list[str | tuple[str, str]] = []
    for chunk, emphasis, is_gap in cloze.styled(text, number, reveal=reveal):
        style = " ".join(s for s in (gap_style if is_gap else "", emphasis) if s)
        parts.append((chunk, style) if style else chunk)
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
