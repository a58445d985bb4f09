"""The face of cards answered by picking an option (choice, verdict): the question, the
numbered options, then the right one marked, a wrong pick struck through, and a verdict."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content

from app.tui.faces import Face
from app.tui.render import deck_text
from app.tui.widgets.choices import ChoiceList
from cards import kinds


class ChoiceFace(Face):
    DEFAULT_CSS = """
    ChoiceFace {
        #choices {
            margin-bottom: 1;
        }
        #card-back {
            text-style: bold;
            &.-right {
                color: $text-success;
            }
            &.-wrong {
                color: $text-error;
            }
        }
    }
    """

    def compose_answer(self) -> ComposeResult:
        yield ChoiceList(self.kind.options(self.card), id="choices")

    def show(self, card) -> None:
        super().show(card)
        self.query_one(ChoiceList).show(self.kind.options(card))

    def reveal(self, response) -> None:
        self.query_one(ChoiceList).reveal(self.kind.correct(self.card), response)
        right = self.kind.grade(self.card, response)
        back = self.back
        back.set_class(bool(right), "-right")
        back.set_class(right is False, "-wrong")
        self.show_result(Content("Right." if right else "Not quite." if right is False else ""))

    def hint(self) -> Content:
        return Content.assemble(
            ("1", "bold"), f"-{self.picks} or ", ("↑↓", "bold"), " + ", ("Enter", "bold"),
            " to answer · ", ("Space", "bold"), " to show the answer",
        )  # fmt: skip

    @property
    def response(self) -> int | None:
        return self.query_one(ChoiceList).highlighted

    @property
    def picks(self) -> int:
        return len(self.kind.options(self.card))

    def move(self, step: int) -> bool:
        self.query_one(ChoiceList).move(step)
        return True

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.post_message(self.Answered(event.index))

    @classmethod
    def answer(cls, card) -> Content:
        """The options, the right one ticked."""
        kind = kinds.of(card.note)
        correct = kind.correct(card)
        return Content("\n").join(
            Content.assemble(
                ("✓ " if i == correct else f"{i + 1} ", "bold $text-success" if i == correct else "bold"),
                deck_text(option, "$text-success" if i == correct else ""),
            )
            for i, option in enumerate(kind.options(card))
        )  # fmt: skip


FACE = ChoiceFace
