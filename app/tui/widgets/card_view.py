"""A card as the review screen shows it: a line about the card, its face (the question,
then the answer), and the explanation after answering."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from app.tui import render
from app.tui.faces import Face, face_for
from cards.model import Card, Deck


class CardView(Vertical):
    DEFAULT_CSS = """
    CardView {
        width: 100%;
        max-width: 72;
        height: auto;
        #card-meta {
            color: $text-muted;
        }
        #card-why {
            color: $text-muted;
        }
    }
    """

    def __init__(self, first: Card | None = None, **kwargs):
        super().__init__(**kwargs)
        self.face: Face | None = face_for(first)(first) if first is not None else None
        self.turned = False  # the face shows an answer

    def compose(self) -> ComposeResult:
        yield Static(id="card-meta", markup=False)
        if self.face is not None:
            yield self.face
        # (#card-why, under the face, is mounted at the first answer with an explanation:
        # start-up draws one widget less)

    @property
    def why(self) -> Static | None:
        """The explanation under the face, once there has been one."""
        found = self.query("#card-why")
        return found.first(Static) if found else None

    def show(self, card: Card, deck: Deck | None, state_name: str, marks: Content = None) -> None:
        """The question side; `marks` (the card's flag, the note's mark) end the top line."""
        deck_name = deck.name if deck else card.deck_id
        self.set_meta(
            Content.assemble(render.one_line(deck_name), " · ", card.label, " · ", state_name),
            marks,
        )
        cls = face_for(card)
        if type(self.face) is cls:
            if self.turned or card != self.face.card:  # else it shows that question
                self.face.show(card)
        else:  # another kind of face: the old one goes
            if self.face is not None:
                self.face.remove()
            self.face = cls(card)
            self.mount(self.face, before=self.why)
        self.turned = False
        if self.why is not None:
            self.why.update(Content())
            self.why.display = False

    def set_meta(self, line: Content, marks: Content | None = None) -> None:
        self.meta = line
        self.query_one("#card-meta", Static).update(
            Content.assemble(line, "  ", marks) if marks else line
        )

    def set_marks(self, marks: Content | None) -> None:
        """The flag and mark changed: the same top line with the new ones."""
        self.set_meta(self.meta, marks)

    def reveal(self, card: Card, deck: Deck | None, response: object) -> None:
        """The answer side: the face turned over, then why and the source."""
        self.face.reveal(response)
        self.turned = True
        why = render.explanation(card, deck)
        if self.why is None and why:
            self.mount(Static(why, id="card-why", markup=False))
        elif self.why is not None:
            self.why.update(why)
            self.why.display = bool(why)
