"""Scheduling with a fixed clock: limits, FSRS intervals, day start, siblings, undo, identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cards.config import Settings
from cards.library import load_library
from cards.session import Session
from cards.state import NEW, REVIEW, Rating
from tests.conftest import TZ, Clock


def write_deck(folder, notes: list[tuple[str, str, str]], reverse: bool = False):
    """A deck 'd' of basic notes (id, front, back)."""
    lines = ["format = 1", "[deck]", 'id = "d"', 'name = "D"']
    for nid, front, back in notes:
        lines += [
            "[[notes]]",
            f'id = "{nid}"',
            'kind = "basic"',
            f'front = "{front}"',
            f'back = "{back}"',
        ] + (["reverse = true"] if reverse else [])
    folder.mkdir(exist_ok=True)
    (folder / "d.toml").write_text("\n".join(lines) + "\n")
    return folder


def session_for(folder, store, clock, settings: Settings | None = None) -> Session:
    lib = load_library(builtin=False, extra=[folder])
    assert lib.errors == []
    return Session(store, lib.cards(), settings or Settings(), clock)


def due_keys(session: Session) -> list[str]:
    session._changed()  # the clock moved: rebuild
    return [c.key for c in session.queue().order()]


def test_no_more_than_20_new_cards_a_day(tmp_path, store, clock):
    folder = write_deck(tmp_path / "decks", [(f"n{i}", f"q{i}", "a") for i in range(30)])
    s = session_for(folder, store, clock)
    assert s.counts() == (20, 0, 0)
    started = set()
    while (card := s.next_card()) is not None:
        started.add(card.key)
        s.answer(card, Rating.EASY)  # Easy graduates at once: nothing comes back today
    assert len(started) == 20
    clock.advance(hours=5)
    assert due_keys(s) == []  # still the same study day
    clock.advance(days=1)
    assert s.counts()[0] == 10  # the other ten on the next day


def test_good_on_day_one_comes_back_on_the_day_fsrs_says(tmp_path, store, clock):
    import fsrs_rs_python as fsrs_rs

    settings = Settings(fuzz=False)
    s = session_for(write_deck(tmp_path / "decks", [("a", "q", "a")]), store, clock, settings)
    card = s.next_card()
    for minutes in (0, 10):  # Good, then Good again after the 10-minute step
        clock.advance(minutes=minutes)
        s.answer(card, Rating.GOOD)
        s._changed()
    state = store.get(card.key)
    # Good on a new card: S = w2; the 10-minute step, the same day, keeps it
    assert state.state == REVIEW and state.stability == pytest.approx(fsrs_rs.DEFAULT_PARAMETERS[2])
    days = round(state.stability)  # 2.31 days at 90% retention: 2 days
    assert state.due == clock.now.astimezone(UTC) + timedelta(days=days)
    due = state.due
    # the evening before the due day: not due; the morning of the due day: due
    due_local = due.astimezone(TZ)
    midnight = datetime.combine(due_local.date(), datetime.min.time(), TZ)
    clock.now = midnight + timedelta(hours=3, minutes=59)
    assert due_keys(s) == []
    clock.advance(minutes=1)
    assert due_keys(s) == ["d/a"]


def test_the_day_turns_at_four_local(tmp_path, store):
    clock = Clock(datetime(2026, 3, 2, 23, 0, tzinfo=TZ))
    s = session_for(write_deck(tmp_path / "decks", [("a", "q", "a")]), store, clock)
    s.answer(s.next_card(), Rating.EASY)
    due = store.get("d/a").due.astimezone(TZ)
    day_start = datetime.combine(due.date(), datetime.min.time(), TZ) + timedelta(hours=4)
    clock.now = day_start - timedelta(seconds=1)
    assert due_keys(s) == []
    clock.now = day_start
    assert due_keys(s) == ["d/a"]
    # and a different day start moves the boundary with it
    s.settings = Settings(day_starts_at=0)
    clock.now = day_start - timedelta(hours=4) - timedelta(seconds=1)
    assert due_keys(s) == []
    clock.advance(seconds=1)
    assert due_keys(s) == ["d/a"]


def test_siblings_wait_for_the_next_day(tmp_path, store, clock):
    s = session_for(write_deck(tmp_path / "decks", [("a", "q", "a")], reverse=True), store, clock)
    assert [c.key for c in s.queue().order()] == ["d/a"]  # one card per note a day
    s.answer(s.next_card(), Rating.EASY)
    assert due_keys(s) == []
    clock.advance(days=1)
    assert "d/a/2" in due_keys(s)


def test_learning_steps_then_learn_ahead(tmp_path, store, clock):
    s = session_for(write_deck(tmp_path / "decks", [("a", "q", "a")]), store, clock)
    card = s.next_card()
    assert {r: round(d.total_seconds()) for r, d in s.intervals(card).items() if r < 3} == {
        Rating.AGAIN: 60,
        Rating.HARD: 330,
    }
    s.answer(card, Rating.GOOD)  # next step: 10 minutes
    assert s.queue().learning == [] and [c.key for c in s.queue().ahead] == ["d/a"]
    assert s.next_card().key == "d/a"  # nothing else to do: learn ahead (20 min)
    s.settings = Settings(learn_ahead_minutes=5)
    s._changed()
    assert s.next_card() is None and s.queue().later == clock.now + timedelta(minutes=10)


def test_intervals_shown_are_the_intervals_given(tmp_path, store, clock):
    s = session_for(write_deck(tmp_path / "decks", [("a", "q", "a")]), store, clock)
    card = s.next_card()
    s.answer(card, Rating.EASY)
    clock.advance(days=20)
    shown = s.intervals(card)
    s.answer(card, Rating.GOOD)
    assert store.get(card.key).due - clock.now.astimezone(UTC) == shown[Rating.GOOD]


def test_undo_restores_the_exact_state_and_log(tmp_path, store, clock):
    s = session_for(
        write_deck(tmp_path / "decks", [("a", "q", "a"), ("b", "q", "b")]), store, clock
    )
    first = s.next_card()
    s.answer(first, Rating.GOOD)
    log_before = store.reviews()
    states_before = store.states()
    second = s.next_card()
    clock.advance(seconds=30)
    s.answer(second, Rating.AGAIN)
    clock.advance(minutes=10)
    s.answer(s.next_card(), Rating.EASY)
    assert len(store.reviews()) == 3
    s.undo()
    s.undo()
    assert store.states() == states_before | {second.key: store.get(second.key)}
    assert store.get(second.key).state == NEW and store.get(second.key).reps == 0
    assert store.reviews() == log_before
    assert second.key in [c.key for c in s.queue().order()]  # and it is asked again
    s.undo()
    assert store.reviews() == [] and store.get(first.key).state == NEW
    assert s.undo() is None


def test_editing_a_note_keeps_its_schedule(tmp_path, store, clock):
    folder = write_deck(tmp_path / "decks", [("a", "old question", "old answer")])
    s = session_for(folder, store, clock)
    s.answer(s.next_card(), Rating.EASY)
    before = store.get("d/a")
    write_deck(folder, [("a", "a better question", "a better answer")])
    s2 = session_for(folder, store, clock)
    assert s2.cards[0].note.fields["front"] == "a better question"
    assert s2.state(s2.cards[0]) == before


def test_a_removed_note_keeps_its_history_and_comes_back(tmp_path, store, clock):
    folder = write_deck(tmp_path / "decks", [("a", "q", "a"), ("b", "q", "b")])
    s = session_for(folder, store, clock)
    s.answer(s.next_card(), Rating.EASY)  # d/a
    history = store.reviews(key="d/a")
    state = store.get("d/a")
    write_deck(folder, [("b", "q", "b")])  # note a leaves the deck
    clock.advance(days=60)
    gone = session_for(folder, store, clock)
    assert [c.key for c in gone.queue().order()] == ["d/b"]  # the orphan is not shown
    assert store.get("d/a") == state  # but kept
    write_deck(folder, [("a", "q", "a"), ("b", "q", "b")])
    back = session_for(folder, store, clock)
    assert back.state(back.card("d/a")) == state
    assert store.reviews(key="d/a") == history
    assert "d/a" in due_keys(back)


def test_suspend_and_bury(tmp_path, store, clock):
    s = session_for(
        write_deck(tmp_path / "decks", [("a", "q", "a"), ("b", "q", "b")]), store, clock
    )
    a, b = s.cards
    s.suspend(a)
    s.bury(b)
    assert s.next_card() is None
    clock.advance(days=1)
    assert due_keys(s) == ["d/b"]  # buried until the next day; suspended for good


def test_review_limit(tmp_path, store, clock):
    """New cards count against the review limit too, as in Anki (its "new cards ignore
    review limit" off): 2 reviews a day allow 2 new cards, then, with reviews due, none."""
    s = session_for(
        write_deck(tmp_path / "decks", [(f"n{i}", "q", "a") for i in range(5)]),
        store,
        clock,
        Settings(reviews_per_day=2),
    )
    assert s.counts() == (2, 0, 0)
    while (card := s.next_card()) is not None:
        s.answer(card, Rating.EASY)
    assert len(s.answered) == 2
    clock.advance(days=30)
    assert s.counts() == (0, 0, 2)


def test_settings_are_immutable_inputs():
    # the scheduler caches FSRS per Settings; Settings must stay hashable and frozen
    a = Settings()
    assert hash(a) == hash(a.replace())


def test_a_card_listed_twice_is_one_card(tmp_path, store, clock):
    write_deck(tmp_path, [("a", "qa", "xa"), ("b", "qb", "xb")])
    cards = list(load_library(builtin=False, extra=[tmp_path]).cards())
    session = Session(store, [cards[0], *cards, cards[1]], Settings(), clock)
    assert session.counts() == (2, 0, 0)
    seen = []
    while (card := session.next_card()) is not None and len(seen) < 10:
        seen.append(card.key)
        session.answer(card, Rating.EASY)
    assert sorted(seen) == ["d/a", "d/b"]


def test_next_due_is_when_a_card_can_be_studied(tmp_path, store, clock):
    """After today's queue: an intraday step at its time; a review, or a step of a day,
    from the start of its day (04:00), as the queue takes them (not at the time of day
    the answer was given)."""
    settings = Settings(learning_steps=("10m", "1d"), learn_ahead_minutes=5)
    deck = write_deck(tmp_path / "decks", [("a", "q", "a"), ("b", "q2", "a2")])
    s = session_for(deck, store, clock, settings)  # (clock: 10:00 local)
    first = s.next_card()
    s.answer(first, Rating.AGAIN)  # the first step, 10 minutes
    s.answer(s.next_card(), Rating.EASY)  # the other card: a review in a few days
    assert s.next_card() is None and s.next_due() == clock.now + timedelta(minutes=10)
    clock.advance(minutes=10)
    s.answer(s.next_card(), Rating.GOOD)  # a day: due tomorrow 10:10, studied from 04:00
    assert s.next_card() is None
    tomorrow_4am = datetime.combine((clock.now + timedelta(days=1)).date(), datetime.min.time(),
                                    tzinfo=TZ) + timedelta(hours=4)  # fmt: skip
    assert s.next_due() == tomorrow_4am
    clock.now = tomorrow_4am
    assert [c.key for c in s.queue().learning] == [first.key]  # there it is
