"""The review when the collection cannot take an answer now: another process holds the
write lock, or the disk is full. The card stays, a line says why, and the answer is saved
by itself once it can be; nothing acknowledged is lost. Undo never takes back another
process's review."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import timedelta

from app.tui.screens.review import RETRY_SECONDS, ReviewScreen
from cards.state import Rating
from cards.store import DB_FILE, Store
from tests.tui.helpers import NOW, make_app, make_ctx, press, screen_text

SIZE = (90, 26)


def _deck(tmp_path):
    notes = "\n".join(
        f'[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "Question {i}"\nback = "Answer {i}"'
        for i in range(3)
    )
    path = tmp_path / "decks" / "plain.toml"
    path.parent.mkdir()
    path.write_text(f'format = 1\n[deck]\nid = "plain"\nname = "Plain"\n{notes}\n')
    return path


def _ctx(tmp_path):
    ctx = make_ctx(tmp_path / "home", decks=[_deck(tmp_path)])
    ctx.busy_timeout = 0.05
    return ctx


@contextmanager
def _write_lock_held_elsewhere(ctx):
    """Another program holds the collection's write lock meanwhile."""
    other = sqlite3.connect(ctx.home / DB_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def _wait_for_retry(pilot) -> None:
    await pilot.pause(RETRY_SECONDS * 1.6)
    await press(pilot)


async def test_an_answer_waits_for_a_lock_held_elsewhere_then_is_saved(tmp_path):
    ctx = _ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.card.key
        await press(pilot, "space")
        with _write_lock_held_elsewhere(ctx):
            await press(pilot, "3")
            assert screen.card.key == first and screen.unsaved is not None
            text = screen_text(app)
            assert "not saved yet" in text and "locked by another program" in text
            await press(pilot, "4")  # keys wait too: the answer given stands
            await _wait_for_retry(pilot)
            assert ctx.store.reviews() == []  # still locked, still waiting
            assert screen.card.key == first
        await _wait_for_retry(pilot)
        reviews = ctx.store.reviews()
        assert [(r.key, r.rating) for r in reviews] == [(first, Rating.GOOD)]
        assert screen.unsaved is None and screen.card.key != first
        assert "not saved yet" not in screen_text(app)
        await press(pilot, "space", "3")  # usable as before
        assert len(ctx.store.reviews()) == 2


class _Disk:
    """The store's connection on a disk that can fill up: while `full`, every write
    statement fails as SQLite's does (SQLITE_FULL), after SQLite has rolled back."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self.full = False

    def execute(self, sql, *args):
        if self.full and sql.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._db.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL mid-transaction
            e = sqlite3.OperationalError("database or disk is full")
            e.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise e
        return self._db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._db, name)


async def test_a_full_disk_keeps_the_answer_until_there_is_room(tmp_path):
    ctx = _ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.card.key
        disk = ctx.store.db = _Disk(ctx.store.db)
        disk.full = True
        await press(pilot, "space", "3")
        assert screen.card.key == first and screen.unsaved is not None
        assert "the disk is full" in screen_text(app)
        await _wait_for_retry(pilot)
        assert ctx.store.reviews() == []
        disk.full = False  # space freed
        await _wait_for_retry(pilot)
        assert [r.key for r in ctx.store.reviews()] == [first]
        assert screen.card.key != first and screen.unsaved is None
        assert ctx.store.integrity_ok()


async def test_leaving_with_an_unsaved_answer_asks_first(tmp_path):
    ctx = _ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        with _write_lock_held_elsewhere(ctx):
            await press(pilot, "space", "3", "q")
            assert app.screen is screen  # warned, still here
            await press(pilot, "q")
            assert app.screen is not screen


async def test_undo_never_takes_back_another_process_review(tmp_path):
    ctx = _ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.card.key
        await press(pilot, "space", "1")  # Again: it comes back today
        elsewhere = Store.open(ctx.home)  # a second heartcards answers the same card
        try:
            state = elsewhere.get(first)
            later = NOW + timedelta(minutes=2)
            elsewhere.record(state, state.with_(reps=state.reps + 1), Rating.GOOD, later, 1000)
        finally:
            elsewhere.close()
        await press(pilot, "u")
        assert any("cannot be undone" in n.message for n in app._notifications)
        assert len(ctx.store.reviews()) == 2  # both reviews stand
        assert ctx.store.get(first).reps == 2
        assert not screen.session.history  # nothing left to undo


async def test_a_damaged_row_stops_the_review_with_a_notice(tmp_path):
    ctx = _ctx(tmp_path)
    store = ctx.store
    state = store.get("plain/n0")
    learning = state.with_(state=1, step=0, stability=1.0, difficulty=5.0, due=NOW,
                           last_review=NOW - timedelta(minutes=5), reps=1)  # fmt: skip
    store.record(state, learning, Rating.AGAIN, NOW - timedelta(minutes=5), 1000)
    store.db.execute("UPDATE cards SET state = 9 WHERE key = 'plain/n0'")  # damaged
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot)
        assert not isinstance(app.screen, ReviewScreen)  # back home, the app still up
        assert any("The review stopped" in n.message and "damaged" in n.message
                   for n in app._notifications)  # fmt: skip
