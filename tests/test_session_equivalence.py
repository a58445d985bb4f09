"""The indexed Session shows exactly what the rebuild-everything Session showed.

Two worlds get the same random collection and the same random operations (answer the
next card or any card, undo, suspend, bury, unsuspend, unbury, the clock moving by
seconds to days, another process writing a state, settings changing); after every step
both must agree on next_card(), counts(), the whole queue() and next_due().

Run: .venv/bin/python -m pytest -q bench/test_equivalence.py   (also run by --quick)
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from cards.config import Settings
from cards.days import to_ms
from cards.model import Card, Note
from cards.session import Session
from cards.state import CardState, Rating
from cards.store import DB_FILE, Store, UndoRefused
from tests.ref_session import RefSession

TZ = timezone(timedelta(hours=2))
START = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


class _Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _cards(rng: random.Random) -> list[Card]:
    cards = []
    for d in range(rng.randint(1, 2)):
        for n in range(rng.randint(1, 9)):
            note = Note(id=f"n{n}", kind="basic", fields={"front": "q", "back": "a"})
            cards += [Card(f"d{d}", note, o) for o in range(1, rng.choice((1, 1, 2, 3)) + 1)]
    return cards


def _card_list(cards: list[Card], folder: Path):
    """The same cards as a CardList: deck files (cloze notes give the 2nd and 3rd cards)
    read through the deck cache, as the app reads them."""
    from cards.library import load_library

    decks: dict[str, dict[str, int]] = {}
    for c in cards:
        decks.setdefault(c.deck_id, {})[c.note.id] = c.ord
    folder.mkdir(parents=True, exist_ok=True)
    for deck_id, notes in decks.items():
        lines = [f'format = 1\n[deck]\nid = "{deck_id}"\nname = "{deck_id}"']
        for nid, n in notes.items():
            if n == 1:
                lines.append(f'[[notes]]\nid = "{nid}"\nkind = "basic"\nfront = "q"\nback = "a"')
            else:
                gaps = " ".join(f"{{{{c{i}::x{i}}}}}" for i in range(1, n + 1))
                lines.append(f'[[notes]]\nid = "{nid}"\nkind = "cloze"\ntext = "{gaps}"')
        (folder / f"{deck_id}.toml").write_text("\n".join(lines) + "\n")
    lib = load_library(builtin=False, extra=[folder], cache_dir=folder / "cache")
    assert not lib.errors, lib.errors
    listed = lib.cards()
    assert [c.key for c in listed] == [c.key for c in cards]
    return listed


def _random_state(rng: random.Random, key: str, now: datetime) -> CardState | None:
    kind = rng.choice(("none", "new", "learning", "review", "review", "relearning"))
    if kind == "none":
        return None
    day = now.date()
    extra = {
        "suspended": rng.random() < 0.15,
        "buried_until": rng.choice((None, None, None, day - timedelta(days=1), day,
                                    day + timedelta(days=1))),
    }  # fmt: skip
    if kind == "new":
        return CardState(key, **extra)
    if kind in ("learning", "relearning"):
        due = now + timedelta(minutes=rng.randint(-120, 120), seconds=rng.randint(0, 59))
        return CardState(key, 1 if kind == "learning" else 3, 0, 2.0, 5.0, due,
                         now - timedelta(hours=1), 2, 0, **extra)  # fmt: skip
    due = now + timedelta(hours=rng.randint(-72, 72), milliseconds=rng.randint(0, 999))
    if rng.random() < 0.2:  # ties in due time
        due = now.replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return CardState(key, 2, None, 10.0, 5.0, due, now - timedelta(days=9), 5, 1, **extra)


def _put(db_path: Path, state: CardState) -> None:
    """Write a state through another connection, as another process would."""
    db = sqlite3.connect(db_path, isolation_level=None, timeout=5)
    db.execute(
        "INSERT INTO cards (id, key, state, step, stability, difficulty, due,"
        " last_review, reps, lapses, suspended, buried_until) VALUES"
        " ((SELECT ifnull(max(id), 0) + 1 FROM cards),?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (key) DO UPDATE SET state = excluded.state, step = excluded.step,"
        " stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due,"
        " last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses,"
        " suspended = excluded.suspended, buried_until = excluded.buried_until",
        (state.key, state.state, state.step, state.stability, state.difficulty,
         to_ms(state.due), to_ms(state.last_review), state.reps, state.lapses,
         int(state.suspended), state.buried_until.isoformat() if state.buried_until else None),
    )  # fmt: skip
    db.close()


def _settings(rng: random.Random) -> Settings:
    return Settings(
        new_per_day=rng.choice((0, 1, 2, 3, 20)),
        reviews_per_day=rng.choice((0, 1, 2, 4, 200)),
        bury_siblings=rng.random() < 0.7,
        learn_ahead_minutes=rng.choice((0, 5, 20)),
        day_starts_at=rng.choice((0, 4, 6)),
        fuzz=rng.random() < 0.5,
        new_order=rng.choice(("mixed", "file")),
        decks=rng.choice(
            ({}, {"d0": {"new_per_day": 1, "reviews_per_day": 3}, "d1": {"bury_siblings": False}})
        ),  # fmt: skip
    )


def _review(r) -> tuple:
    return (r.id, r.key, r.time, r.rating, r.duration_ms, r.before, r.after)


def _view(s) -> tuple:
    q = s.queue()
    keys = lambda cards: [c.key for c in cards]  # noqa: E731
    nxt = s.next_card()
    return (
        None if nxt is None else nxt.key,
        s.counts(),
        keys(q.learning), keys(q.review), keys(q.new), keys(q.ahead), q.later,
        s.next_due(),
    )  # fmt: skip


def run_world_pair(seed: int, steps: int = 40) -> None:
    rng = random.Random(seed)
    lazy = seed % 2 == 1  # odd seeds: the new Session gets a CardList from the deck cache
    cards = _cards(rng)
    settings = _settings(rng)
    initial = {c.key: _random_state(rng, c.key, START) for c in cards}
    orphan = CardState("gone/x", 2, None, 3.0, 5.0, START - timedelta(hours=1), START, 1, 0)
    with tempfile.TemporaryDirectory() as tmp:
        worlds = []
        for name, cls in (("new", Session), ("ref", RefSession)):
            home = Path(tmp) / name
            store = Store.open(home)
            for state in [*initial.values(), orphan]:
                if state is not None:
                    store._put(state)
            clock = _Clock(START)
            listed = _card_list(cards, Path(tmp) / "decks") if lazy and cls is Session else cards
            worlds.append((cls(store, listed, settings, clock), clock, home / DB_FILE))
        try:
            for step in range(steps):
                views = [_view(s) for s, _, _ in worlds]
                assert views[0] == views[1], (seed, step, views)
                op = rng.choice(("next", "next", "next", "any", "undo", "suspend", "bury",
                                 "unsuspend", "unbury", "tick", "tick", "clock", "external",
                                 "settings", "changed", "quiet-settings", "back"))  # fmt: skip
                rating = Rating(rng.randint(1, 4))
                card = rng.choice(cards)
                delta = rng.choice((timedelta(milliseconds=300), timedelta(seconds=1),
                                    timedelta(minutes=rng.randint(1, 30)),
                                    timedelta(hours=rng.randint(1, 30)),
                                    timedelta(days=rng.randint(1, 4))))  # fmt: skip
                new_settings = _settings(rng)
                ext = _random_state(rng, card.key, worlds[0][1].now)
                results = []
                for s, clock, db_path in worlds:
                    if op == "next":
                        nxt = s.next_card()
                        if nxt is not None:
                            results.append(_review(s.answer(nxt, rating, 1000)))
                    elif op == "any":
                        results.append(_review(s.answer(s.card(card.key), rating)))
                    elif op == "undo":
                        try:
                            undone = s.undo()
                        except UndoRefused:
                            results.append("refused")
                        else:
                            results.append(None if undone is None else undone.card.key)
                    elif op in ("suspend", "bury", "unsuspend", "unbury"):
                        getattr(s, op)(s.card(card.key))
                    elif op == "tick":
                        clock.now += timedelta(milliseconds=400)
                    elif op == "clock":
                        clock.now += delta
                    elif op == "external" and ext is not None:
                        _put(db_path, ext)
                    elif op == "settings":
                        s.settings = new_settings
                        s._changed()
                    elif op == "changed":
                        s._changed()
                    elif op == "quiet-settings":  # takes effect at the next rebuild
                        s.settings = new_settings
                    elif op == "back":  # clocks can go backwards (NTP, a fixed test clock)
                        clock.now -= delta / 3
                assert not results or results[0] == results[1], (seed, step, results)
                assert [a.card.key for a in worlds[0][0].answered] == [
                    a.card.key for a in worlds[1][0].answered
                ]
            views = [_view(s) for s, _, _ in worlds]
            assert views[0] == views[1], (seed, "end", views)
        finally:
            for s, _, _ in worlds:
                s.store.close()


def check(n: int, start: int = 0) -> None:
    for seed in range(start, start + n):
        run_world_pair(seed)


def test_indexed_session_equals_rebuild():
    check(150)


def test_indexed_session_equals_rebuild_hypothesis():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.integers(0, 2**32 - 1))
    def inner(seed):
        run_world_pair(seed)

    inner()


# keep `date` and `replace` importable for ad-hoc debugging of a failing seed
_ = (date, replace)


# -- deckfile: the note lines found without tomlpos.positions() are its lines ----------------

_PIECES = (
    '[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q"\nback = "a"\n',
    '  [[ notes ]]  # indented, spaced\nid = "n{i}"\nkind = "basic"\nfront = "q"\nback = "a"\n',
    '[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = """\n[[notes]]\n"""\nback = "a"\n',
    "[[notes]]\nid = \"n{i}\"\nkind = \"basic\"\nfront = '''x\n  [[notes]] y'''\nback = \"a\"\n",
    '[[notes]]\r\nid = "n{i}"\r\nkind = "basic"\r\nfront = "q"\r\nback = "a"\r\n',
    '[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "a\u2028b\x85c"\nback = "a"\n',
    "# [[notes]] in a comment\n\n",
    '[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q"\nback = "a"\ntags = [\n  "x",\n]\n',
)


def _deck_text(rng: random.Random) -> str:
    parts = ['format = 1\n[deck]\nid = "d"\nname = "D"\n']
    for i in range(rng.randint(0, 8)):
        parts.append(rng.choice(_PIECES).format(i=i))
    return "".join(parts)


def check_note_lines(n: int, start: int = 0) -> None:
    import tomllib

    from cards import deckfile
    from cards.tomlpos import lookup, positions

    for seed in range(start, start + n):
        text = _deck_text(random.Random(seed))
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue
        deck, _ = deckfile.parse(text)
        found = positions(text)
        want = {
            n["id"]: lookup(found, ("notes", i))[0] for i, n in enumerate(data.get("notes", []))
        }
        assert {n.id: n.line for n in deck.notes} == {
            k: want[k] for k in (n.id for n in deck.notes)
        }, (
            seed,
            text,
        )


def test_note_lines_equal_positions():
    check_note_lines(400)


def test_todays_counts_follow_the_clocks_zone(tmp_path):
    """An interday learning answer (its step ran past the day's rollover) counts as a
    review by the rollover of the session clock's zone, here UTC+2, whatever the system's:
    a session opened after it sees the review limit reached (found by the hypothesis run
    above, seed 2369356: the session counted the day in UTC, the reference in UTC+2)."""
    basic = lambda nid: Note(nid, "basic", {"front": "q", "back": "a"})  # noqa: E731
    cards = [Card("d0", basic("n0")), Card("d0", basic("n1"))]
    settings = Settings(reviews_per_day=1, day_starts_at=0, new_order="file")
    midnight = datetime(2026, 3, 2, 0, 0, tzinfo=TZ)  # 22:00 UTC the day before
    store = Store.open(tmp_path / "home")
    # n0: in learning since 23:20, due 00:35 (one UTC day: 21:20 and 22:35)
    store._put(CardState("d0/n0", 1, 0, 2.0, 5.0, midnight + timedelta(minutes=35),
                         midnight - timedelta(minutes=40), 2, 0))  # fmt: skip
    store._put(CardState("d0/n1", 2, None, 10.0, 5.0, midnight - timedelta(days=1),
                         midnight - timedelta(days=9), 5, 0))  # fmt: skip
    now = {"t": midnight + timedelta(minutes=40)}
    first = Session(store, cards, settings, lambda: now["t"])
    assert first.next_card().key == "d0/n0"  # (interday learning comes first)
    first.answer(first.next_card(), Rating.EASY)  # (graduates: no learning left)
    now["t"] += timedelta(seconds=5)
    for session in (first, Session(store, cards, settings, lambda: now["t"])):
        assert session.counts() == (0, 0, 0) and session.next_card() is None
    store.close()
