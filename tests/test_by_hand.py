"""Forget and Set due date (issue 16, acceptance 3): set through the core, logged as Anki
logs them, undoable, and carried to Anki as Anki's own Forget and Set due date rows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from cards import manual, optimize
from cards.anki import export_apkg, note_guid
from cards.anki_import import plan, read_package
from cards.config import Settings
from cards.session import Session
from cards.state import NEW, REVIEW, Rating
from cards.store import Store, UndoRefused
from tests.conftest import FIXTURE_DECKS, TZ, Clock
from tests.test_export import deck, import_apkg, notes_by_guid

BASICS = FIXTURE_DECKS / "basics.toml"


def studied(tmp_path, start: datetime | None = None):
    """basics, with its first two cards answered Good on three days."""
    d = deck(BASICS)
    clock = Clock(start or datetime(2026, 3, 1, 9, tzinfo=TZ))
    store = Store.open(tmp_path / "home")
    session = Session(store, d.cards, Settings(), clock)
    cards = d.cards[:2]
    for _ in range(3):
        for card in cards:
            session.answer(card, Rating.GOOD, duration_ms=2000)
        clock.advance(days=3)
    return d, store, clock, cards


def rows(store, kind: int) -> list[tuple]:
    return store.db.execute(
        "SELECT id, card, rating, state FROM revlog WHERE kind = ? ORDER BY id", (kind,)
    ).fetchall()


def test_due_specs_as_anki_reads_them():
    assert manual.parse_due("0") == manual.DueSpec(0, 0)
    assert manual.parse_due(" 7! ") == manual.DueSpec(7, 7)
    assert manual.parse_due("9-3") == manual.DueSpec(3, 9)
    rng = random.Random(1)
    assert {manual.parse_due("3-5").days(rng) for _ in range(200)} == {3, 4, 5}
    for bad in ("", "x", "-1", "1.5", "3-", "today", "99999999"):
        with pytest.raises(manual.DueSpecError):
            manual.parse_due(bad)


def test_forget_is_logged_keeps_history_and_undoes(tmp_path):
    d, store, clock, cards = studied(tmp_path)
    before = store.states()
    history = store.reviews()
    store.set_suspended(cards[0].key, True)
    ids = store.set_by_hand([manual.forget(store.get(c.key)) for c in cards], clock())
    for c in cards:
        s = store.get(c.key)
        assert s.state == NEW and s.stability is None and s.due is None
        assert s.reps == 3 and not s.suspended  # counts kept; out of suspension, as in Anki
    assert [r[2:] for r in rows(store, 2)] == [(0, NEW), (0, NEW)] and len(ids) == 2
    assert store.reviews() == history  # the reviews all stand

    # the next answer builds on the forgotten card, with no extra "set" row
    session = Session(store, d.cards, Settings(), clock)
    session.answer(cards[1], Rating.GOOD, duration_ms=1000)
    assert len(rows(store, 2)) == 2 and store.reviews()[-1].before.state == NEW
    with pytest.raises(UndoRefused):  # card 2 has changed since: nothing is undone
        store.undo_by_hand(ids, clock())
    assert store.get(cards[0].key).state == NEW

    store.undo_last(clock())
    assert store.undo_by_hand(ids, clock()) == [c.key for c in cards]
    assert store.get(cards[1].key) == before[cards[1].key]
    assert store.get(cards[0].key) == before[cards[0].key]  # (unsuspended by the forget)
    with pytest.raises(UndoRefused):
        store.undo_by_hand(ids, clock())


def test_forget_with_counts_reset_and_a_new_card_unchanged(tmp_path):
    d, store, clock, cards = studied(tmp_path)
    s = manual.forget(store.get(cards[0].key), reset_counts=True)
    assert (s.reps, s.lapses) == (0, 0)
    new_card = store.get(d.cards[5].key)
    assert not manual.changed(new_card, manual.forget(new_card))


def test_set_due_keeps_memory_and_undoes(tmp_path):
    d, store, clock, cards = studied(tmp_path)
    old = store.get(cards[0].key)
    never = store.get(d.cards[4].key)
    ids = store.set_by_hand(
        [manual.set_due(old, 5, clock()), manual.set_due(never, 0, clock())], clock()
    )
    s = store.get(cards[0].key)
    assert s.state == REVIEW and s.due == clock() + timedelta(days=5)
    assert (s.stability, s.difficulty, s.last_review) == (
        old.stability, old.difficulty, old.last_review)  # fmt: skip
    n = store.get(never.key)
    assert n.state == REVIEW and n.due == clock() and n.last_review is None
    # answering the card that was never studied: scheduled from FSRS's first stability
    session = Session(store, d.cards, Settings(), clock)
    assert session.next_card() is not None
    store.undo_by_hand(ids, clock())
    assert store.get(cards[0].key) == old and store.get(never.key) == never


def test_a_forget_starts_the_fsrs_history_afresh(tmp_path):
    d, store, clock, cards = studied(tmp_path)
    numbers = store.card_numbers()
    all_rows = optimize.rows_for(store, Settings(), None)
    store.set_by_hand([manual.forget(store.get(cards[0].key))], clock())
    after = optimize.rows_for(store, Settings(), None)
    gone = numbers[cards[0].key]
    assert [r for r in all_rows if r[1] != gone] == after
    clock.advance(minutes=1)
    Session(store, d.cards, Settings(), clock).answer(cards[0], Rating.GOOD, duration_ms=1)
    assert [r[1] for r in optimize.rows_for(store, Settings(), None)].count(gone) == 1


def test_anki_gets_its_own_forget_and_set_due_rows(tmp_path, col):
    """Anki's engine forgets one card and sets the other's due date; heartcards does the
    same to the same cards: the revlog rows Anki then has from our export are the ones
    it writes itself (type Manual, button 0, ease factor 0 for a Forget only), and the
    cards' type and queue are the same. Imported back, the rows are known, not skipped."""
    d, store, clock, cards = studied(tmp_path, datetime.now(TZ) - timedelta(days=7))
    clock.now = datetime.now(TZ)
    forgot, due = cards
    export_apkg([d], tmp_path / "before.apkg", store=store, scheduling=True, now=clock())
    import_apkg(col, tmp_path / "before.apkg", scheduling=True)
    col.set_config("fsrs", True)
    by_guid = notes_by_guid(col)
    anki_forgot = by_guid[note_guid(forgot.note_key)].cards()[0]
    anki_due = by_guid[note_guid(due.note_key)].cards()[0]
    col.sched.schedule_cards_as_new([anki_forgot.id])
    col.sched.set_due_date([anki_due.id], "4")

    def manual_rows(c, cid):
        return c.db.all(
            "SELECT type, ease, factor != 0, ivl FROM revlog WHERE cid = ? AND type = 4", cid
        )

    theirs = {
        "forgot": (manual_rows(col, anki_forgot.id), col.get_card(anki_forgot.id)),
        "due": (manual_rows(col, anki_due.id), col.get_card(anki_due.id)),
    }
    store.set_by_hand(
        [manual.forget(store.get(forgot.key)), manual.set_due(store.get(due.key), 4, clock())],
        clock(),
    )
    out = tmp_path / "after.apkg"
    export_apkg([d], out, store=store, scheduling=True, now=clock())
    from anki.collection import Collection

    (tmp_path / "anki2").mkdir()
    fresh = Collection(str(tmp_path / "anki2" / "collection.anki2"))
    try:
        import_apkg(fresh, out, scheduling=True)
        by_guid = notes_by_guid(fresh)
        for name, card in (("forgot", forgot), ("due", due)):
            mine = by_guid[note_guid(card.note_key)].cards()[0]
            rows_theirs, card_theirs = theirs[name]
            assert manual_rows(fresh, mine.id) == rows_theirs, name
            assert (mine.type, mine.queue) == (card_theirs.type, card_theirs.queue), name
            assert mine.due == card_theirs.due or name == "forgot"  # (a new card's position)
    finally:
        fresh.close()
    todo = plan(read_package(out), [d], store.review_times())
    assert not todo.skipped
