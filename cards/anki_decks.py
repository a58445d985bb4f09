"""Anki's own notes as heartcards decks: what `heartcards import` writes for the notes of
a package that are not ours, one TOML deck per Anki deck.

Note types are read by their shape, not their names (users rename them): a cloze type is
`cloze`; a type with one template is `basic` (its question's field is the front, the
first field its answer adds is the back), or `typed` when the question has {{type:FIELD}};
with two templates whose second asks the first's back, it is `basic` with `reverse` for
the notes that have that card (Basic and reversed, and optional reversed). Anything else is
reported and left in Anki. Fields that no template uses as front or back (Back Extra, ...)
go to `extra`.

HTML becomes deck text: <b>/<strong> **bold**, <i>/<em> *italic*, line breaks and blocks
newlines, entities decoded, every other tag dropped; images, sounds and videos are counted
(not copied) and leave the text. Ids are stable: a deck's from its name ("anki-" and a
slug), a note's from its GUID, so a second import writes the same files and Anki's review
history (cards.anki_import.plan) keeps following the cards.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from cards.anki_notes import AnkiNote, Notes, NoteType
from cards.text import without_controls

_REF = re.compile(r"\{\{([^{}]+)\}\}")
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_TAG_OK = re.compile(r"[^A-Za-z0-9_:.-]+")
_SLUG_OK = re.compile(r"[^a-z0-9]+")
_SPECIAL = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"}


@dataclass(frozen=True)
class Shape:
    """How a note type's fields become a note: kind, and field index by role."""

    kind: str  # basic, typed, cloze
    front: int
    back: int | None = None
    reversible: bool = False
    switches: frozenset[int] = frozenset()  # fields only tested ({{#Add Reverse}}): no text


@dataclass
class Converted:
    decks: dict[str, dict] = field(default_factory=dict)  # deck id -> the deck file's dict
    guids: dict[str, tuple[str, str]] = field(default_factory=dict)  # GUID -> (deck, note)
    skipped_types: dict[str, int] = field(default_factory=dict)  # note type name -> notes
    with_media: int = 0  # notes whose media was left behind


def shape_of(nt: NoteType) -> Shape | None:
    """The way `nt`'s notes become ours, or None if heartcards has no kind for them."""
    index = {name: i for i, name in enumerate(nt.fields)}

    def refs(fmt: str) -> list[tuple[str, str]]:
        """(filter, field) of each {{...}} that shows a field, in order."""
        out = []
        for m in _REF.finditer(fmt):
            inner = m[1].strip()
            if inner[:1] in "#^/!":
                continue
            *filters, name = inner.split(":")
            name = name.strip()
            if name in index and name not in _SPECIAL:
                out.append((":".join(filters), name))
        return out

    if not nt.templates:
        return None
    shape = _shape(nt, index, refs)
    if shape is None:
        return None
    tested = {m[1].strip()[1:].strip() for q, a in nt.templates for m in _REF.finditer(q + a)
              if m[1].strip()[:1] in "#^"}  # fmt: skip
    shown = {n for q, a in nt.templates for _, n in refs(q) + refs(a)}
    switches = frozenset(index[n] for n in tested - shown if n in index)
    return Shape(shape.kind, shape.front, shape.back, shape.reversible, switches)


def _shape(nt: NoteType, index: dict, refs) -> Shape | None:
    if nt.cloze:
        if "image-occlusion" in nt.templates[0][0]:  # (its gaps are shapes on an image)
            return None
        gaps = [n for f, n in refs(nt.templates[0][0]) if "cloze" in f]
        return Shape("cloze", index[gaps[0]]) if gaps else None
    if len(nt.templates) > 2:
        return None
    q, a = nt.templates[0]
    asked = refs(q)
    typed = [n for f, n in asked if f == "type"]
    shown = [n for f, n in asked if f != "type"]
    if not shown:
        return None
    front = shown[0]
    if typed:
        return Shape("typed", index[front], index[typed[0]]) if len(nt.templates) == 1 else None
    added = [n for _, n in refs(a) if n not in {x for _, x in asked}]
    if not added:
        return None
    back = added[0]
    if len(nt.templates) == 1:
        return Shape("basic", index[front], index[back])
    q2, a2 = nt.templates[1]
    asked2 = [n for f, n in refs(q2) if f != "type"]
    if asked2[:1] == [back] and front in [n for _, n in refs(a2)]:
        return Shape("basic", index[front], index[back], reversible=True)
    return None


