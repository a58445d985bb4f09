"""The typed kind's comparison, and its export with Anki's type-in box, in Anki's engine."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.anki import export_apkg
from cards.deckfile import load
from cards.kinds.typed import diff, matches
from tests.conftest import FIXTURES

TYPED = FIXTURES / "kinds" / "typed.toml"


def test_matches_ignores_case_and_surrounding_space():
    assert matches("lisbon", "Lisbon") and matches("  LISBON \n", "Lisbon")
    assert matches("straße", "STRAẞE") and matches("café", "cafe\u0301")  # case folds, NFC
    assert not matches("lisbn", "Lisbon") and not matches("lis bon", "Lisbon")
    assert matches("x and y", "**x** and *y*")  # emphasis markers are not typed


def test_diff_marks_what_is_wrong_and_what_is_missing():
    assert diff("lisbon", "Lisbon") == ([("lisbon", True)], [("Lisbon", True)])
    assert diff("Lisbn", "Lisbon") == (
        [("Lisbn", True)],
        [("Lisb", True), ("o", False), ("n", True)],
    )
    typed, expected = diff("Madrid", "Lisbon")
    assert "".join(t for t, _ in typed) == "Madrid" and "".join(t for t, _ in expected) == "Lisbon"
    assert any(not ok for _, ok in typed) and any(not ok for _, ok in expected)


@given(st.text(max_size=30), st.text(min_size=1, max_size=30))
def test_diff_keeps_every_character(typed, expected):
    ours, theirs = diff(typed, expected)
    assert "".join(t for t, _ in ours) == unicodedata.normalize("NFC", typed.strip())
    from cards.text import plain

    assert "".join(t for t, _ in theirs) == unicodedata.normalize("NFC", plain(expected).strip())
    right_typed = "".join(t for t, ok in ours if ok)
    right_expected = "".join(t for t, ok in theirs if ok)
    assert [c.casefold() for c in right_typed] == [c.casefold() for c in right_expected]
    if matches(typed, expected):
        assert all(ok for _, ok in ours + theirs)


def test_export_asks_with_ankis_type_in_box(tmp_path):
    anki_collection = pytest.importorskip("anki.collection")
    from tests.test_export import import_apkg, notes_by_guid, text_of

    deck, errors = load(TYPED)
    assert not errors
    export_apkg([deck], tmp_path / "typed.apkg")
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, tmp_path / "typed.apkg")
        notes = notes_by_guid(col)
        from cards.anki import note_guid

        capital = notes[note_guid("kind-typed/capital")]
        card = capital.cards()[0]
        model = col.models.get(capital.mid)
        assert model["name"] == "heartcards: Type in the answer"
        assert "{{type:Back}}" in model["tmpls"][0]["qfmt"]
        # Anki's renderer leaves the box as [[type:Back]]; its reviewers draw the input there
        assert "[[type:Back]]" in card.question() and "[[type:Back]]" in card.answer()
        assert "Capital of Portugal? [b]x[/b] <i>y</i>" in text_of(card.question())
        assert capital["Back"] == "Lisbon"
        # Anki's own comparison on the exported field: it agrees with ours on an exact answer
        assert "typeBad" not in col.compare_answer(capital["Back"], "Lisbon")
        assert "typeMissed" in col.compare_answer(capital["Back"], "Lisbn")
        literal = notes[note_guid("kind-typed/literal")]
        assert text_of(literal["Back"]) == "[b]x[/b] <i>y</i>"
    finally:
        col.close()
