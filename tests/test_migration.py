"""Migrating a collection of an earlier schema: every review, state, suspension and bury
arrives, undo works across it, and a kill -9 in the middle loses nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cards.days import from_ms
from cards.migration3 import chain
from cards.state import CardState
from cards.store import DB_FILE, MIGRATIONS, SCHEMA_VERSION, Store
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = FIXTURES / "collections"  # one written by each earlier schema (make_vN.py)


def _old_log(path: Path) -> tuple[list[tuple], dict[str, CardState]]:
    """The standing reviews (key, time, rating, duration, before, after) and the card
    states of a schema 1 or 2 collection, read with plain SQL."""
    db = sqlite3.connect(path)
    reviews = [
        (key, from_ms(t), rating, duration or 0, CardState.from_json(b), CardState.from_json(a))
        for key, t, rating, duration, b, a in db.execute(
            "SELECT key, time, rating, duration, before, after FROM reviews ORDER BY id"
        )
    ]
    states = {}
    for row in db.execute(
        "SELECT key, state, step, stability, difficulty, due, last_review, reps, lapses,"
        " suspended, buried_until FROM cards"
    ):
        key, state, step, stab, diff, due, last, reps, lapses, susp, buried = row
        states[key] = CardState(key, state, step, stab, diff, from_ms(due), from_ms(last), reps,
                                lapses, bool(susp), buried and datetime.fromisoformat(buried).date())  # fmt: skip
    db.close()
    return reviews, states


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_collection_arrives_whole_and_undo_works_across(tmp_path, version):
    fixture = COLLECTIONS / f"v{version}.sqlite3"
    shutil_copy(fixture, tmp_path / DB_FILE)
    old_reviews, old_states = _old_log(fixture)
    assert old_reviews and any(s.suspended for s in old_states.values())
    assert any(s.buried_until for s in old_states.values())
    store = Store.open(tmp_path)  # migrates 1 -> 3 (the replay waits for the settings)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    reviews = store.reviews()
    assert [(r.key, r.time, r.rating, r.duration_ms) for r in reviews] == [
        (k, t, rating, d) for k, t, rating, d, _, _ in old_reviews
    ]
    for r, (_, _, _, _, before, after) in zip(reviews, old_reviews, strict=True):
        assert chain(r.before) == chain(before) and chain(r.after) == chain(after)
    assert store.states() == old_states
    last = reviews[-1]
    undone = store.undo_last(datetime.now(UTC), keys=[last.key])
    assert undone.id == last.id and chain(store.get(last.key)) == chain(old_reviews[-1][4])
    assert len(store.reviews()) == len(reviews) - 1
    assert store.integrity_ok()
    store.close()


def shutil_copy(src: Path, dst: Path) -> None:
    dst.write_bytes(src.read_bytes())


def _v2_collection(path: Path, cards: int, per_card: int) -> int:
    """A schema 2 collection of `cards` cards with `per_card` reviews each, written as
    heartcards 0.2 wrote them (two JSON states a review); the standing reviews."""
    db = sqlite3.connect(path, isolation_level=None)
    for version in (1, 2):
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    db.execute("DELETE FROM meta")  # no replay: this is about the schema
    rng = random.Random(4)
    t0 = 1_760_000_000_000
    db.execute("BEGIN")
    rows = []
    for c in range(cards):
        key = f"d/n{c}"
        before = CardState(key)
        t = t0 + c * 1000
        for i in range(per_card):
            t += rng.randint(60_000, 5 * 86_400_000)
            after = before.with_(state=2, stability=1.5 * (i + 1), difficulty=5.0,
                                 due=from_ms(t + 86_400_000), last_review=from_ms(t), reps=i + 1)  # fmt: skip
            rows.append((key, t, 3, 4000, before.state, before.to_json(), after.to_json()))
            before = after
        db.execute(
            "INSERT INTO cards (key, state, stability, difficulty, due, last_review, reps)"
            " VALUES (?, 2, ?, 5.0, ?, ?, ?)",
            (key, before.stability, t + 86_400_000, t, per_card),
        )
    rows.sort(key=lambda r: r[1])
    db.executemany(
        "INSERT INTO revlog (kind, key, time, rating, duration, state_before, before, after)"
        " VALUES ('review', ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return len(rows)


OPEN = "import sys; from pathlib import Path; from cards.store import Store; Store.open(Path(sys.argv[1])).close(); print('done', flush=True)"


def test_kill_9_during_the_migration_loses_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    total = _v2_collection(home / DB_FILE, cards=2000, per_card=40)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil_copy(home / DB_FILE, probe / DB_FILE)
    started = time.monotonic()
    full = subprocess.run([sys.executable, "-c", OPEN, str(probe)], env=env, cwd=ROOT,
                          capture_output=True, timeout=60)  # fmt: skip
    whole = time.monotonic() - started  # start-up, then the migration
    assert full.returncode == 0
    pristine = (home / DB_FILE).read_bytes()
    rng = random.Random(9)
    killed_mid = tries = 0
    sooner = 1.0  # lowered when a kill came after the migration had finished
    while killed_mid < 4 and tries < 10:
        tries += 1
        proc = subprocess.Popen([sys.executable, "-c", OPEN, str(home)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)  # fmt: skip
        time.sleep(whole * sooner * rng.uniform(0.6, 0.9))  # inside the migration, most likely
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        db = sqlite3.connect(home / DB_FILE)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.close()
        assert version in (2, SCHEMA_VERSION)  # either version, never half of one
        if version == 2:
            killed_mid += 1
            assert "done" not in out
        elif killed_mid:
            break  # migrated after a kill inside it: what the end checks is that collection
        else:  # this run was quicker than the probe's: the v2 collection again, a kill sooner
            for extra in ("-wal", "-shm"):
                (home / (DB_FILE + extra)).unlink(missing_ok=True)
            (home / DB_FILE).write_bytes(pristine)
            sooner *= 0.7
    assert time.monotonic() - started < 120
    store = Store.open(home)  # opens, migrating if it still must
    assert len(store.reviews()) == total
    assert all(s.reps == 40 for s in store.states().values())
    assert store.integrity_ok()
    store.close()
    assert killed_mid >= 1, "no kill landed inside the migration: make the collection bigger"


def test_a_state_written_outside_a_review_survives_as_a_set_row(tmp_path):
    """Schema 2 kept each review's `before`; where that was not the state the previous
    review left (a state written by hand or by a script), migration keeps it too."""
    db = sqlite3.connect(tmp_path / DB_FILE, isolation_level=None)
    for version in (1, 2):
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    t = 1_760_000_000_000
    a = CardState("d/a")
    first = a.with_(state=2, stability=3.0, difficulty=5.0, due=from_ms(t + 9e7),
                    last_review=from_ms(t), reps=1)  # fmt: skip
    edited = first.with_(stability=7.5)  # put between the reviews, outside the log
    second = edited.with_(stability=9.0, due=from_ms(t + 5e8), last_review=from_ms(t + 1e8),
                          reps=2)  # fmt: skip
    for before, after, at in [(a, first, t), (edited, second, t + 10**8)]:
        db.execute(
            "INSERT INTO revlog (kind, key, time, rating, duration, state_before, before, after)"
            " VALUES ('review', 'd/a', ?, 3, 1000, ?, ?, ?)",
            (at, before.state, before.to_json(), after.to_json()),
        )
    db.execute("INSERT INTO cards (key, state, stability, difficulty, due, last_review, reps)"
               " VALUES ('d/a', 2, 9.0, 5.0, ?, ?, 2)", (t + 5 * 10**8, t + 10**8))  # fmt: skip
    db.close()
    store = Store.open(tmp_path)
    reviews = store.reviews()
    assert [chain(r.before) for r in reviews] == [chain(a), chain(edited)]
    assert [chain(r.after) for r in reviews] == [chain(first), chain(second)]
    kinds = [k for (k,) in store.db.execute("SELECT kind FROM revlog ORDER BY id")]
    assert kinds == [0, 2, 0]
    undone = store.undo_last(datetime.now(UTC))
    assert chain(undone.before) == chain(edited) == chain(store.get("d/a"))
    store.close()


@pytest.mark.parametrize("version", [3, 4, 5, 6])
def test_a_v3_to_v6_collection_arrives_whole_and_its_cards_get_their_places(tmp_path, version):
    """Schema 4 adds each card's place in its deck (for today's queue), schema 5 each
    review's Anki intervals (tests/test_export_revlog.py fills them), schema 6 the marks
    of the last Anki export, schema 7 flags and the app's note tags (none yet): the log
    and the states are untouched, undo works across, and the first session places the
    deck's cards, giving the queue a session by keys gives."""
    from cards.config import Settings
    from cards.library import load_library
    from cards.session import Session
    from tests.conftest import FIXTURE_DECKS

    fixture = COLLECTIONS / f"v{version}.sqlite3"
    shutil_copy(fixture, tmp_path / DB_FILE)
    old = sqlite3.connect(fixture)
    old_log = old.execute("SELECT * FROM revlog ORDER BY id").fetchall()
    old_cards = old.execute("SELECT * FROM cards ORDER BY key").fetchall()
    old.close()
    assert any(row[10] for row in old_cards) and any(row[11] for row in old_cards)  # susp., bury
    store = Store.open(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    log = store.db.execute("SELECT * FROM revlog ORDER BY id").fetchall()
    assert [row[: len(old_log[0])] for row in log] == old_log
    if version < 5:  # (the intervals: NULL until an export fills them)
        assert {row[16:] for row in log} == {(None, None)}
    assert (store.export_marks() != {}) == (version == 6)  # (the v6 fixture exported once)
    assert store.flags() == {} and store.note_tags() == {}
    cards = store.db.execute("SELECT * FROM cards ORDER BY key").fetchall()
    if version == 3:  # (no places yet: the sessions that made it read by keys)
        cards = [row[:-1] for row in cards if row[-1] is None]
    assert cards == old_cards
    reviews = store.reviews()
    last = reviews[-1]
    undone = store.undo_last(datetime.now(UTC), keys=[last.key])
    assert undone.id == last.id and store.get(last.key) == last.before
    assert len(store.reviews()) == len(reviews) - 1

    now = max(r.time for r in reviews) + timedelta(days=1)
    listed = load_library(builtin=False, extra=[FIXTURE_DECKS / "basics.toml"],
                          cache_dir=tmp_path / "cache").cards()  # fmt: skip
    placed = Session(store, listed, Settings(), lambda: now)
    by_keys = Session(store, list(listed), Settings(), lambda: now)
    assert placed.counts() == by_keys.counts() and sum(placed.counts()) > 0
    assert [c.key for c in placed.queue().review] == [c.key for c in by_keys.queue().review]
    assert set(store.places()) == {"basics"}
    assert store.integrity_ok()
    store.close()
