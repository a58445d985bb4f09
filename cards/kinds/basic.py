"""basic: `front` and `back`; `reverse = true` adds a second card that asks the back."""

from __future__ import annotations

from cards.anki_templates import TAIL_FIELDS, NoteType, field_html, front_back
from cards.kinds import Kind

# One note type for both: the reverse card is Anki's "Basic (optional reversed card)"
# template, made only when the "Add Reverse" field is not empty. Turning `reverse` on or
# off is then a field edit in Anki, never a change of note type.
_NOTE_TYPE = NoteType(
    "basic",
    "heartcards: Basic",
    ("Front", "Back", *TAIL_FIELDS, "Add Reverse"),  # (last: as a merge of 0.1's types has it)
    (
        ("Card 1", *front_back("Front", "Back")),
        ("Card 2", *front_back("Back", "Front", only_if="Add Reverse")),
    ),
)
REVERSE_ON = "y"  # the field's value when the note has a reverse card, as in Anki's


class Basic(Kind):
    name = "basic"
    fields = {"front": (str, True), "back": (str, True), "reverse": (bool, False)}
    field_schemas = {
        "front": {"description": "The question side."},
        "back": {"description": "The answer side."},
        "reverse": {"description": "true adds a second card, back to front."},
    }

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
        return (_NOTE_TYPE,)

    def anki_fields(self, note):
        f = note.fields
        return [field_html(f["front"]), field_html(f["back"])]

    def anki_last_fields(self, note):
        return [REVERSE_ON if note.fields.get("reverse") else ""]


KIND = Basic()
