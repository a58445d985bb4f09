"""The collection: card states and the review log, in SQLite at <home>/collection.sqlite3.

One answer is one transaction, committed before the caller moves on. The review log is
append-only: an undo does not delete the review, it appends an "undo" row naming it,
and the `reviews` view shows the reviews that stand. Cards whose note left the decks
keep their rows (orphans) and come back with their history if the note returns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cards.days import from_ms, to_ms
from cards.state import NEW, CardState, Rating

DB_FILE = "collection.sqlite3"
SCHEMA_VERSION = 1

# Migration N brings a collection from user_version N-1 to N. Append only.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE cards (
        key TEXT PRIMARY KEY,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,              -- ms since the epoch, UTC
        last_review INTEGER,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT         -- ISO date of the study day it shows again
    ) WITHOUT ROWID;
    CREATE INDEX cards_due ON cards (due) WHERE state != 0;
    CREATE TABLE revlog (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('review', 'undo')),
        undoes INTEGER REFERENCES revlog (id),
        key TEXT NOT NULL,
        time INTEGER NOT NULL,    -- ms since the epoch, UTC
        rating INTEGER,
        duration INTEGER,         -- ms the user spent on the card
        state_before INTEGER,
        before TEXT,              -- CardState JSON before the answer
        after TEXT                -- and after it
    );
    CREATE INDEX revlog_time ON revlog (time);
    CREATE INDEX revlog_key ON revlog (key);
    CREATE INDEX revlog_undoes ON revlog (undoes) WHERE undoes IS NOT NULL;
    CREATE VIEW reviews AS
        SELECT * FROM revlog r
        WHERE r.kind = 'review'
          AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = r.id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """,
}

_COLUMNS = (
    "key, state, step, stability, difficulty, due, last_review, reps, lapses, "
    "suspended, buried_until"
)


class StoreError(Exception):
    """The collection cannot be opened or used; the message says what to do."""


@dataclass(frozen=True)
class Review:
    id: int
    key: str
    time: datetime
    rating: Rating
    duration_ms: int
    before: CardState
    after: CardState


class Store:
    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                path, timeout=5.0, isolation_level=None, check_same_thread=False
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open collection {path}: {e}") from None

    @classmethod
    def open(cls, home: Path) -> Store:
        return cls(home / DB_FILE)

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer heartcards (schema {version}); please upgrade"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {target}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # -- reading -------------------------------------------------------------

    def get(self, key: str) -> CardState:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM cards WHERE key = ?", (key,)).fetchone()
        return _state(row) if row else CardState(key)

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardState]:
        """Every stored state (orphans included), or those of `keys`."""
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM cards").fetchall()
        states = {row[0]: _state(row) for row in rows}
        if keys is None:
            return states
        return {k: states[k] for k in keys if k in states}

    def reviews(self, since: datetime | None = None, key: str | None = None) -> list[Review]:
        """The reviews that stand (not undone), oldest first."""
        sql = "SELECT id, key, time, rating, duration, before, after FROM reviews"
        where, args = [], []
        if since is not None:
            where.append("time >= ?")
            args.append(to_ms(since))
        if key is not None:
            where.append("key = ?")
            args.append(key)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        return [_review(row) for row in rows]

    def today_counts(self, day_start: datetime) -> tuple[int, int, set[str]]:
        """(new cards started, reviews of review cards, keys answered) since `day_start`."""
        rows = self.db.execute(
            "SELECT key, state_before FROM reviews WHERE time >= ?", (to_ms(day_start),)
        ).fetchall()
        new = sum(1 for _, s in rows if s == NEW)
        review = sum(1 for _, s in rows if s == 2)
        return new, review, {k for k, _ in rows}

    # -- writing: each call is one transaction -------------------------------

    def record(
        self, before: CardState, after: CardState, rating: Rating, time: datetime, duration_ms: int
    ) -> Review:
        """Save an answer: the card's new state and a review log row, atomically."""
        with self._transaction():
            self._put(after)
            cur = self.db.execute(
                "INSERT INTO revlog (kind, key, time, rating, duration, state_before, before, after)"
                " VALUES ('review', ?, ?, ?, ?, ?, ?, ?)",
                (
                    after.key,
                    to_ms(time),
                    int(rating),
                    int(duration_ms),
                    before.state,
                    before.to_json(),
                    after.to_json(),
                ),
            )
        return Review(cur.lastrowid, after.key, time, rating, duration_ms, before, after)

    def undo_last(self, time: datetime, keys: Iterable[str] | None = None) -> Review | None:
        """Undo the latest standing review (of one of `keys`, if given): the card gets its
        state from before that review back, and the log gains an undo row."""
        sql = "SELECT id, key, time, rating, duration, before, after FROM reviews"
        args: list = []
        if keys is not None:
            keys = list(keys)
            sql += f" WHERE key IN ({','.join('?' * len(keys))})"
            args = keys
        row = self.db.execute(sql + " ORDER BY id DESC LIMIT 1", args).fetchone()
        if row is None:
            return None
        review = _review(row)
        with self._transaction():
            self._put(review.before)
            self.db.execute(
                "INSERT INTO revlog (kind, undoes, key, time) VALUES ('undo', ?, ?, ?)",
                (review.id, review.key, to_ms(time)),
            )
        return review

    def set_suspended(self, key: str, suspended: bool) -> CardState:
        with self._transaction():
            state = self.get(key).with_(suspended=suspended)
            self._put(state)
        return state

    def bury(self, key: str, until: date | None) -> CardState:
        with self._transaction():
            state = self.get(key).with_(buried_until=until)
            self._put(state)
        return state

    def _put(self, s: CardState) -> None:
        self.db.execute(
            f"INSERT OR REPLACE INTO cards ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                s.key,
                s.state,
                s.step,
                s.stability,
                s.difficulty,
                to_ms(s.due),
                to_ms(s.last_review),
                s.reps,
                s.lapses,
                int(s.suspended),
                s.buried_until.isoformat() if s.buried_until else None,
            ),
        )

    def _transaction(self):
        return _Transaction(self.db)

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (Ctrl+C included)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _state(row) -> CardState:
    key, state, step, stab, diff, due, last, reps, lapses, susp, buried = row
    return CardState(
        key,
        state,
        step,
        stab,
        diff,
        from_ms(due),
        from_ms(last),
        reps,
        lapses,
        bool(susp),
        date.fromisoformat(buried) if buried else None,
    )


def _review(row) -> Review:
    rid, key, time, rating, duration, before, after = row
    return Review(
        rid,
        key,
        from_ms(time),
        Rating(rating),
        duration or 0,
        CardState.from_json(before),
        CardState.from_json(after),
    )
