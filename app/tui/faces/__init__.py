"""Faces: how the review shows a card of each kind, takes its answer and shows the result.

A kind names its face (cards.kinds.Kind.face); the face is the class FACE of the module
of that name here, imported when a card of that kind is first shown. A face is a widget
mounted inside the card view, shown one card after another while the kind stays the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from app.tui.render import deck_text
from cards import kinds
from cards.model import Card


def face_for(card: Card) -> type[Face]:
    """The face class that shows `card`."""
    return import_module(f"app.tui.faces.{kinds.of(card.note).face}").FACE


class Face(Vertical):
    """The question, then the answer, of one card at a time.

    The review screen calls show() for each card and reveal() to turn it over; a face that
    takes its answer itself (a click, typed text) posts Answered, and the screen reveals.
    Every face has the question (#card-front) above whatever takes the answer, and the
    result (#card-back) below, hidden until the card is turned over."""

    DEFAULT_CSS = """
    Face {
        height: auto;
        #card-front {
            margin-bottom: 1;
        }
    }
    """

    class Answered(Message):
        """The learner gave an answer: an option's index, typed text..."""

        def __init__(self, response: object):
            super().__init__()
            self.response = response

    def __init__(self, card: Card):
        super().__init__()
        self.card = card

    @property
    def kind(self) -> kinds.Kind:
        return kinds.of(self.card.note)

    def compose(self) -> Iterable[Widget]:
        yield Static(self.question(self.card), id="card-front", markup=False)
        yield from self.compose_answer()
        # (#card-back, the result, is mounted below when the first card is turned over:
        # start-up draws one widget less)

    @property
    def back(self) -> Static:
        """The result under the answer (mounted now, hidden, if it is not yet)."""
        found = self.query("#card-back")
        if found:
            return found.first(Static)
        back = Static(id="card-back", markup=False)
        back.display = False
        self.mount(back)
        return back

    def compose_answer(self) -> Iterable[Widget]:
        """What takes the answer, between question and result (options, a box); none."""
        return ()

    def show(self, card: Card) -> None:
        """The question side of a new card (of a kind this face shows)."""
        self.card = card
        self.query_one("#card-front", Static).update(self.question(card))
        for back in self.query("#card-back"):
            back.display = False

    def show_result(self, result: Content) -> None:
        """The result under the answer (nothing shown for an empty one)."""
        back = self.back
        back.update(result)
        back.display = bool(result)

    def reveal(self, response: object) -> None:
        """The answer side, after `response` (None: the learner only asked to see it)."""

    def hint(self) -> Content:
        """How to answer, for the line under the card."""
        return Content.assemble(("Space", "bold"), " or ", ("Enter", "bold"), " to show the answer")

    @property
    def response(self) -> object:
        """What the learner has chosen so far without confirming it (a highlighted option)."""
        return None

    @property
    def picks(self) -> int:
        """How many options the number keys pick from."""
        return 0

    def move(self, step: int) -> bool:
        """Up/down on the question side; False when the face has no use for them (scroll)."""
        return False

    @classmethod
    def question(cls, card: Card) -> Content:
        """The question, whole (the card screen shows it beside the answer)."""
        kind = kinds.of(card.note)
        text = deck_text(kind.question(card), kind.question_style)
        heading = kind.heading(card)
        return Content.assemble((heading, "$text-muted"), "\n\n", text) if heading else text

    @classmethod
    def answer(cls, card: Card) -> Content:
        """The answer, whole."""
        return deck_text(kinds.of(card.note).answer(card))
