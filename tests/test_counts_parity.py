"""Today's counts (new, learning, review) as Anki's engine shows them, answer by answer:
a card waiting for its next learning step counts as learning as soon as it is due within
the learn-ahead limit, whether or not it can be shown yet.

New cards remain to the end: once only learning cards are left, Anki also moves a card
that would come back at once behind the next one (rslib scheduler/queue/learning.rs,
requeue_learning_entry), an order this session does not follow yet."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from cards.config import Settings
from cards.model import Card, Note
from cards.session import Session
from cards.state import Rating
from cards.store import Store


def same_basic_cards(col, n: int) -> list[Card]:
    """`n` Basic notes in Anki's Default deck, and the same cards here (deck "d")."""
    basic = col.models.by_name("Basic")
    for i in range(n):
        note = col.new_note(basic)
        note["Front"], note["Back"] = f"q{i}", "a"
        col.add_note(note, 1)
    return [Card("d", Note(f"n{i}", "basic", {"front": f"q{i}", "back": "a"})) for i in range(n)]


def answer_both(session, ours, col, queued, rating: int) -> None:
    """`rating` for our next card `ours` and for the first of Anki's `queued` cards."""
    from anki.cards import Card as AnkiCard

    session.answer(ours, Rating(rating))
    theirs = AnkiCard(col, backend_card=queued.cards[0].card)
    theirs.start_timer()
    col.sched.answer_card(
        col.sched.build_answer(card=theirs, states=queued.cards[0].states, rating=rating - 1)
    )


def test_counts_follow_ankis_answer_by_answer(tmp_path):
    anki_collection = pytest.importorskip("anki.collection")

    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    col.set_config("fsrs", True)
    # The same cards here, with Anki's defaults (steps 1m 10m, relearning 10m, 20 min
    # learn-ahead, 20 new a day), on the real clock as Anki's engine is.
    cards = same_basic_cards(col, 14)
    store = Store.open(tmp_path / "home")
    session = Session(store, cards, Settings(), lambda: datetime.now().astimezone())
    rng = random.Random(3)
    try:
        assert session.counts() == col.sched.counts()
        for _ in range(12):  # new cards stay: (see the note below)
            ours = session.next_card()
            queued = col.sched.get_queued_cards()
            if ours is None or not queued.cards:
                assert ours is None and not queued.cards
                break
            rating = rng.choice((1, 1, 3, 3, 3, 4))
            answer_both(session, ours, col, queued, rating)
            assert session.counts() == col.sched.counts(), rating
    finally:
        store.close()
        col.close(downgrade=False)


def test_learn_ahead_stops_at_the_rollover_as_in_anki(tmp_path):
    """A learning card due within the learn-ahead limit but after the day's rollover is
    not today's: Anki gathers intraday learning only up to the next day's start. The day
    here starts one to two hours from now, the learn-ahead limit is three hours, and a
    Good on a new card brings it back in 150 minutes, past the rollover."""
    anki_collection = pytest.importorskip("anki.collection")

    now = datetime.now().astimezone()
    starts_at = (now.hour + (1 if now.minute < 50 else 2)) % 24
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    col.set_config("fsrs", True)
    col.set_config("rollover", starts_at)
    col.set_config("collapseTime", 180 * 60)
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["delays"] = [1.0, 150.0]
    col.decks.update_config(conf)
    cards = same_basic_cards(col, 4)
    settings = Settings(learning_steps=("1m", "150m"), day_starts_at=starts_at,
                        learn_ahead_minutes=180)  # fmt: skip
    store = Store.open(tmp_path / "home")
    session = Session(store, cards, settings, lambda: datetime.now().astimezone())
    try:
        for rating in (3, 1, 3):  # Good: past the rollover; Again: in a minute
            ours = session.next_card()
            answer_both(session, ours, col, col.sched.get_queued_cards(), rating)
            assert session.counts() == col.sched.counts(), rating
        assert session.counts() == (1, 1, 0)  # the Again only; the two Goods are tomorrow's
    finally:
        store.close()
        col.close(downgrade=False)


def test_interday_learning_takes_review_limit_as_in_anki(tmp_path):
    """Cards whose learning step (1 day) ran past the rollover are Anki's interday
    learning: due from the start of their day, counted as learning, and gathered before
    the reviews within the review limit (rslib scheduler/queue/builder/gathering.rs).
    Before heartcards did the same, Anki showed (0, 5, 5) here where we showed (1, 5, 9)."""
    anki_collection = pytest.importorskip("anki.collection")
    from anki.cards import Card as AnkiCard
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from cards import anki as hc_anki
    from cards.anki import export_apkg
    from cards.days import day_start, study_day
    from tests.conftest import Clock
    from tests.test_export import shipped_decks

    decks = shipped_decks()
    cards = [c for d in decks for c in d.cards]
    settings = Settings(learning_steps=("10m", "1d"), new_per_day=8, reviews_per_day=10)
    now = datetime.now().astimezone()
    today = study_day(now, settings.day_starts_at)
    clock = Clock(now)
    store = Store.open(tmp_path / "home")
    rng = random.Random(8)
    for back in range(9, 0, -1):  # at noon of each study day
        clock.now = day_start(today - timedelta(days=back), settings.day_starts_at, None)
        clock.advance(hours=8)
        session = Session(store, cards, settings, clock)
        for _ in range(40):
            card = session.next_card()
            if card is None:
                break
            session.answer(card, Rating(rng.choice((1, 3, 3, 3, 4))))
            clock.advance(minutes=1)
    clock.now = now
    session = Session(store, cards, settings, lambda: datetime.now().astimezone())
    ours = session.counts()
    assert ours[1] and ours[2]  # steps of a day due today, and reviews
    export_apkg(decks, tmp_path / "s.apkg", store=store, scheduling=True, settings=settings,
                now=now)  # fmt: skip
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        col.set_config("fsrs", True)
        options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "s.apkg"),
                                                         options=options))  # fmt: skip
        col.decks.select(col.decks.id_for_name("heartcards"))
        assert tuple(col.sched.counts()) == ours
        # then answer by answer, the card Anki shows (an answer to an interday learning
        # card counts against the review limit, as a review's does)
        by_guid = {(hc_anki.note_guid(c.note_key), c.ord - 1): c for c in cards}
        for _ in range(8):
            queued = col.sched.get_queued_cards()
            theirs = AnkiCard(col, backend_card=queued.cards[0].card)
            answer_both(session, by_guid[(theirs.note().guid, theirs.ord)], col, queued, 3)
            assert session.counts() == tuple(col.sched.counts())
    finally:
        col.close(downgrade=False)
        store.close()
