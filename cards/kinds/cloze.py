"""cloze: `text` with Anki's gaps, {{c1::answer}} or {{c1::answer::hint}}; a card per number."""

from __future__ import annotations

from cards import cloze
from cards.anki_templates import TAIL, TAIL_FIELDS, NoteType, as_field
from cards.kinds import Kind

_NOTE_TYPE = NoteType(
    "cloze",
    "heartcards: Cloze",
    ("Text", *TAIL_FIELDS),
    (
        (
            "Cloze",
            '<div class="hc"><div class="hc-question">{{cloze:Text}}</div></div>',
            f'<div class="hc"><div class="hc-question">{{{{cloze:Text}}}}</div>\n{TAIL}\n</div>',
        ),
    ),
    cloze=True,
)


class Cloze(Kind):
    name = "cloze"
    fields = {"text": (str, True)}
    field_schemas = {
        "text": {
            "description": "Text with Anki cloze gaps, {{c1::answer}} or {{c1::answer::hint}};"
            " one card per cloze number.",
            "pattern": r"\{\{c[0-9]+::",
        }
    }
    face = "cloze"

    def check(self, item, report):
        for problem in cloze.problems(item["text"]):
            report("text", problem.message)

    def ords(self, fields):
        return cloze.cloze_numbers(fields["text"])

    def label(self, card):
        return f"cloze {card.ord}"

    def question(self, card):
        pieces = cloze.render(card.note.fields["text"], card.ord, reveal=False)
        return "".join(chunk for chunk, _ in pieces)

    def answer(self, card):
        return cloze.answer(card.note.fields["text"], card.ord)

    def note_types(self):
        return (_NOTE_TYPE,)

    def anki_fields(self, note):
        # emphasis around and inside gaps as the TUI reads it (cards.cloze.to_html)
        return [as_field(cloze.to_html(note.fields["text"]))]


KIND = Cloze()
