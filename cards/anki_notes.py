"""What an Anki collection holds of notes that are not ours: their note types (fields,
templates, cloze or not), fields, tags and decks, read from the package's database.

Collections of schema 15 and later (every current Anki) keep note types and decks in
tables of their own, with protobuf configs (proto/anki/notetypes.proto: a template's
config has q_format = 1, a_format = 2; a note type's has kind = 1, 1 for cloze); older
ones keep them as JSON in the col row. Both are read here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format) by ord


@dataclass(frozen=True)
class AnkiNote:
    id: int
    guid: str
    type_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Notes:
    types: dict[int, NoteType]
    notes: list[AnkiNote]
    decks: dict[int, str]  # deck id -> full name, "Parent::Child"
    note_decks: dict[int, int]  # note id -> the (home) deck of its first card


def read(db: sqlite3.Connection) -> Notes:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "notetypes" in tables:
        types = _types_v15(db)
        decks = {did: name.replace("\x1f", "::") for did, name in db.execute(
            "SELECT id, name FROM decks")}  # fmt: skip
    else:
        models, deck_json = db.execute("SELECT models, decks FROM col").fetchone()
        types = _types_json(json.loads(models))
        decks = {int(did): d["name"] for did, d in json.loads(deck_json).items()}
    notes = [
        AnkiNote(nid, guid, mid, tuple(flds.split("\x1f")), tuple(tags.split()))
        for nid, guid, mid, flds, tags in db.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
        )
    ]
    note_decks: dict[int, int] = {}
    for nid, did, odid in db.execute("SELECT nid, did, odid FROM cards ORDER BY nid, ord"):
        note_decks.setdefault(nid, odid or did)  # (odid: its home, if in a filtered deck)
    return Notes(types, notes, decks, note_decks)


def _types_v15(db) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[tuple[str, str]]] = {}
    for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        c = _proto(config)
        templates.setdefault(ntid, []).append((_text(c, 1), _text(c, 2)))
    out = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = _proto(config).get(1, [0])[0]
        out[ntid] = NoteType(ntid, name, kind == 1, tuple(fields.get(ntid, ())),
                             tuple(templates.get(ntid, ())))  # fmt: skip
    return out


def _types_json(models: dict) -> dict[int, NoteType]:
    out = {}
    for mid, m in models.items():
        flds = tuple(f["name"] for f in sorted(m["flds"], key=lambda f: f["ord"]))
        tmpls = tuple((t["qfmt"], t["afmt"]) for t in sorted(m["tmpls"], key=lambda t: t["ord"]))
        out[int(mid)] = NoteType(int(mid), m["name"], m.get("type") == 1, flds, tmpls)
    return out


def _text(fields: dict, number: int) -> str:
    value = fields.get(number, [b""])[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _proto(data: bytes) -> dict[int, list]:
    """A protobuf message's fields, by number: varints as ints, the rest as bytes."""
    out: dict[int, list] = {}
    i, n = 0, len(data)
    while i < n:
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i : i + size], i + size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, i = data[i : i + size], i + size
        else:
            raise ValueError(f"a protobuf field of wire type {wire}")
        out.setdefault(number, []).append(value)
    return out


def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(data):
            raise ValueError("a protobuf varint cut short")
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7
