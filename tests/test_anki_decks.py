"""Anki's own notes become TOML decks (issue 16, acceptance 4): a package made in Anki's
engine with Basic, reversed, optional reversed, Cloze and type-in notes and a day of
study, through `heartcards import`: decks that pass `check`, each card in the state Anki
has it in, and a second import that changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.cli import main as cli
from cards import anki_decks
from cards.anki_import import read_package
from cards.days import study_day
from cards.model import card_key
from cards.state import LEARNING, RELEARNING, REVIEW
from cards.store import Store
from tests.conftest import in_anki_test_mode

pytest.importorskip("anki.collection")
MAKE = Path(__file__).parent / "anki_side" / "make_notes.py"
ANKI_TYPE = {LEARNING: 1, REVIEW: 2, RELEARNING: 3}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The package (current format and legacy), and Anki's cards by "GUID/ORD"."""
    tmp = tmp_path_factory.mktemp("anki-notes")
    package, legacy = tmp / "notes.apkg", tmp / "legacy.apkg"
    cmd, env = in_anki_test_mode(
        [sys.executable, str(MAKE), str(tmp / "c.anki2"), str(package), "14", str(legacy)]
    )
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return package, legacy, json.loads(done.stdout)


def run(*args) -> int:
    return cli([str(a) for a in args])


def test_anki_notes_become_decks_with_their_schedules(made, tmp_path, capsys):
    package, _, theirs = made
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("fuzz = false\n")  # (Anki's is off: ANKI_TEST_MODE)
    assert run("--home", home, "--no-builtin", "import", package) == 0
    out = capsys.readouterr().out
    decks = home / "decks"
    assert sorted(p.name for p in decks.iterdir()) == ["anki-geography.toml",
                                                       "anki-spanish-verbs.toml"]  # fmt: skip
    assert "1 note of note type 'Three ways' left in Anki" in out
    assert "2 notes had images or sounds, not copied" in out

    verbs = tomllib.loads((decks / "anki-spanish-verbs.toml").read_text())
    assert verbs["deck"] == {"id": "anki-spanish-verbs", "name": "Spanish::Verbs"}
    by_front = {n.get("front"): n for n in verbs["notes"]}
    hablar = by_front["**hablar**"]  # (<b> as **)
    assert hablar == {"id": hablar["id"], "kind": "basic", "front": "**hablar**",
                      "back": "to speak\n(regular, -ar)", "tags": ["regular", "verbs"]}  # fmt: skip
    assert by_front["comer & beber"]["back"] == "to eat\nand drink"
    assert by_front["ser"]["reverse"] is True and by_front["ser"]["back"] == "to be *(lasting)*"
    assert by_front["ir"]["reverse"] is True and "reverse" not in by_front["venir"]
    assert "extra" not in by_front["ir"]  # ("Add Reverse" only switches the card on)
    assert by_front["tener"]["kind"] == "typed" and by_front["tener"]["back"] == "to have"
    places = tomllib.loads((decks / "anki-geography.toml").read_text())
    texts = {n.get("text") or n.get("front"): n for n in places["notes"]}
    assert texts["{{c1::Madrid}} is the capital of {{c2::Spain}}."]["extra"] == "*since 1561*"
    assert "Lisbon is on the {{c1::Tagus::river}}." in texts  # (its image left behind)
    assert texts["Where is Porto?"]["back"] == "Portugal"  # (its sound left behind)

    capsys.readouterr()
    assert run("--home", home, "--no-builtin", "check") == 0
    assert capsys.readouterr().out.startswith("ok: 2 decks, 9 notes, 12 cards")

    content = read_package(package).content
    key_of = {}
    for note in content.notes:
        for ord_ in range(3):
            deck = anki_decks.deck_id(content.decks[content.note_decks[note.id]], 0)
            key_of[f"{note.guid}/{ord_}"] = card_key(deck, anki_decks.note_id(note.guid), ord_ + 1)
    store = Store.open(home)
    states = store.states()
    compared = 0
    converted = {n.guid for n in content.notes if content.types[n.type_id].name != "Three ways"}
    for anki_id, a in theirs.items():
        if anki_id.rsplit("/", 1)[0] not in converted:
            continue
        key = key_of[anki_id]
        if key not in states:  # not studied in Anki: new here too
            assert a["type"] == 0, anki_id
            continue
        st = states[key]
        assert (st.reps, st.lapses, ANKI_TYPE.get(st.state, 0)) == (
            a["reps"], a["lapses"], a["type"]), anki_id  # fmt: skip
        assert st.suspended == (a["queue"] == -1), anki_id
        if a["due_date"] is not None:
            assert study_day(st.due.astimezone(), 4).isoformat() == a["due_date"], anki_id
        elif a["type"] in (1, 3):
            # Anki reads the clock twice: the due's second (the answer's TimestampSecs) and
            # the revlog id (RevlogId::new, TimestampMillis::now) a moment later; we replay
            # from the revlog id, so an answer that straddles a second is one second later.
            assert int(st.due.timestamp()) - a["due"] in (0, 1), anki_id
        compared += 1
    assert compared >= 8 and any(a["type"] == 2 for a in theirs.values())
    store.close()

    before = {p.name: p.read_bytes() for p in decks.iterdir()}
    stamps = {p.name: p.stat().st_mtime_ns for p in decks.iterdir()}
    assert run("--home", home, "--no-builtin", "import", package) == 0
    again = capsys.readouterr().out
    assert "0 reviews merged" in again and "wrote" not in again and "updated" not in again
    assert {p.name: p.read_bytes() for p in decks.iterdir()} == before
    assert {p.name: p.stat().st_mtime_ns for p in decks.iterdir()} == stamps


def test_a_legacy_package_makes_the_same_decks(made):
    package, legacy, _ = made
    cards_of = {}
    decks = []
    for path in (package, legacy):
        p = read_package(path)
        for nid, ord_, _ in p.cards.values():
            cards_of.setdefault(nid, set()).add(ord_)
        decks.append(anki_decks.convert(p.content, set(), cards_of).decks)
    assert decks[0] == decks[1] and len(decks[0]) == 2
