"""Two (or fifty) processes on one home: every answer counts once, undo takes back only its
own review, and starting together on a fresh home always works."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cards.config import Settings
from cards.library import load_library
from cards.session import Session
from cards.state import Rating
from cards.store import Store, UndoRefused, WriteFailed

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

DECK = 'format = 1\n[deck]\nid = "d"\nname = "D"\n' + "\n".join(
    f'[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q{i}"\nback = "a"' for i in range(3)
)

# Answers every card of the deck `rounds` times, as fast as it can, with its own Session.
ANSWERING = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from cards.config import Settings
    from cards.library import load_library
    from cards.session import Session
    from cards.state import Rating
    from cards.store import Store

    home, decks, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    t = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    cards = load_library(builtin=False, extra=[decks]).cards()
    session = Session(Store.open(home), cards, Settings(leech_threshold=0), lambda: t)
    for i in range(rounds):
        for card in cards:
            session.answer(card, Rating((i % 4) + 1))
    print("done", flush=True)
""")


def _deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.toml").write_text(DECK + "\n")
    return decks


def test_two_writers_on_the_same_cards_count_every_answer(tmp_path):
    decks, home = _deck(tmp_path), tmp_path / "home"
    Store.open(home).close()
    rounds = 150
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ANSWERING, str(home), str(decks), str(rounds)],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "done"
    store = Store.open(home)
    reviews = store.reviews()
    assert len(reviews) == 2 * 3 * rounds
    for key, state in store.states().items():
        mine = [r for r in reviews if r.key == key]
        assert state.reps == len(mine) == 2 * rounds  # no answer built on a stale state
        # each review starts from the state the one before it left
        for a, b in zip(mine, mine[1:], strict=False):
            assert b.before == a.after
        assert mine[-1].after == state


def test_undo_takes_back_only_this_sessions_own_review(tmp_path):
    decks, home = _deck(tmp_path), tmp_path / "home"
    cards = load_library(builtin=False, extra=[decks]).cards()
    now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    mine = Session(Store.open(home), cards, Settings(), lambda: now)
    theirs = Session(Store.open(home), cards, Settings(), lambda: now + timedelta(seconds=5))
    mine.answer(cards[0], Rating.GOOD)
    theirs.answer(cards[0], Rating.AGAIN)  # the other process answers the same card after
    with pytest.raises(UndoRefused):
        mine.undo()
    assert len(mine.store.reviews()) == 2  # both stand
    assert mine.history == []  # never undoable: dropped
    assert theirs.undo().card == cards[0]  # the latest may be undone by its own session
    assert [r.rating for r in mine.store.reviews()] == [Rating.GOOD]


def test_a_failed_undo_write_keeps_the_answer_undoable(tmp_path):
    decks, home = _deck(tmp_path), tmp_path / "home"
    cards = load_library(builtin=False, extra=[decks]).cards()
    now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    session = Session(Store(home / "collection.sqlite3", busy_timeout=0.05), cards, Settings(),
                      lambda: now)  # fmt: skip
    session.answer(cards[0], Rating.GOOD)
    lock = Store.open(home)
    lock.db.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WriteFailed) as failed:
            session.undo()
        assert failed.value.busy
        with pytest.raises(WriteFailed):
            session.answer(cards[1], Rating.GOOD)
    finally:
        lock.db.execute("ROLLBACK")
        lock.close()
    assert len(session.history) == 1 and len(session.store.reviews()) == 1
    assert session.undo().card == cards[0]
    assert session.store.reviews() == []


def test_fifty_processes_started_at_once_on_a_fresh_home(tmp_path):
    home = tmp_path / "home"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "--home", str(home), "list"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(50)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    failed = [
        (p.returncode, err) for p, (_, err) in zip(procs, results, strict=True) if p.returncode
    ]
    assert failed == []
    assert all("TOTAL" in out for out, _ in results)
    store = Store.open(home)
    assert store.integrity_ok()
