"""What the kinds (cards/kinds/) build their Anki note types from: the NoteType record,
the fields and template tail every note type shares, the CSS, and deck text as field HTML.

Each kind's module holds its own note types. Templates use Anki's own template language
only (no JavaScript), so they work wherever Anki's renderer does (desktop, AnkiDroid). The CSS sets no text or
background colour of its own: the reviewer's (light or night mode) applies, and muted text
uses opacity, so every card reads well in both modes.

Note type ids are fixed per NoteType.key (cards.anki.note_type_id). Template and CSS changes
reach Anki on the next import: it updates a note type in place when the incoming one is
newer. Changing the fields or the number of templates changes the note type's schema:
Anki then updates existing notes only if "Merge note types" is ticked on import (without
it, it adds a copy of the note type and reports the notes as conflicting). A basic note
that gains or loses `reverse` keeps its note type: only its "Add Reverse" field changes.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from cards.text import to_html

# Fields every note type ends with. Explanation: `why` and `extra`; Source and Evidence:
# citations of the note's `source` and `evidence`; Topics: the deck file's tags.
TAIL_FIELDS = ("Explanation", "Source", "Evidence", "Topics")

TAIL = """\
{{#Explanation}}<div class="hc-why">{{Explanation}}</div>{{/Explanation}}
{{#Source}}<div class="hc-meta"><span class="hc-meta-label">Source</span> {{Source}}</div>{{/Source}}
{{#Evidence}}<div class="hc-meta"><span class="hc-meta-label">Evidence</span> {{Evidence}}</div>{{/Evidence}}
{{#Topics}}<div class="hc-meta hc-topics">{{Topics}}</div>{{/Topics}}"""

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
.hc-back .hc-right { font-weight: bold; }
.hc-back .hc-right::after { content: " ✓"; }
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


class NoteType(NamedTuple):
    """What genanki needs for one note type: name, field names, templates, cloze or not."""

    key: str  # what its id derives from: basic, cloze, choice, ...
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question, answer)
    cloze: bool = False


def front_back(front: str, back: str, only_if: str = "") -> tuple[str, str]:
    """Question and answer templates that ask field `front` and answer with `back`; with
    `only_if`, the question is empty (and Anki makes no card) while that field is."""
    q = f'<div class="hc"><div class="hc-question">{{{{{front}}}}}</div></div>'
    if only_if:
        q = f"{{{{#{only_if}}}}}{q}{{{{/{only_if}}}}}"
    a = (
        '{{FrontSide}}\n<hr id="answer">\n'
        f'<div class="hc"><div class="hc-answer-text">{{{{{back}}}}}</div>\n{TAIL}\n</div>'
    )
    return q, a


def as_field(text_html: str) -> str:
    """HTML made safe as an Anki field."""
    # `[` as an entity: deck text such as "[sound:x.mp3]" stays text, not an Anki media tag.
    return unicodedata.normalize("NFC", text_html.replace("[", "&#91;"))


def field_html(text: str) -> str:
    """Deck text as an Anki field: escaped HTML, emphasis as <b>/<i> (cards.text.to_html)."""
    if "*" in text or "\n" in text:
        return as_field(to_html(text))
    # No emphasis, one paragraph: to_html's result, much faster (this is most deck text).
    import html  # here: only the export needs it, and the kinds import this module at start-up

    return as_field(html.escape(text.strip(), quote=True))


def options_html(options, right: int | None = None) -> str:
    """A list of options as the numbered (A, B, C...) list the templates show; option
    `right` carries the class the answer side marks (CSS only: the question shows none)."""
    items = "".join(
        f'<li class="hc-right">{field_html(o)}</li>' if i == right else f"<li>{field_html(o)}</li>"
        for i, o in enumerate(options)
    )
    return f'<ol class="hc-options" type="A">{items}</ol>'
