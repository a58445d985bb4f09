"""The deck files' JSON Schema (issue 16, acceptance 5): the shipped file is the schema the
parser's tables make, it accepts every shipped and good fixture deck, and it rejects each
bad fixture deck, at the note the fixture marks."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from cards import deck_schema
from cards.library import builtin_decks_dir
from tests.conftest import FIXTURES

jsonschema = pytest.importorskip("jsonschema")

GOOD = [*sorted(Path(builtin_decks_dir()).glob("*.toml")), FIXTURES / "decks" / "basics.toml",
        *sorted(p for p in (FIXTURES / "kinds").glob("*.toml") if "-bad" not in p.name)]  # fmt: skip
BAD = [*sorted((FIXTURES / "kinds").glob("*-bad.toml")), FIXTURES / "broken" / "choice.toml"]


def validator():
    schema = json.loads(deck_schema.PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_parsers():
    assert deck_schema.PATH.read_text(encoding="utf-8") == deck_schema.text()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_decks_pass(path):
    errors = list(validator().iter_errors(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors]


# What each bad fixture's marked notes break that a schema can say (an answer that is not
# among the options, and an unclosed gap, are `heartcards check`'s: they need the note).
SAYABLE = {
    "basic-bad.toml": {"no-back", "reverse-text"},
    "choice-bad.toml": {"one-option"},
    "choice.toml": {"one-option"},
    "cloze-bad.toml": {"no-gap"},
    "typed-bad.toml": {"no-back", "list-back"},
    "verdict-bad.toml": {"maybe", "no-why"},
}


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_decks_are_rejected_at_their_notes(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    errors = list(validator().iter_errors(data))
    assert errors
    notes = {data["notes"][e.absolute_path[1]]["id"] for e in errors
             if list(e.absolute_path)[:1] == ["notes"]}  # fmt: skip
    assert notes == SAYABLE[path.name]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format=2),
        lambda d: d["deck"].update(id="Not A Slug"),
        lambda d: d["deck"].pop("name"),
        lambda d: d.update(extra_table={}),
        lambda d: d["notes"][0].update(kind="essay"),
        lambda d: d["notes"][0].update(colour="red"),
        lambda d: d["notes"][0].update(tags=["has space"]),
        lambda d: d["sources"][0].update(year="1999"),
    ],
)
def test_structural_mistakes_are_rejected(change):
    data = tomllib.loads((FIXTURES / "decks" / "basics.toml").read_text(encoding="utf-8"))
    data.setdefault("sources", [{"id": "s", "title": "t"}])
    assert not list(validator().iter_errors(data))
    change(data)
    assert list(validator().iter_errors(data))
