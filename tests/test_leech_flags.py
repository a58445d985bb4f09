"""Leeches, flags and marks (issue 15, acceptance 4): a card that lapses 8 times is tagged
leech and suspended (or only tagged), in the answer's own transaction, and undo takes both
back; flags and marks persist and are searched."""

from __future__ import annotations

import pytest

from cards.config import Settings
from cards.model import Card, Note
from cards.search import find
from cards.session import Session
from cards.state import REVIEW, Rating
from cards.store import is_leech


def lapse_until_leech(store, clock, settings, lapses: int):
    card = Card("d", Note("n", "basic", {"front": "q", "back": "a"}))
    s = Session(store, [card], settings, clock)
    s.answer(card, Rating.EASY)
    review = None
    for _ in range(lapses):
        clock.advance(days=30)
        assert store.get(card.key).state == REVIEW
        review = s.answer(card, Rating.AGAIN)
        if review.leech:
            return s, card, review
        clock.advance(minutes=10)
        s.answer(card, Rating.EASY)  # relearnt: a review card again
    return s, card, review


def test_the_eighth_lapse_makes_a_leech_suspended_and_tagged(store, clock):
    s, card, review = lapse_until_leech(store, clock, Settings(), 8)
    assert review.leech and review.after.lapses == 8
    assert store.get(card.key).suspended and store.tags_of(card.note_key) == {"leech"}
    assert s.next_card() is None
    s.undo()  # the answer, its tag and its suspension go together
    assert not store.get(card.key).suspended and store.tags_of(card.note_key) == set()
    assert store.get(card.key).lapses == 7


def test_tag_only_keeps_the_card_in_the_queue(store, clock):
    settings = Settings(decks={"d": {"leech_threshold": 3, "leech_action": "tag"}})
    s, card, review = lapse_until_leech(store, clock, settings, 3)
    assert review.leech and review.after.lapses == 3
    assert not store.get(card.key).suspended and store.tags_of(card.note_key) == {"leech"}


@pytest.mark.parametrize("threshold, lapses", [(8, [8, 12, 16]), (5, [5, 8, 11]), (1, [1, 2, 3])])
def test_leeches_come_at_the_threshold_and_every_half_of_it_again(threshold, lapses):
    """Anki's rule (rslib scheduler/states/review.rs): half the threshold rounded up."""
    hits = [n for n in range(1, 17) if is_leech(n, threshold)]
    assert hits[:3] == lapses and not is_leech(5, 0)


def test_flags_and_marks_persist_and_are_searched(store, clock):
    from cards.library import load_library

    lib = load_library(builtin=True)
    a, b = lib.cards(["advice"])[:2]
    assert store.toggle_flag(a.key, 1) == 1 and store.toggle_flag(b.key, 4) == 4
    assert store.toggle_flag(b.key, 4) == 0 and store.toggle_flag(b.key, 3) == 3  # again: off
    assert store.toggle_note_tag(a.note_key, "marked") is True
    assert store.flags() == {a.key: 1, b.key: 3}
    now = clock()
    assert [c.key for c in find(lib.decks, store, Settings(), now, "flag:1")] == [a.key]
    assert [c.key for c in find(lib.decks, store, Settings(), now, "tag:marked")] == [a.key]
    assert len(find(lib.decks, store, Settings(), now, "deck:advice flag:0")) == len(
        lib.cards(["advice"])) - 2  # fmt: skip
    clock.advance(days=1)
    assert store.flag_of(a.key) == 1 and "marked" in store.tags_of(a.note_key)


def test_flags_marks_and_leeches_arrive_in_anki(tmp_path, store, clock, col):
    """Exported with scheduling (Anki drops a card's flag with its scheduling), the flag
    is Anki's card flag; the app's tags (marked, leech) are the note's tags, under Anki's
    own names; the preset carries the leech threshold and action."""
    from cards.anki import export_apkg, note_guid
    from cards.library import load_library

    lib = load_library(builtin=True)
    cards = lib.cards(["advice"])
    store.toggle_flag(cards[0].key, 6)
    store.toggle_note_tag(cards[1].note_key, "marked")
    store.set_note_tag(cards[2].note_key, "leech", True)
    export_apkg(lib.decks, tmp_path / "f.apkg", store=store, now=clock(), scheduling=True,
                settings=Settings(leech_threshold=6, leech_action="tag"))  # fmt: skip
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_deck_configs=True, with_scheduling=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "f.apkg"),
                                                     options=options))  # fmt: skip
    by_guid = {}
    for nid in col.find_notes(""):
        n = col.get_note(nid)
        by_guid[n.guid] = n

    def note(card):
        return by_guid[note_guid(card.note_key)]

    assert note(cards[0]).cards()[0].flags == 6
    assert "marked" in note(cards[1]).tags and "leech" in note(cards[2]).tags
    assert "marked" not in note(cards[0]).tags
    did = col.decks.id_for_name("heartcards::" + lib.deck("advice").name)
    conf = col.decks.config_dict_for_deck_id(did)
    assert (conf["lapse"]["leechFails"], conf["lapse"]["leechAction"]) == (6, 1)
