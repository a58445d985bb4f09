"""The export's revlog copied in SQL (each review keeps Anki's interval and last interval,
worked out when it was answered) is the revlog worked out row by row from the log, in
three time zones, through DST changes, with undos, lapses and suspensions; and a
collection from before schema 5 gets the same once its intervals are filled in."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cards import anki as hc_anki
from cards.config import Settings
from cards.deckfile import load as load_deck
from cards.session import Session
from cards.state import Rating
from cards.store import DB_FILE, Store, UndoRefused
from tests.conftest import FIXTURE_DECKS, FIXTURES
from tests.test_export import package_rows

REVLOG = (
    "SELECT r.id, n.guid, c.ord, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type"
    " FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id"
)
CARDS = (
    "SELECT n.guid, c.ord, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, c.left,"
    " c.data FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.guid, c.ord"
)


@pytest.fixture
def zone(request):
    """Run in the time zone request.param (the local zone the export counts days in)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _study(store: Store, cards, settings: Settings, start: datetime, seed: int) -> datetime:
    """Two months of study at odd hours: answers, Agains, undos, a suspension."""
    rng = random.Random(seed)
    t = {"now": start}
    session = Session(store, cards, settings, lambda: t["now"])
    for _ in range(60):
        t["now"] += timedelta(hours=rng.choice((9, 17, 24, 26, 31)), seconds=rng.randint(1, 3599))
        for _ in range(rng.randint(1, 8)):
            card = session.next_card()
            if card is None:
                break
            session.answer(card, Rating(rng.choice((1, 2, 3, 3, 3, 4))), rng.randint(900, 30000))
            t["now"] += timedelta(seconds=rng.randint(5, 900), milliseconds=rng.randint(1, 999))
            if rng.random() < 0.05:
                try:
                    session.undo()
                except UndoRefused:
                    pass
                t["now"] += timedelta(seconds=rng.randint(2, 60))  # the learner looks again
        if rng.random() < 0.03 and (card := session.next_card()) is not None:
            session.suspend(card)
    return t["now"]


def _both_ways(store: Store, decks, settings, now, tmp_path: Path, monkeypatch):
    """(revlog, cards) of a package whose revlog was copied in SQL, and of one worked
    out row by row."""
    out = []
    for copied in (True, False):
        path = tmp_path / f"{copied}.apkg"
        with monkeypatch.context() as m:
            if not copied:
                m.setattr(Store, "reviews_as_kept", lambda self: False)
            hc_anki.export_apkg(decks, path, store=store, scheduling=True, settings=settings,
                                now=now)  # fmt: skip
        out.append((package_rows(path, REVLOG), package_rows(path, CARDS)))
    return out


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"], indirect=True)
def test_the_revlog_copied_is_the_revlog_worked_out(tmp_path, zone, monkeypatch):
    deck, _ = load_deck(FIXTURE_DECKS / "basics.toml")
    settings = Settings(day_starts_at=3 if zone == "UTC" else 4, fuzz=False, new_order="file")
    # across the March DST change in both Europe and America
    start = datetime(2026, 2, 20, 7, 30).astimezone()
    store = Store.open(tmp_path / "home")
    try:
        now = _study(store, deck.cards, settings, start, seed=len(zone))
        assert store.reviews_as_kept()  # distinct times: the copy applies
        (copied, cards_a), (worked, cards_b) = _both_ways(
            store, [deck], settings, now, tmp_path, monkeypatch
        )
        assert len(copied) >= 60 and any(row[4] < 0 for row in copied)  # learning steps
        assert copied == worked and cards_a == cards_b
    finally:
        store.close()


def test_a_collection_from_before_gets_its_intervals_once(tmp_path, monkeypatch):
    """Schema 4's reviews have no intervals: the first export works them out (the same
    rows an export row by row gives) and keeps them; a busy collection is exported row by
    row instead, and nothing is written."""
    (tmp_path / DB_FILE).write_bytes((FIXTURES / "collections" / "v4.sqlite3").read_bytes())
    deck, _ = load_deck(FIXTURE_DECKS / "basics.toml")
    store = Store.open(tmp_path)
    now = datetime(2026, 3, 10, 12, tzinfo=timezone(timedelta(hours=2)))
    try:
        assert not store.reviews_as_kept()
        other = sqlite3.connect(tmp_path / DB_FILE, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writing: no fill now
        store.db.execute("PRAGMA busy_timeout = 0")
        busy = tmp_path / "busy.apkg"
        hc_anki.export_apkg([deck], busy, store=store, scheduling=True, now=now)
        other.execute("ROLLBACK")
        other.close()
        assert not store.reviews_as_kept()
        store.db.execute("PRAGMA busy_timeout = 5000")
        (copied, cards_a), (worked, cards_b) = _both_ways(
            store, [deck], Settings(), now, tmp_path, monkeypatch
        )
        assert store.reviews_as_kept()  # filled by the first of these
        assert copied == worked == package_rows(busy, REVLOG) and len(copied) == 46
        assert cards_a == cards_b
    finally:
        store.close()


def test_answers_within_one_ms_are_copied_and_a_clock_set_back_is_not(tmp_path, monkeypatch):
    """A fixed clock (a script, HEARTCARDS_NOW) puts every answer in one ms: the log's ids
    are a ms apart, in time order, and the copy keeps them (the rest of each row as worked
    out). A clock set back puts ids out of time order: the export works that log out row
    by row, re-sorting by time."""
    deck, _ = load_deck(FIXTURE_DECKS / "basics.toml")
    fixed = datetime(2026, 3, 2, 10, 0).astimezone()
    store = Store.open(tmp_path / "home")
    try:
        session = Session(store, deck.cards, Settings(), lambda: fixed)
        for rating in (3, 3, 3, 1, 3, 4, 3):
            card = session.next_card()
            session.answer(card, Rating(rating))
        session.undo()
        session.answer(card, Rating.HARD)
        assert store.reviews_as_kept()
        (copied, cards_a), (worked, cards_b) = _both_ways(
            store, [deck], Settings(), fixed, tmp_path, monkeypatch
        )
        ids = [row[0] for row in copied]
        assert ids == sorted(set(ids)) and ids[0] == int(fixed.timestamp() * 1000)
        assert [row[1:] for row in copied] == [row[1:] for row in worked] and cards_a == cards_b
        earlier = Session(store, deck.cards, Settings(), lambda: fixed - timedelta(hours=1))
        earlier.answer(deck.cards[0], Rating.GOOD)  # the clock went back an hour
        assert not store.reviews_as_kept()
        path = tmp_path / "back.apkg"
        hc_anki.export_apkg([deck], path, store=store, scheduling=True, now=fixed)
        times = [row[0] for row in package_rows(path, REVLOG)]
        assert times[0] == int(fixed.timestamp() * 1000) - 3_600_000  # first in time order
    finally:
        store.close()
