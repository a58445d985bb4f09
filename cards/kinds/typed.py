"""typed: `front` and `back`; the learner types the back, which is compared as Anki's "type
in the answer" compares it (surrounding space and case ignored) and shown as a character diff.
Exported with Anki's {{type:Back}} box."""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

from cards.anki_templates import TAIL, TAIL_FIELDS, NoteType, field_html
from cards.kinds import Kind
from cards.text import plain

_NOTE_TYPE = NoteType(
    "typed",
    "heartcards: Type in the answer",
    ("Front", "Back", *TAIL_FIELDS),
    (
        (
            "Card 1",
            '<div class="hc"><div class="hc-question">{{Front}}</div>\n{{type:Back}}</div>',
            '<div class="hc"><div class="hc-question">{{Front}}</div>\n<hr id="answer">\n'
            f"{{{{type:Back}}}}\n{TAIL}\n</div>",
        ),
    ),
)


def _chars(text: str) -> list[str]:
    """The characters compared: NFC, case folded one by one (so positions stay put)."""
    return [c.casefold() for c in unicodedata.normalize("NFC", text)]


def matches(typed: str, expected: str) -> bool:
    """Whether `typed` is `expected`, ignoring surrounding space and case."""
    return _chars(typed.strip()) == _chars(plain(expected).strip())


def diff(typed: str, expected: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """What was typed and what was expected, each as (run of text, right) pieces: typed
    text that is not in the answer, and answer text that was not typed, are not right."""
    typed = unicodedata.normalize("NFC", typed.strip())
    expected = unicodedata.normalize("NFC", plain(expected).strip())
    ours: list[tuple[str, bool]] = []
    theirs: list[tuple[str, bool]] = []
    blocks = SequenceMatcher(None, _chars(typed), _chars(expected), autojunk=False)
    for op, i1, i2, j1, j2 in blocks.get_opcodes():
        for pieces, text in ((ours, typed[i1:i2]), (theirs, expected[j1:j2])):
            if not text:
                continue
            if pieces and pieces[-1][1] == (op == "equal"):  # one run per stretch
                pieces[-1] = (pieces[-1][0] + text, pieces[-1][1])
            else:
                pieces.append((text, op == "equal"))
    return ours, theirs


class Typed(Kind):
    name = "typed"
    fields = {"front": (str, True), "back": (str, True)}
    field_schemas = {
        "front": {"description": "The question side."},
        "back": {"description": "The answer the learner types (case and outer spaces ignored)."},
    }
    face = "typed"

    def question(self, card):
        return card.note.fields["front"]

    def answer(self, card):
        return card.note.fields["back"]

    def grade(self, card, response):
        if not isinstance(response, str) or not response.strip():
            return None  # nothing typed: the learner grades themselves
        return matches(response, card.note.fields["back"])

    def note_types(self):
        return (_NOTE_TYPE,)

    def anki_fields(self, note):
        return [field_html(note.fields["front"]), field_html(note.fields["back"])]


KIND = Typed()
