"""Browse's search (cards.search), Anki's syntax in small: the cards a search returns are
exactly the ones a test picks out from the core's own data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.config import Settings
from cards.days import study_day, today_bounds
from cards.library import load_library
from cards.scheduler import retrievability
from cards.search import SearchError, candidate, matcher, words
from cards.session import Session
from cards.state import NEW, Rating
from cards.store import Store
from tests.conftest import Clock


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Six weeks of study of the shipped decks, a few cards suspended and buried."""
    lib = load_library(builtin=True)
    cards = lib.cards()
    store = Store.open(tmp_path_factory.mktemp("search"))
    settings = Settings(new_order="file")  # (the history the assertions below were made on)
    now = datetime(2026, 11, 20, 10, 0).astimezone()
    clock = Clock(now - timedelta(days=42))
    rng = random.Random(5)
    for _ in range(42):
        session = Session(store, cards, settings, clock)
        for _ in range(40):
            card = session.next_card()
            if card is None:
                break
            session.answer(card, Rating(rng.choice((1, 3, 3, 3, 4))), duration_ms=3000)
            clock.advance(seconds=30)
        clock.advance(days=1)
    now += timedelta(days=3)  # (looked at a few days on: reviews of every deck are due)
    store.set_suspended(cards[3].key, True)
    store.bury(cards[5].key, study_day(now, 4) + timedelta(days=1))
    states = store.states()
    names = {d.id: d.name for d in lib.decks}
    found = []
    for card in cards:
        state = states.get(card.key) or store.get(card.key)
        found.append(candidate(card, names[card.deck_id], state, card.key.lower(),
                               retrievability(settings, state, now), now, 4))  # fmt: skip
    store.close()
    return found, now


def search(world, query: str) -> set[str]:
    found, _ = world
    m = matcher(query)
    return {c.card.key for c in found if m(c)}


def test_deck_is_due_not_tag_is_what_the_core_says(world):
    """Issue 16, acceptance 3 (the searches): deck:advice is:due -tag:safety."""
    found, now = world
    _, day_end = today_bounds(now, 4)
    expect = {
        c.card.key for c in found
        if c.card.deck_id == "advice" and c.state.state != NEW and c.state.due < day_end
        and not c.state.suspended
        and not (c.state.buried_until and c.state.buried_until > c.today)
        and "safety" not in c.card.note.tags
    }  # fmt: skip
    got = search(world, "deck:advice is:due -tag:safety")
    assert got == expect and got
    # and a tag that some of those due cards have (which ones do depends on the history)
    due = {
        c.card.key: c.card.note.tags
        for c in found
        if c.card.key in search(world, "deck:advice is:due")
    }
    tag = max(sorted({t for tags in due.values() for t in tags}),
              key=lambda t: sum(t in tags for tags in due.values()))  # fmt: skip
    got = search(world, f"deck:advice is:due -tag:{tag}")
    assert got == {k for k, tags in due.items() if tag not in tags} and got < set(due)


def test_prop_ivl_is_what_the_core_says(world):
    found, _ = world
    expect = {
        c.card.key for c in found
        if c.state.state != NEW and c.state.due and c.state.last_review
        and (study_day(c.state.due, 4) - study_day(c.state.last_review, 4)).days > 10
    }  # fmt: skip
    assert search(world, "prop:ivl>10") == expect and expect
    r = {c.card.key for c in found if c.retrievability is not None and c.retrievability < 0.9}
    assert search(world, "prop:r<0.9") == r
    # (the fixture suspends one card and buries another; leeches are suspended too)
    assert search(world, "is:suspended") == {c.card.key for c in found if c.state.suspended}
    assert found[3].card.key in search(world, "is:suspended")
    assert (
        search(world, "is:buried")
        == {c.card.key for c in found if c.state.buried_until and c.state.buried_until > c.today}
        == {found[5].card.key}
    )
    assert search(world, "-is:new") == {c.card.key for c in found if c.state.state != NEW}
    assert search(world, "deck:adv*") == search(world, "deck:advice")


@pytest.mark.parametrize("query, message", [
    ("is:soon", "is: takes"), ("prop:ivl>>3", "prop: takes"), ("prop:x>1", "prop: takes"),
    ("deck:", "say what deck: is"), ("flag:9", "flag: takes 0"), ("flag:red", "flag: takes 0"),
])  # fmt: skip
def test_a_search_that_cannot_be_read_says_why(query, message):
    with pytest.raises(SearchError, match=message):
        matcher(query)


@given(st.text(max_size=40))
def test_any_text_splits_into_terms_and_never_crashes(text):
    """An apostrophe or an open quote is never an error; every term is non-empty."""
    terms = words(text)
    assert all(terms)
    try:
        matcher(text)
    except SearchError:
        pass
