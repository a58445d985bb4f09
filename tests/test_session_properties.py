"""The session under random use (hypothesis): random decks, and random runs of answers,
undos, buries, suspends, clock moves and a second process answering and undoing the same
cards. Whatever happens: no exception but a refused undo, every card's reps is the number
of its reviews that stand, the standing reviews are the answers less the undos, an undo
restores the card's schedule exactly, and a fresh connection (a process started after a
kill) sees all of it."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.config import Settings
from cards.library import load_library
from cards.migration3 import chain
from cards.session import Session
from cards.state import Rating
from cards.store import Store, UndoRefused

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _deck(notes: list[tuple[str, int]]) -> str:
    out = ['format = 1\n[deck]\nid = "p"\nname = "P"\n']
    for i, (kind, gaps) in enumerate(notes):
        if kind == "cloze":
            text = " ".join(f"{{{{c{g + 1}::w{g}}}}}" for g in range(gaps))
            out.append(f'[[notes]]\nid = "n{i}"\nkind = "cloze"\ntext = "{text}"\n')
        else:
            out.append(f'[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q{i}"\nback = "a"\n')
    return "".join(out)


notes = st.lists(
    st.tuples(st.sampled_from(["basic", "cloze"]), st.integers(1, 3)), min_size=1, max_size=6
)
step = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(list(Rating))),
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("bury"), st.none()),
    st.tuples(st.just("suspend"), st.none()),
    st.tuples(st.just("clock"), st.integers(-90, 3 * 24 * 60)),  # minutes, back or on
    st.tuples(
        st.just("other-answer"),  # a card by number, or (None) the one this session changed last
        st.tuples(st.none() | st.integers(0, 20), st.sampled_from(list(Rating))),
    ),
    st.tuples(st.just("other-undo"), st.none()),
)


class _World:
    def __init__(self, folder: Path, deck: str):
        (folder / "decks").mkdir()
        (folder / "decks" / "p.toml").write_text(deck)
        self.cards = load_library(builtin=False, extra=[folder / "decks"]).cards()
        self.now = START
        self.home = folder / "home"
        config = Settings(new_per_day=50, learning_steps=("1m", "10m"))
        self.me = Session(Store.open(self.home), self.cards, config, lambda: self.now)
        self.other = Session(Store.open(self.home), self.cards, config, lambda: self.now)
        self.answers = self.undos = 0

    def run(self, what, arg) -> None:
        me, other = self.me, self.other
        if what == "answer":
            card = me.next_card()
            if card is not None:
                me.answer(card, arg)
                self.answers += 1
        elif what in ("undo", "other-undo"):
            session = me if what == "undo" else other
            before = len(session.history)
            last = session.history[-1] if session.history else None
            try:
                undone = session.undo()
            except UndoRefused:
                assert len(session.history) == before - 1  # dropped: it never can be
                return
            if undone is not None and undone.what == "answer":
                self.undos += 1
                # the schedule comes back exactly; suspension and burying are not in the log
                # and stay as they are
                restored = session.store.get(undone.card.key)
                assert chain(restored) == chain(undone.review.before)
            assert undone is last
        elif what in ("bury", "suspend"):
            card = me.next_card()
            if card is not None:
                getattr(me, what)(card)
        elif what == "clock":
            self.now += timedelta(minutes=arg)
        elif what == "other-answer":
            index, rating = arg
            if index is None:
                card = me.history[-1].card if me.history else self.cards[0]
            else:
                card = self.cards[index % len(self.cards)]
            other.answer(card, rating)
            self.answers += 1

    def check(self) -> None:
        fresh = Store.open(self.home)  # as a process started after a kill -9 sees it
        try:
            reviews = fresh.reviews()
            assert len(reviews) == self.answers - self.undos
            states = fresh.states()
            for card in self.cards:
                mine = [r for r in reviews if r.key == card.key]
                state = states.get(card.key)
                assert (state.reps if state else 0) == len(mine), card.key
                if mine:
                    assert mine[-1].after.reps == state.reps
            assert [r.id for r in reviews] == sorted(r.id for r in reviews)
        finally:
            fresh.close()

    def close(self) -> None:
        self.me.store.close()
        self.other.store.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes, st.lists(step, min_size=10, max_size=60))
def test_random_use_keeps_the_log_and_the_cards_in_step(deck_notes, steps):
    with tempfile.TemporaryDirectory() as tmp:
        world = _World(Path(tmp), _deck(deck_notes))
        try:
            for what, arg in steps:
                world.run(what, arg)
                me = world.me
                me.counts(), me.next_card(), me.next_due()  # the queue never raises
            world.check()
        finally:
            world.close()
