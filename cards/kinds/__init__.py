"""Card kinds: one module per `kind = "..."` of a deck note, found by name.

A kind holds everything the core knows about its notes: their fields and checks, the cards
a note makes, the question and answer as deck text, how a response is graded, and the Anki
note type it exports to. Nothing outside a kind's own module asks which kind a note is: it
asks the kind. The TUI shows each kind with the face its `face` names (app/tui/faces/).

A kind's module is imported when the kind is first asked for, so start-up pays only for
the kinds it shows. Adding a kind: a module here that defines `KIND`, its name in NAMES.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from cards.anki_templates import NoteType
    from cards.model import Card, Note

# Every kind, in the order error messages list them.
NAMES = ("basic", "cloze", "choice", "verdict", "typed")

_found: dict[str, Kind] = {}


def get(name: str) -> Kind | None:
    """The kind called `name`, or None when there is none."""
    kind = _found.get(name)
    if kind is None and name in NAMES:
        kind = _found[name] = import_module(f"cards.kinds.{name}").KIND
    return kind


def of(note: Note) -> Kind:
    """The kind of a note (a loaded note always has a known kind)."""
    return _found.get(note.kind) or get(note.kind)


def every() -> list[Kind]:
    return [get(name) for name in NAMES]


class Kind:
    """The base of every kind; each kind's module defines `KIND`, an instance of a subclass.

    Fields are (type, required) by name, beside the fields every note has (id, kind, tags,
    source, evidence, extra). Text is deck text: plain, with **bold** and *italic*."""

    name: ClassVar[str]
    fields: ClassVar[dict[str, tuple[type | tuple[type, ...], bool]]]
    # JSON Schema for fields, beyond their types (cards.deck_schema): descriptions an
    # editor shows, and the checks a schema can say (enums, counts, patterns)
    field_schemas: ClassVar[dict[str, dict]] = {}
    face: ClassVar[str] = "reveal"  # the module of app/tui/faces/ that shows its cards
    question_style: ClassVar[str] = ""  # "italic" sets the question as a quotation

    def check(self, item: dict, report: Callable[[str, str], None]) -> None:
        """Report what is wrong with a note's fields beyond their types (all present)."""

    def ords(self, fields: dict) -> list[int]:
        """The cards a note makes, by ordinal (1-based)."""
        return [1]

    def label(self, card: Card) -> str:
        """What the card is, in a word or two: "basic", "reverse", "cloze 2"."""
        return self.name

    def heading(self, card: Card) -> str:
        """A line above the question, when the kind has one ("Healthy or unhealthy?")."""
        return ""

    def question(self, card: Card) -> str:
        raise NotImplementedError

    def answer(self, card: Card) -> str:
        raise NotImplementedError

    def options(self, card: Card) -> tuple[str, ...]:
        """The options a learner picks from, in order; none for most kinds."""
        return ()

    def correct(self, card: Card) -> int | None:
        """Which option is right (0-based), for kinds with options."""
        return None

    def grade(self, card: Card, response: object) -> bool | None:
        """Whether a response was right: True, False, or None when the learner grades
        themselves (no response, or a kind that takes none). The review preselects Good
        for right and Again for wrong."""
        return None

    def note_types(self) -> tuple[NoteType, ...]:
        """Every Anki note type this kind's notes may export to."""
        raise NotImplementedError

    def note_type(self, note: Note) -> NoteType:
        """The Anki note type of one note."""
        return self.note_types()[0]

    def anki_fields(self, note: Note) -> list[str]:
        """The note's own fields as Anki field HTML, in the note type's order (the shared
        Explanation, Source, Evidence and Topics follow)."""
        raise NotImplementedError

    def anki_last_fields(self, note: Note) -> list[str]:
        """Fields of the note type after the shared ones, if it has any."""
        return []
