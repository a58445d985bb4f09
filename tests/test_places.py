"""Today's queue read by each card's place in its deck (Store.place_deck) is the queue read
by the session's keys, whatever happened to the decks in between: cards added, removed
(orphans), moved, a deck gone and back, two versions of one deck taking turns (two
installs sharing a home), and a collection too busy to record new places."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cards.config import Settings
from cards.library import load_library
from cards.session import Session
from cards.state import Rating
from cards.store import DB_FILE, SLOT_SHIFT, Store
from tests.conftest import TZ

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)


def _write(folder: Path, deck_id: str, notes: list[tuple[str, int]]) -> None:
    """A deck of basic notes (1 card) and cloze notes (n cards), in this order."""
    lines = [f'format = 1\n[deck]\nid = "{deck_id}"\nname = "{deck_id}"']
    for nid, n in notes:
        if n == 1:
            lines.append(f'[[notes]]\nid = "{nid}"\nkind = "basic"\nfront = "q"\nback = "a"')
        else:
            gaps = " ".join(f"{{{{c{i}::x{i}}}}}" for i in range(1, n + 1))
            lines.append(f'[[notes]]\nid = "{nid}"\nkind = "cloze"\ntext = "{gaps}"')
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{deck_id}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _view(session: Session) -> tuple:
    q = session.queue()
    keys = lambda cards: [c.key for c in cards]  # noqa: E731
    return (session.counts(), keys(q.learning), keys(q.review), keys(q.new), keys(q.ahead))


def _both(store: Store, folder: Path, cache: Path, clock, opts: Settings):
    """A session over the decks as the app makes it (a CardList: read by places), and one
    over the same cards as a plain list (read by keys)."""
    cards = load_library(builtin=False, extra=[folder], cache_dir=cache).cards()
    return Session(store, cards, opts, clock), Session(store, list(cards), opts, clock)


def run(seed: int, steps: int = 12) -> None:
    rng = random.Random(seed)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = Store.open(root / "home")
        opts = Settings(new_per_day=rng.choice((3, 20)), bury_siblings=rng.random() < 0.5)
        t = {"now": NOW}
        clock = lambda: t["now"]  # noqa: E731
        pool = [(f"n{i}", rng.choice((1, 1, 1, 2, 3))) for i in range(14)]
        versions = {}  # deck id -> the note lists it has had (turns between them)
        try:
            for step in range(steps):
                folder = root / f"decks{step % 2 if rng.random() < 0.3 else 0}"
                for deck_id in ("a", "b"):
                    if rng.random() < 0.15 and (folder / f"{deck_id}.toml").exists():
                        (folder / f"{deck_id}.toml").unlink()  # the deck is gone, for now
                        continue
                    had = versions.setdefault(deck_id, [])
                    if had and rng.random() < 0.3:
                        notes = rng.choice(had)  # an earlier version again
                    else:
                        notes = rng.sample(pool, rng.randint(0, len(pool)))
                        had.append(notes)
                    _write(folder, deck_id, notes)
                if not any(folder.glob("*.toml")):
                    continue
                busy = rng.random() < 0.2  # another process holds the write lock
                if busy:
                    other = sqlite3.connect(root / "home" / DB_FILE, isolation_level=None)
                    other.execute("BEGIN IMMEDIATE")
                    store.db.execute("PRAGMA busy_timeout = 0")
                placed, by_keys = _both(store, folder, root / "cache", clock, opts)
                try:
                    assert _view(placed) == _view(by_keys), (seed, step)
                    present = {p.stem for p in folder.glob("*.toml") if p.read_text().count("[[")}
                    assert busy or present <= set(store.places()), "read by places"
                finally:
                    if busy:
                        other.execute("ROLLBACK")
                        other.close()
                        store.db.execute("PRAGMA busy_timeout = 5000")
                for _ in range(rng.randint(0, 6)):  # study a little, then time passes
                    card = placed.next_card()
                    if card is None:
                        break
                    placed.answer(card, Rating(rng.randint(1, 4)))
                    t["now"] += timedelta(minutes=rng.randint(1, 20))
                    if rng.random() < 0.2:
                        placed.suspend(placed.card(card.key))
                t["now"] += timedelta(hours=rng.choice((0, 1, 30)))
                again, by_keys = _both(store, folder, root / "cache", clock, opts)
                assert _view(again) == _view(by_keys), (seed, step, "after answers")
        finally:
            store.close()


def test_places_give_the_queue_the_keys_give():
    for seed in range(40):
        run(seed)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_places_give_the_queue_the_keys_give_hypothesis(seed):
    run(seed)


def test_a_busy_collection_still_shows_a_changed_deck(tmp_path):
    """Places cannot be written while another process holds the write lock: the queue is
    read by the deck's keys instead, and the places are recorded at the next chance."""
    folder = tmp_path / "decks"
    _write(folder, "a", [("n1", 1), ("n2", 2)])
    store = Store.open(tmp_path / "home")
    opts = Settings(new_order="file")  # (the deck's order is what is checked)
    _view(_both(store, folder, tmp_path / "cache", lambda: NOW, opts)[0])
    assert set(store.places()) == {"a"}
    before = store.places()["a"]
    _write(folder, "a", [("n3", 1), ("n1", 1), ("n2", 2)])
    other = sqlite3.connect(tmp_path / "home" / DB_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.db.execute("PRAGMA busy_timeout = 0")
    placed, by_keys = _both(store, folder, tmp_path / "cache", lambda: NOW, opts)
    assert _view(placed) == _view(by_keys)
    assert [c.key for c in placed.queue().new] == ["a/n3", "a/n1", "a/n2"]  # (siblings wait)
    assert store.places()["a"] == before  # not written
    other.execute("ROLLBACK")
    other.close()
    store.db.execute("PRAGMA busy_timeout = 5000")
    _view(_both(store, folder, tmp_path / "cache", lambda: NOW, opts)[0])
    assert store.places()["a"] != before
    store.close()


def test_places_written_by_an_earlier_version_are_placed_again(tmp_path):
    """Before deck slots, a card's place was its index in its deck alone and the deck's
    places row held only the fingerprint: such a collection gives the same queue, its
    decks are placed again (each in a slot of its own), and a deck keeps its slot."""
    folder = tmp_path / "decks"
    _write(folder, "a", [("n1", 1), ("n2", 2)])
    _write(folder, "b", [("m1", 1), ("m2", 1)])
    store = Store.open(tmp_path / "home")
    opts = Settings(new_order="file")
    _view(_both(store, folder, tmp_path / "cache", lambda: NOW, opts)[0])
    fingerprints = store.places()
    # what the earlier version wrote: places within the deck, the fingerprint alone
    with store.db:
        store.db.execute(
            f"UPDATE cards SET ord = ord & {(1 << SLOT_SHIFT) - 1} WHERE ord IS NOT NULL"
        )
        store.db.execute("UPDATE meta SET value = substr(value, instr(value, ' ') + 1)"
                         " WHERE key GLOB 'places:*'")  # fmt: skip
    assert store.places() == {"a": None, "b": None}
    placed, by_keys = _both(store, folder, tmp_path / "cache", lambda: NOW, opts)
    assert _view(placed) == _view(by_keys)
    assert [c.key for c in placed.queue().new] == ["a/n1", "a/n2", "b/m1", "b/m2"]
    assert store.places() == fingerprints
    slots = dict(store.db.execute(f"SELECT key, ord >> {SLOT_SHIFT} FROM cards"))
    assert slots["a/n1"] == slots["a/n2/2"] != slots["b/m1"] == slots["b/m2"]
    _write(folder, "a", [("n3", 1), ("n1", 1), ("n2", 2)])  # a changed deck: its own slot
    _view(_both(store, folder, tmp_path / "cache", lambda: NOW, opts)[0])
    assert (
        dict(store.db.execute(f"SELECT key, ord >> {SLOT_SHIFT} FROM cards"))["a/n1"]
        == slots["a/n1"]
    )
    store.close()
