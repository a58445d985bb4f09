"""verdict: a piece of `advice`, its `verdict` (healthy, unhealthy, depends) and `why`.
Drilled as a choice among Healthy / Unhealthy / It depends."""

from __future__ import annotations

from cards.anki_templates import TAIL, TAIL_FIELDS, NoteType, field_html
from cards.kinds.choice import Choice

LABELS = {"healthy": "Healthy", "unhealthy": "Unhealthy", "depends": "It depends"}
QUESTION = "Healthy or unhealthy?"

_NOTE_TYPE = NoteType(
    "verdict",
    "heartcards: Verdict",
    ("Advice", "Verdict", *TAIL_FIELDS),
    (
        (
            "Verdict",
            f'<div class="hc"><div class="hc-label">{QUESTION}</div>\n'
            '<div class="hc-advice">{{Advice}}</div>\n'
            '<ol class="hc-options" type="A">'
            + "".join(f"<li>{label}</li>" for label in LABELS.values())
            + "</ol></div>",
            '{{FrontSide}}\n<hr id="answer">\n'
            '<div class="hc"><div class="hc-label">Verdict</div>\n'
            f'<div class="hc-answer">{{{{Verdict}}}}</div>\n{TAIL}\n</div>',
        ),
    ),
)


class Verdict(Choice):
    name = "verdict"
    fields = {"advice": (str, True), "verdict": (str, True), "why": (str, True)}
    field_schemas = {
        "advice": {"description": "The advice to judge, as the article gives it."},
        "verdict": {"enum": list(LABELS), "description": "What the research says of it."},
        "why": {"description": "Why, shown with the answer."},
    }
    question_style = "italic"  # the advice, as quoted

    def check(self, item, report):
        if item["verdict"] not in LABELS:
            report(
                "verdict", f"verdict must be one of {', '.join(LABELS)}, not {item['verdict']!r}"
            )

    def heading(self, card):
        return QUESTION

    def question(self, card):
        return card.note.fields["advice"]

    def answer(self, card):
        return LABELS[card.note.fields["verdict"]]

    def options(self, card):
        return tuple(LABELS.values())

    def correct(self, card):
        return list(LABELS).index(card.note.fields["verdict"])

    def note_types(self):
        return (_NOTE_TYPE,)

    def anki_fields(self, note):
        return [field_html(note.fields["advice"]), LABELS[note.fields["verdict"]]]


KIND = Verdict()
