"""Deck files: every error of DESIGN.md is reported with its line and column."""

from __future__ import annotations

import textwrap

import pytest

from cards import deckfile
from cards.library import load_library
from tests.conftest import FIXTURE_DECKS

HEADER = """\
format = 1

[deck]
id = "t"
name = "Test"

[[sources]]
id = "harper"
title = "An article"
"""


def errors_of(body: str) -> list[str]:
    _, errors = deckfile.parse(HEADER + textwrap.dedent(body), "t.toml")
    return [str(e) for e in errors]


def test_valid_fixture_deck_loads_every_kind():
    deck, errors = deckfile.load(FIXTURE_DECKS / "basics.toml")
    assert errors == []
    assert {n.kind for n in deck.notes} == {"basic", "cloze", "choice", "verdict"}
    # card 1 keeps the bare note key; reverse and cloze 2 get /2
    assert [c.key for c in deck.cards] == [
        "basics/capital",
        "basics/pair",
        "basics/pair/2",
        "basics/gap",
        "basics/gap/2",
        "basics/pick",
        "basics/busy",
    ]


# A broken note after HEADER, and the start of the one-line error it gives (the file is
# t.toml). tests/test_hostile_decks.py runs them through the command line too.
LOCATED = [
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\nback = "b"\nfrnot = 1\n',
        "t.toml:15:1: note 'a': unknown key 'frnot'",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = 3\nback = "b"\n',
        "t.toml:13:1: note 'a': 'front' must be a string, not an integer",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\nback = "b"\n'
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "g"\nback = "c"\n',
        "t.toml:16:1: duplicate note id 'a'",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "cloze"\ntext = "no gap here"\n',
        "t.toml:13:1: note 'a': cloze text has no {{c1::...}} gap",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "cloze"\ntext = "{{c1:broken}}"\n',
        "t.toml:13:1: note 'a': malformed cloze",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "choice"\nprompt = "p"\noptions = ["x", "y"]\n'
        'answer = "z"\nwhy = "w"\n',
        "t.toml:15:1: note 'a': answer 'z' is not among the options",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\nback = "b"\nsource = "brown#3"\n',
        "t.toml:15:1: note 'a': source 'brown#3' names no [[sources]] entry",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\nback = "b"\nevidence = ["x-2020"]\n',
        "t.toml:15:1: note 'a': evidence 'x-2020' names no [[sources]] entry",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "verdict"\nadvice = "x"\nverdict = "maybe"\nwhy = "y"\n',
        "t.toml:14:1: note 'a': verdict must be one of healthy, unhealthy, depends",
    ),
    ('[[notes]]\nid = "a"\nkind = "quiz"\n', "t.toml:12:1: note 'a': kind must be one of"),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\n',
        "t.toml:10:1: note 'a': missing 'back'",
    ),
    (
        '[[notes]]\nid = "a"\nkind = "basic"\nfront = "f"\nback = "b"\nname = = 2\n',
        "t.toml:15:8: TOML syntax: Invalid value",
    ),
]


@pytest.mark.parametrize("body, expected", LOCATED)
def test_each_error_is_located(body, expected):
    errors = errors_of(body)
    assert any(e.startswith(expected) for e in errors), errors


def test_every_problem_is_reported_not_just_the_first():
    body = (
        '[[notes]]\nid = "a"\nkind = "choice"\nprompt = "p"\noptions = ["x"]\nanswer = "z"\n'
        'why = "w"\n[[notes]]\nid = "b"\nkind = "basic"\nfront = "f"\nback = "b"\nsource = "q"\n'
    )
    errors = errors_of(body)
    assert len(errors) == 3, errors  # too few options, answer missing, bad source


def test_a_broken_note_leaves_the_rest_of_the_deck():
    deck, errors = deckfile.parse(
        HEADER + '[[notes]]\nid = "ok"\nkind = "basic"\nfront = "f"\n'
        'back = "b"\n[[notes]]\nid = "bad"\nkind = "basic"\n',
        "t.toml",
    )
    assert [n.id for n in deck.notes] == ["ok"]
    assert [e.message for e in errors] == [
        "note 'bad': missing 'back'",
        "note 'bad': missing 'front'",
    ]


def test_deck_header_errors(tmp_path):
    _, errors = deckfile.parse('format = 2\n[deck]\nid = "Bad Id"\nname = "x"\n', "t.toml")
    assert [str(e) for e in errors] == [
        "t.toml:1:1: unsupported format 2: this version reads format 1",
        "t.toml:3:1: deck id 'Bad Id' must match [a-z0-9-]+",
    ]


def test_a_broken_deck_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.toml").write_text("format = 1\n[deck\n")
    (tmp_path / "b.toml").write_bytes((FIXTURE_DECKS / "basics.toml").read_bytes())
    lib = load_library(builtin=False, extra=[tmp_path])
    assert [d.id for d in lib.decks] == ["basics"]
    assert len(lib.errors) == 1 and lib.errors[0].line == 2


def test_two_decks_with_one_id_is_an_error(tmp_path):
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_bytes((FIXTURE_DECKS / "basics.toml").read_bytes())
    lib = load_library(builtin=False, extra=[tmp_path])
    assert len(lib.decks) == 1
    assert "deck id 'basics' is already used by" in str(lib.errors[0])
    assert lib.errors[0].line == 4  # the `id =` line of the second file


def test_write_back_round_trips():
    deck, _ = deckfile.load(FIXTURE_DECKS / "basics.toml")
    again, errors = deckfile.parse(deckfile.dumps(deck), "again.toml")
    assert errors == [] and again == deck


def test_shipped_decks_round_trip():
    lib = load_library(builtin=True)
    assert lib.errors == [] and lib.decks
    for deck in lib.decks:
        again, errors = deckfile.parse(deckfile.dumps(deck), "again.toml")
        assert errors == [] and again == deck, deck.id


@pytest.mark.parametrize(
    "author, short",
    [
        ("Dai, Dong & Jia", "Dai et al. 2014"),
        ("Downey & Feldman", "Downey & Feldman 2014"),
        ("Lachlan Brown (Hack Spirit)", "Lachlan Brown 2014"),
        ("RelationshipRx, University of Tennessee", "RelationshipRx 2014"),
        (None, "A title 2014"),
    ],
)
def test_short_source_names(author, short):
    from cards.model import Source

    assert Source("x", "A title", author=author, year=2014).short() == short