class _Text(HTMLParser):
    """An Anki field's HTML as deck text: runs of text and emphasis marks (kept apart
    until the end, so that a mark never ends up beside a space it would not work by)."""

    MARK = {"b": "**", "strong": "**", "i": "*", "em": "*"}
    BLOCK = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}  # start a line
    MEDIA = {"img", "audio", "video", "object", "embed"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []  # ("text", s) or ("open"/"close", mark)
        self.media = 0
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.MARK:
            self.parts.append(("open", self.MARK[tag]))
        elif tag == "br":
            self.parts.append(("text", "\n"))
        elif tag in self.BLOCK:
            self.parts.append(("block", ""))
        elif tag in self.MEDIA:
            self.media += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.MARK:
            self.parts.append(("close", self.MARK[tag]))
        elif tag in self.BLOCK:
            self.parts.append(("block", ""))

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(("text", data))

    def text(self) -> str:
        out: list[str] = []
        opened: list[tuple[int, str]] = []  # (where in out, mark) of each open mark
        for what, value in self.parts:
            if what == "text":
                out.append(value)
            elif what == "block":  # one line break between blocks, none at the start
                so_far = "".join(out).rstrip(" ")
                if so_far and not so_far.endswith("\n"):
                    out.append("\n")
            elif what == "open":
                opened.append((len(out), value))
                out.append("")  # (its place; filled in when it closes around some text)
            elif opened and opened[-1][1] == value:
                at, mark = opened.pop()
                inner = "".join(out[at + 1 :])
                if inner.strip():  # the marks hug the text; spaces go outside them
                    lead = inner[: len(inner) - len(inner.lstrip())]
                    trail = inner[len(inner.rstrip()) :]
                    out[at:] = [f"{lead}{mark}{inner.strip()}{mark}{trail}"]
        return "".join(out)


def field_text(value: str) -> tuple[str, int]:
    """(deck text, media left out) of an Anki field."""
    sounds = len(_SOUND.findall(value))
    parser = _Text()
    parser.feed(_SOUND.sub("", value))
    parser.close()
    text = html.unescape(parser.text()).replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", without_controls(text))
    text = re.sub(r" ?\n ?", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, parser.media + sounds


def slug(text: str, limit: int = 48) -> str:
    return _SLUG_OK.sub("-", text.lower()).strip("-")[:limit].strip("-")


def deck_id(name: str, did: int) -> str:
    return f"anki-{slug(name.replace('::', ' ')) or did}"


def note_id(guid: str) -> str:
    """A note's id from its GUID: hex of its bytes, so it is a slug and never changes."""
    return "n-" + guid.encode("utf-8").hex()


def convert(content: Notes, skip_guids: set[str], card_ords: dict[int, set[int]]) -> Converted:
    """Decks of the notes in `content` whose GUID is not in `skip_guids` (ours);
    `card_ords`: note id -> the ordinals of its cards (which reverse cards exist)."""
    out = Converted()
    shapes = {tid: shape_of(nt) for tid, nt in content.types.items()}
    taken: dict[str, int] = {}  # deck id -> the Anki deck it is for
    for note in content.notes:
        if note.guid in skip_guids:
            continue
        nt = content.types.get(note.type_id)
        shape = shapes.get(note.type_id)
        item, media = (None, 0) if shape is None else _note(note, nt, shape,
                                                             card_ords.get(note.id, set()))  # fmt: skip
        if item is None:  # a note type with no kind here, or an empty front
            name = nt.name if nt else f"note type {note.type_id}"
            out.skipped_types[name] = out.skipped_types.get(name, 0) + 1
            continue
        out.with_media += bool(media)
        did = content.note_decks.get(note.id, 1)
        name = content.decks.get(did, "Default")
        deck = deck_id(name, did)
        if taken.setdefault(deck, did) != did:  # two Anki decks with one slug
            deck = f"{deck[:40]}-{did}"
            taken.setdefault(deck, did)
        table = out.decks.setdefault(
            deck, {"format": 1, "deck": {"id": deck, "name": name}, "notes": []}
        )
        table["notes"].append(item)
        out.guids[note.guid] = (deck, item["id"])
    return out


def _note(note: AnkiNote, nt: NoteType, shape: Shape, ords: set[int]):
    """A deck note (dict) of an Anki note, and the media it had; (None, 0) if its front
    (or cloze text) is empty."""
    texts = []
    media = 0
    for value in note.fields:
        text, m = field_text(value)
        texts.append(text)
        media += m
    front = texts[shape.front]
    if not front:
        return None, media
    item: dict = {"id": note_id(note.guid), "kind": shape.kind}
    used = {shape.front, shape.back, *shape.switches}
    if shape.kind == "cloze":
        item["text"] = front
    else:
        back = texts[shape.back]
        if not back:
            return None, media
        item["front"], item["back"] = front, back
        if shape.reversible and 1 in ords:
            item["reverse"] = True
    extra = [texts[i] for i in range(len(texts)) if i not in used and texts[i]]
    if extra:
        item["extra"] = "\n\n".join(extra)
    tags = [t for t in (_TAG_OK.sub("-", tag).strip("-._:") for tag in note.tags) if t]
    if tags:
        item["tags"] = sorted(set(tags))
    return item, media


HEADER = """\
# Made by `heartcards import` from the Anki deck {name!r}: a new import of it writes
# this file again (edit the notes in Anki, or copy the deck under another id to own it).
"""


def valid_notes(table: dict) -> tuple[dict, list[str]]:
    """The deck `table` with only the notes that pass the deck checks, and a line for
    each note left out (a cloze Anki took that heartcards does not: nested gaps...)."""
    import tomli_w

    from cards.deckfile import parse

    head = {k: v for k, v in table.items() if k != "notes"}
    good, dropped = [], []
    for item in table["notes"]:
        _, errors = parse(tomli_w.dumps({**head, "notes": [item]}))
        errors = [e for e in errors if not e.warning]
        if errors:
            dropped.append(f"{item['id']}: {errors[0].message}")
        else:
            good.append(item)
    return {**head, "notes": good}, dropped


def render(table: dict) -> str:
    import tomli_w

    return HEADER.format(name=table["deck"]["name"]) + tomli_w.dumps(table, multiline_strings=True)
