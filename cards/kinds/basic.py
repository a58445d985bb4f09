"""basic: `front` and `back`; `reverse = true` adds a second card that asks the back."""

from __future__ import annotations

from cards.anki_templates import TAIL_FIELDS, NoteType, field_html, front_back
from cards.kinds import Kind

_FORWARD = NoteType(
    "basic",
    "heartcards: Basic",
    ("Front", "Back", *TAIL_FIELDS),
    (("Card 1", *front_back("Front", "Back")),),
)
_BOTH = NoteType(
    "basic+reverse",
    "heartcards: Basic (and reversed card)",
    ("Front", "Back", *TAIL_FIELDS),
    (("Card 1", *front_back("Front", "Back")), ("Card 2", *front_back("Back", "Front"))),
)


class Basic(Kind):
    name = "basic"
    fields = {"front": (str, True), "back": (str, True), "reverse": (bool, False)}

    def ords(self, fields):
        return [1, 2] if fields.get("reverse") else [1]

    def label(self, card):
        return "reverse" if card.ord == 2 else self.name

    def question(self, card):
        f = card.note.fields
        return f["back"] if card.ord == 2 else f["front"]

    def answer(self, card):
        f = card.note.fields
        return f["front"] if card.ord == 2 else f["back"]

    def note_types(self):
        return (_FORWARD, _BOTH)

    def note_type(self, note):
        return _BOTH if note.fields.get("reverse") else _FORWARD

    def anki_fields(self, note):
        return [field_html(note.fields["front"]), field_html(note.fields["back"])]


KIND = Basic()
