"""The face of typed cards: the question and a box to type the answer into; Enter compares
it with the answer and shows both, character by character, as Anki's type-in does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input

from app.tui.faces import Face
from cards.kinds.typed import diff


def comparison(typed: str, expected: str) -> Content:
    """What was typed over what was expected: matching characters in the success colour,
    typed ones that are wrong struck through, expected ones that were missed underlined
    (so it reads without colour too)."""
    ours, theirs = diff(typed, expected)
    lines = [
        Content.assemble(
            ("Typed   ", "$text-muted"),
            *((t, "$text-success") if ok else (t, "bold $text-error strike") for t, ok in ours),
        ),
        Content.assemble(
            ("Answer  ", "$text-muted"),
            *((t, "bold $text-success") if ok else (t, "bold $text-warning underline") for t, ok in theirs),
        ),
    ]  # fmt: skip
    if not ours:
        lines[0] = Content.styled("Typed   nothing", "$text-muted")
    return Content("\n").join(lines)


class TypedFace(Face):
    DEFAULT_CSS = """
    TypedFace {
        #typed-answer {
            margin-bottom: 1;
        }
        #card-back {
            margin-bottom: 1;
            padding-top: 1;
            border-top: hkey $panel-lighten-2;
        }
    }
    """

    def compose_answer(self) -> ComposeResult:
        yield Input(placeholder="Type the answer, then Enter", id="typed-answer", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show(self, card) -> None:
        super().show(card)
        box = self.query_one(Input)
        box.value = ""
        box.display = True
        box.focus()

    def reveal(self, response) -> None:
        box = self.query_one(Input)
        box.display = False
        if box.has_focus:
            self.screen.set_focus(None)  # Enter and 1-4 now grade
        typed = response if isinstance(response, str) else ""
        verdict = self.kind.grade(self.card, typed)
        heading = {
            True: Content.styled("Right.", "bold $text-success"),
            False: Content.styled("Not quite.", "bold $text-error"),
            None: Content.styled("The answer:", "bold"),
        }[verdict]
        expected = self.kind.answer(self.card)
        body = comparison(typed, expected) if typed.strip() else self.answer(self.card)
        self.show_result(Content("\n").join([heading, body]))

    def hint(self) -> Content:
        return Content.assemble(
            "Type the answer · ", ("Enter", "bold"), " to check · ", ("Esc", "bold"), " ends"
        )

    @property
    def response(self) -> str:
        return self.query_one(Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))


FACE = TypedFace
