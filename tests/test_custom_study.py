"""Custom study, as Anki's: more new cards or reviews today, reviewing ahead, forgotten
cards; and cram, which goes through cards without touching their schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cards.config import Settings
from cards.cram import CramSession
from cards.library import load_library
from cards.search import SearchError, find
from cards.session import Session
from cards.state import CardState, Rating


def scheduled(store) -> dict:
    """Every card's state that is not a new card's (a stored row of a new card is one)."""
    return {k: v for k, v in store.states().items() if v != CardState(k)}


@pytest.fixture
def lib():
    return load_library(builtin=True)


def test_more_new_cards_today_for_one_deck(store, clock, lib):
    settings = Settings(decks={"advice": {"new_per_day": 5}})
    s = Session(store, lib.cards(["advice"]), settings, clock)
    while (card := s.next_card()) is not None:
        s.answer(card, Rating.EASY)
    assert len(s.answered) == 5
    held = s.held()
    assert held.new and (held.new_done, held.new_limit, held.scope) == (5, 5, "advice")
    s.extend_limits(new=5)
    assert s.counts()[0] == 5 and s.held().new_limit == 10
    while (card := s.next_card()) is not None:
        s.answer(card, Rating.EASY)
    assert len(s.answered) == 10
    # studied and logged as any answer: ten new cards today, ten reviewed cards
    new, _, answered = store.today_counts(
        clock() - timedelta(hours=6), clock() + timedelta(hours=12)
    )
    assert new == {"advice": 10} and len(answered) == 10
    # the other decks and the collection keep their own limits; tomorrow it is gone
    assert Session(store, lib.cards(["reasons"]), settings, clock).counts()[0] == 20
    clock.advance(days=1)
    s = Session(store, lib.cards(["advice"]), settings, clock)
    assert s.counts()[0] == 5 and s.held().new_limit == 5


def test_more_reviews_and_new_for_all_decks(store, clock, lib):
    settings = Settings(new_per_day=3)
    s = Session(store, lib.cards(), settings, clock)
    assert s.counts()[0] == 3 and s.held().scope == "*"
    s.extend_limits(new=4)
    assert s.counts()[0] == 7


def test_review_ahead_and_forgotten_cards_are_scheduled_as_usual(store, clock, lib):
    settings = Settings(new_per_day=30)
    cards = lib.cards(["advice"])
    s = Session(store, cards, settings, clock)
    while (card := s.next_card()) is not None:
        s.answer(card, Rating.AGAIN if len(s.answered) % 4 == 0 else Rating.EASY)
        clock.advance(minutes=1)
    clock.advance(days=1)
    today = Session(store, cards, settings, clock)
    assert today.counts()[2] == 0  # nothing due: Easy gave days
    ahead = Session(store, cards, settings, clock, ahead_days=30, filtered=True)
    due_ahead = ahead.counts()[2]
    assert due_ahead > 0 and ahead.counts()[0] == 0
    card = ahead.next_card()
    before = store.get(card.key)
    ahead.answer(card, Rating.GOOD)
    after = store.get(card.key)
    assert after.reps == before.reps + 1 and after.due > before.due  # an early review
    # forgotten: the cards answered Again lately, whatever their due date
    again = {r.key for r in store.reviews() if r.rating == Rating.AGAIN}
    forgotten = [c for c in cards if c.key in again]
    f = Session(store, forgotten, settings, clock, ahead_days=36500, filtered=True)
    assert sum(f.counts()) == len(forgotten) - (card.key in again)


def test_cram_changes_no_card_state_and_is_logged_apart(store, clock, lib):
    settings = Settings()
    normal = Session(store, lib.cards(["advice"]), settings, clock)
    for _ in range(6):
        normal.answer(normal.next_card(), Rating.GOOD)
    states = scheduled(store)
    rows = store.review_rows()
    cards = find(lib.decks, store, settings, clock(), "deck:advice")
    cram = CramSession(store, cards, settings, clock, seed=1)
    assert cram.counts() == (0, 0, len(cards))
    first = cram.next_card()
    cram.answer(first, Rating.AGAIN)
    shown = 1
    while (card := cram.next_card()) is not None:
        cram.answer(card, Rating.GOOD)
        clock.advance(seconds=10)
        shown += 1
    assert shown == len(cards) + 1  # the card answered Again came back once
    assert scheduled(store) == states and store.review_rows() == rows
    logged = store.cram_answers()
    assert len(logged) == shown and logged[0][:3] == (first.key, logged[0][1], Rating.AGAIN)
    start = clock() - timedelta(hours=2)
    assert sum(store.today_counts(start)[0].values()) == 6  # cram counts for no limit
    cram.undo()
    assert len(store.cram_answers()) == shown - 1 and scheduled(store) == states
    assert Session(store, lib.cards(["advice"]), settings, clock).counts() == normal.counts()


def test_a_cram_search_that_cannot_be_read_says_so(store, clock, lib):
    with pytest.raises(SearchError):
        find(lib.decks, store, Settings(), clock(), "prop:zz>1")
    tagged = find(lib.decks, store, Settings(), clock(), "tag:safety")
    assert tagged and all("safety" in c.note.tags for c in tagged)
