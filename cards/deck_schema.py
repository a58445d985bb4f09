"""The JSON Schema of deck files, made from the parser's own field tables and the kinds',
so it cannot drift from what `heartcards check` reads. Shipped as deck.schema.json beside
this module (tests/test_deck_schema.py checks that file is this schema), for editors with a
TOML language server (taplo, Even Better TOML): they complete and check as you type.

A schema says what fields a deck and its notes have, their types, enums, counts and the
shape of ids and tags. What needs the whole deck (an answer among its options, a source id
that names a [[sources]] entry, duplicate ids, a well-formed cloze) is `heartcards check`'s.
"""

from __future__ import annotations

import json
from pathlib import Path

from cards import deckfile, kinds

PATH = Path(__file__).with_name("deck.schema.json")
SLUG = "^[a-z0-9][a-z0-9-]*$"
TAG = "^[A-Za-z0-9][A-Za-z0-9_:.-]*$"

_TYPES = {str: "string", bool: "boolean", int: "integer", list: "array", dict: "object"}
_COMMON = {
    "id": {
        "pattern": SLUG,
        "description": "The note's id in the deck ([a-z0-9-]); its"
        " cards' schedule is tied to it, so never change it.",
    },  # fmt: skip
    "kind": {"enum": list(kinds.NAMES), "description": "What kind of note this is."},
    "tags": {"items": {"type": "string", "pattern": TAG}, "description": "Tags to search by."},
    "source": {
        "items": {"type": "string"},
        "description": 'What the card draws on: a [[sources]] id, or "id#section".',
    },
    "evidence": {
        "items": {"type": "string"},
        "description": "The research behind it: ids of [[sources]] entries.",
    },
    "extra": {"description": "More shown with the answer."},
}
_DECK = {
    "id": {"pattern": SLUG, "description": "The deck's id ([a-z0-9-]); never change it."},
    "name": {"description": "The deck's name, as the app shows it."},
    "description": {"description": "A line about the deck."},
}
_SOURCE = {"id": {"pattern": SLUG, "description": "How cards name it in source and evidence."}}


def _type(t) -> dict:
    if isinstance(t, tuple):
        return {"type": [_TYPES[x] for x in t]}
    return {"type": _TYPES[t]}


def _object(fields: dict, extra: dict, title: str | None = None) -> dict:
    """An object schema of parser fields {name: (type, required)}, refined by `extra`."""
    out: dict = {"type": "object"}
    if title:
        out["title"] = title
    out["properties"] = {name: {**_type(t), **extra.get(name, {})} for name, (t, _) in
                         fields.items()}  # fmt: skip
    out["required"] = [name for name, (_, required) in fields.items() if required]
    out["additionalProperties"] = False
    return out


def _note(kind) -> dict:
    fields = {**deckfile.COMMON, **kind.fields}
    extra = {**_COMMON, **kind.field_schemas}
    schema = _object(fields, extra, f"A {kind.name} note")
    schema["properties"]["kind"] = {
        "const": kind.name,
        "description": _COMMON["kind"]["description"],
    }
    return schema


def schema() -> dict:
    every = kinds.every()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://heartcards.invalid/deck.schema.json",
        "title": "heartcards deck (format 1)",
        "type": "object",
        "required": ["format", "deck"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": deckfile.FORMAT, "description": "The deck format: 1."},
            "deck": _object(deckfile.DECK_FIELDS, _DECK),
            "sources": {
                "type": "array",
                "description": "What the cards draw on: the articles and the research.",
                "items": _object(deckfile.SOURCE_FIELDS, _SOURCE),
            },
            "notes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "properties": {"kind": _COMMON["kind"]},
                    "allOf": [
                        {
                            "if": {"properties": {"kind": {"const": k.name}}, "required": ["kind"]},
                            "then": {"$ref": f"#/$defs/{k.name}"},
                        }
                        for k in every
                    ],
                },
            },
        },
        "$defs": {k.name: _note(k) for k in every},
    }


def text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
