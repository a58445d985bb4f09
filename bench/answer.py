"""The answer path and today's queue from cold: heartcards beside Anki's engine.

Both engines get the same synthetic collection (bench.gen / bench.anki_ref: same cards,
siblings, due dates, FSRS memory, 10 reviews per card; limits 20 new / 9999 reviews a
day, siblings buried) and answer the same ratings, in process, with the real clock.

answer path   heartcards: Session.answer() (FSRS, state + review log committed) then
              next_card() and counts(), as the review screen does.
              Anki: sched.answer_card(build_answer(...)) (committed: Anki writes each
              operation through) then sched.get_queued_cards() and the next Card.
queue, cold   heartcards: open the store, load the library (deck cache warm), make a
              Session, next_card() + counts(). Anki: open the collection,
              get_queued_cards().
"""

from __future__ import annotations

import gc
import time
from datetime import datetime
from pathlib import Path

from bench.timing import Row, Stat

RATINGS = (3, 3, 3, 1, 3, 3, 2, 3, 4, 3)  # Good mostly, some Again / Hard / Easy


def _clock():
    return datetime.now().astimezone()


def _library(synth):
    from cards.library import load_library

    return load_library(
        builtin=False, extra=[synth.decks_dir], cache_dir=synth.home / "cache" / "decks"
    )


def heartcards_cold(synth, runs: int) -> Stat:
    from cards import config
    from cards.session import Session
    from cards.store import Store

    _library(synth)  # fill the deck cache, as any earlier start-up would have
    samples = []
    for i in range(runs + 1):
        gc.collect()
        t0 = time.perf_counter()
        store = Store.open(synth.home)
        lib = _library(synth)
        session = Session(store, lib.cards(), config.load(synth.home), _clock)
        session.next_card()
        session.counts()
        t1 = time.perf_counter()
        store.close()
        if i:  # the first one warms the OS caches
            samples.append((t1 - t0) * 1000)
    return Stat(samples)


def anki_cold(path: Path, runs: int) -> Stat:
    from anki.collection import Collection

    samples = []
    for i in range(runs + 1):
        gc.collect()
        t0 = time.perf_counter()
        col = Collection(str(path))
        col.sched.get_queued_cards()
        t1 = time.perf_counter()
        col.close(downgrade=False)
        if i:
            samples.append((t1 - t0) * 1000)
    return Stat(samples)


def heartcards_answers(synth, n: int) -> Stat:
    from cards import config
    from cards.session import Session
    from cards.state import Rating
    from cards.store import Store

    store = Store.open(synth.home)
    try:
        session = Session(store, _library(synth).cards(), config.load(synth.home), _clock)
        card = session.next_card()
        if card is not None:  # the review screen shows each rating's interval first: this
            session.intervals(card)  # imports fsrs-rs before the first answer, as in the TUI
        samples = []
        for i in range(n):
            if card is None:
                break
            t0 = time.perf_counter()
            session.answer(card, Rating(RATINGS[i % len(RATINGS)]), duration_ms=8000)
            card = session.next_card()
            session.counts()
            samples.append((time.perf_counter() - t0) * 1000)
    finally:
        store.close()
    return Stat(samples)


def anki_answers(path: Path, n: int) -> Stat:
    from anki.cards import Card
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        queued = col.sched.get_queued_cards()
        samples = []
        if not queued.cards:
            return Stat(samples)
        qc = queued.cards[0]
        card = Card(col, backend_card=qc.card)
        card.start_timer()
        for i in range(n):
            t0 = time.perf_counter()
            rating = RATINGS[i % len(RATINGS)] - 1  # CardAnswer.AGAIN is 0
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=qc.states, rating=rating)
            )
            queued = col.sched.get_queued_cards()
            if queued.cards:  # the reviewer makes the next Card
                qc = queued.cards[0]
                card = Card(col, backend_card=qc.card)
                card.start_timer()
            samples.append((time.perf_counter() - t0) * 1000)
            if not queued.cards:
                break
    finally:
        col.close(downgrade=False)
    return Stat(samples)


def rows(worlds: dict, answers: int, cold_runs: int, label) -> list[Row]:
    """worlds: size -> (Synth, anki collection path or None)."""
    out: list[Row] = []
    for size, (synth, anki_path) in worlds.items():
        ours = heartcards_cold(synth, cold_runs)
        ref = anki_cold(anki_path, cold_runs) if anki_path else None
        out.append(
            Row(
                "today's queue, cold",
                label(size),
                "ms",
                ours,
                "Anki engine" if ref else "-",
                ref,
                target="<= 1.0x Anki" if len(synth.keys) >= 100_000 else "(reported)",
                max_ratio=1.0 if len(synth.keys) >= 100_000 else None,
            )
        )
    for size, (synth, anki_path) in worlds.items():
        due = max(int(len(synth.keys) * 0.06 * 0.8), 10)
        n = min(answers, due)
        gc.collect()
        ours = heartcards_answers(synth, n)
        gc.collect()
        ref = anki_answers(anki_path, n) if anki_path else None
        big = len(synth.keys) >= 100_000
        out.append(
            Row(
                "answer path",
                label(size),
                "ms",
                ours,
                "Anki engine" if ref else "-",
                ref,
                target="p99 <= 10 ms, <= 0.6x Anki" if big else "(reported)",
                max_ratio=0.6 if big else None,
                p99_ratio=big,
                max_abs_p99=10.0 if big else None,
                note=f"{len(ours.samples)} answers",
            )
        )
    return out
