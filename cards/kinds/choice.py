"""choice: a `prompt`, 2-9 `options`, the right `answer` (one of them) and `why`."""

from __future__ import annotations

from cards.anki_templates import TAIL, TAIL_FIELDS, NoteType, field_html, options_html
from cards.kinds import Kind

_NOTE_TYPE = NoteType(
    "choice",
    "heartcards: Choice",
    ("Prompt", "Options", "Answer", *TAIL_FIELDS),
    (
        (
            "Choice",
            '<div class="hc"><div class="hc-question">{{Prompt}}</div>\n'
            '<div class="hc-options-wrap">{{Options}}</div></div>',
            # the question again, not {{FrontSide}}: inside .hc-back the right option is
            # marked (anki_templates.options_html)
            '<div class="hc hc-back"><div class="hc-question">{{Prompt}}</div>\n'
            '<div class="hc-options-wrap">{{Options}}</div></div>\n<hr id="answer">\n'
            '<div class="hc"><div class="hc-label">Answer</div>\n'
            f'<div class="hc-answer">{{{{Answer}}}}</div>\n{TAIL}\n</div>',
        ),
    ),
)


class Choice(Kind):
    """A kind answered by picking one of its options; the response is the option's index."""

    name = "choice"
    fields = {
        "prompt": (str, True),
        "options": (list, True),
        "answer": (str, True),
        "why": (str, True),
    }
    field_schemas = {
        "prompt": {"description": "The question."},
        "options": {
            "description": "2 to 9 options, one of them the answer.",
            "minItems": 2,
            "maxItems": 9,
            "items": {"type": "string", "minLength": 1},
        },
        "answer": {"description": "The right option, as its text.", "minLength": 1},
        "why": {"description": "Why, shown with the answer."},
    }
    face = "choice"

    def check(self, item, report):
        options = item["options"]
        if not all(isinstance(o, str) and o.strip() for o in options):
            report("options", "options must be non-empty strings")
            return
        if not 2 <= len(options) <= 9:
            report("options", f"needs 2 to 9 options, has {len(options)}")
        if len(set(options)) != len(options):
            report("options", "options repeat")
        if item["answer"] not in options:
            report("answer", f"answer {item['answer']!r} is not among the options")

    def question(self, card):
        return card.note.fields["prompt"]

    def answer(self, card):
        return card.note.fields["answer"]

    def options(self, card):
        return tuple(card.note.fields["options"])

    def correct(self, card):
        return self.options(card).index(card.note.fields["answer"])

    def grade(self, card, response):
        return None if response is None else response == self.correct(card)

    def note_types(self):
        return (_NOTE_TYPE,)

    def anki_fields(self, note):
        f = note.fields
        right = f["options"].index(f["answer"])
        return [field_html(f["prompt"]), options_html(f["options"], right), field_html(f["answer"])]


KIND = Choice()
