"""The Anki note types heartcards exports: fields, card templates and CSS.

One note type per kind. Templates use Anki's own template language only (no JavaScript),
so they work wherever Anki's renderer does (desktop, AnkiDroid). The CSS sets no text or
background colour of its own: the reviewer's (light or night mode) applies, and muted text
uses opacity, so every card reads well in both modes.

Note type ids are fixed per kind (cards.anki.note_type_id). Template and CSS changes
reach Anki on the next import: it updates a note type in place when the incoming one is
newer. Changing the fields or the number of templates changes the note type's schema:
Anki then updates existing notes only if "Merge note types" is ticked on import (without
it, it adds a copy of the note type and reports the notes as conflicting). The same goes
for a basic note that gains or loses `reverse`, which moves it to the other note type.
"""

from __future__ import annotations

from dataclasses import dataclass

from cards.model import VERDICT_LABELS

# Fields every note type ends with. Explanation: `why` and `extra`; Source and Evidence:
# citations of the note's `source` and `evidence`; Topics: the deck file's tags.
TAIL_FIELDS = ("Explanation", "Source", "Evidence", "Topics")

_TAIL = """\
{{#Explanation}}<div class="hc-why">{{Explanation}}</div>{{/Explanation}}
{{#Source}}<div class="hc-meta"><span class="hc-meta-label">Source</span> {{Source}}</div>{{/Source}}
{{#Evidence}}<div class="hc-meta"><span class="hc-meta-label">Evidence</span> {{Evidence}}</div>{{/Evidence}}
{{#Topics}}<div class="hc-meta hc-topics">{{Topics}}</div>{{/Topics}}"""

_VERDICT_OPTIONS = "".join(f"<li>{label}</li>" for label in VERDICT_LABELS.values())

CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Helvetica, Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
}
.hc { max-width: 36em; margin: 0 auto; padding: 0 0.6em; overflow-wrap: break-word; }
.hc-label {
  font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.08em;
  opacity: 0.65; margin-bottom: 0.5em;
}
.hc-question { font-size: 1.1em; }
.hc-advice { font-size: 1.1em; font-style: italic; }
.hc-options { margin: 0.9em 0 0; padding-left: 2em; }
.hc-options li { margin: 0.35em 0; padding-left: 0.2em; }
.hc-answer { font-size: 1.1em; font-weight: bold; }
.hc-answer-text { font-size: 1.1em; }
.hc-why { margin-top: 0.9em; }
.hc-meta { margin-top: 0.8em; font-size: 0.8em; opacity: 0.75; }
.hc-meta-label {
  font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.06em; opacity: 0.8;
  margin-right: 0.3em;
}
.hc-topics { font-style: italic; }
.hc a { color: inherit; }
hr#answer, .hc hr {
  border: none; border-top: 1px solid currentColor; opacity: 0.25; margin: 1em auto; max-width: 36em;
}
.cloze { font-weight: bold; color: #1a56db; }
.nightMode .cloze, .night_mode .cloze, .card.nightMode .cloze { color: #8ab4f8; }
"""


@dataclass(frozen=True)
class NoteType:
    """What genanki needs for one note type: name, field names, templates, cloze or not."""

    key: str  # basic | basic+reverse | cloze | choice | verdict
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question, answer)
    cloze: bool = False


def _front_back(front: str, back: str) -> tuple[str, str]:
    q = f'<div class="hc"><div class="hc-question">{{{{{front}}}}}</div></div>'
    a = (
        '{{FrontSide}}\n<hr id="answer">\n'
        f'<div class="hc"><div class="hc-answer-text">{{{{{back}}}}}</div>\n{_TAIL}\n</div>'
    )
    return q, a


NOTE_TYPES: dict[str, NoteType] = {
    "basic": NoteType(
        "basic",
        "heartcards: Basic",
        ("Front", "Back", *TAIL_FIELDS),
        (("Card 1", *_front_back("Front", "Back")),),
    ),
    "basic+reverse": NoteType(
        "basic+reverse",
        "heartcards: Basic (and reversed card)",
        ("Front", "Back", *TAIL_FIELDS),
        (("Card 1", *_front_back("Front", "Back")), ("Card 2", *_front_back("Back", "Front"))),
    ),
    "cloze": NoteType(
        "cloze",
        "heartcards: Cloze",
        ("Text", *TAIL_FIELDS),
        (
            (
                "Cloze",
                '<div class="hc"><div class="hc-question">{{cloze:Text}}</div></div>',
                '<div class="hc"><div class="hc-question">{{cloze:Text}}</div>\n'
                f"{_TAIL}\n</div>",
            ),
        ),
        cloze=True,
    ),
    "choice": NoteType(
        "choice",
        "heartcards: Choice",
        ("Prompt", "Options", "Answer", *TAIL_FIELDS),
        (
            (
                "Choice",
                '<div class="hc"><div class="hc-question">{{Prompt}}</div>\n'
                '<div class="hc-options-wrap">{{Options}}</div></div>',
                '{{FrontSide}}\n<hr id="answer">\n'
                '<div class="hc"><div class="hc-label">Answer</div>\n'
                f'<div class="hc-answer">{{{{Answer}}}}</div>\n{_TAIL}\n</div>',
            ),
        ),
    ),
    "verdict": NoteType(
        "verdict",
        "heartcards: Verdict",
        ("Advice", "Verdict", *TAIL_FIELDS),
        (
            (
                "Verdict",
                '<div class="hc"><div class="hc-label">Healthy or unhealthy?</div>\n'
                '<div class="hc-advice">{{Advice}}</div>\n'
                f'<ol class="hc-options" type="A">{_VERDICT_OPTIONS}</ol></div>',
                '{{FrontSide}}\n<hr id="answer">\n'
                '<div class="hc"><div class="hc-label">Verdict</div>\n'
                f'<div class="hc-answer">{{{{Verdict}}}}</div>\n{_TAIL}\n</div>',
            ),
        ),
    ),
}


def note_type_key(kind: str, reverse: bool = False) -> str:
    return "basic+reverse" if kind == "basic" and reverse else kind
