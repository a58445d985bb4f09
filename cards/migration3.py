"""Migration 3: the compact collection.

Schema 2 kept a TEXT card key and two JSON card states (before and after) in every review
row, ~456 bytes a review. Schema 3 numbers the cards and keeps, per log row, the card's
state after it in typed columns. The state before a review is the state after the row
before it (of the same card, among those that stand), so it is not stored twice. Where
schema 2's `before` was not that (a state written outside a review), a "set" row (kind 2)
is put before the review, so every state of the old log can still be read back. Log ids
are the write time in ms, one more than the last id when the clock says otherwise, so id
order is the order the rows were written, and today's rows are an id range.

Runs inside the migration's transaction: a crash or kill leaves schema 2 untouched.
"""

from __future__ import annotations

import sqlite3

from cards.days import to_ms
from cards.state import CardState

SCHEMA = """
CREATE TABLE cards_v3 (
    key TEXT PRIMARY KEY,     -- kept in key order: today's queue looks cards up by key
    id INTEGER NOT NULL UNIQUE,  -- the number the log refers to
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
CREATE TABLE revlog_v3 (
    id INTEGER PRIMARY KEY,   -- ms of the write, and ids only grow
    card INTEGER NOT NULL,    -- cards.id
    kind INTEGER NOT NULL,    -- 0 review, 1 undo of `undoes`, 2 state set outside a review
    rating INTEGER,
    duration INTEGER,         -- ms the user spent on the card
    before_state INTEGER,     -- the card's state (new, learning...) before a review
    state INTEGER,            -- the card after the row: state ... lapses
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER,
    reps INTEGER,
    lapses INTEGER,
    last_review INTEGER,      -- NULL: the time of the row
    time INTEGER,             -- ms of the answer, NULL: the id
    undoes INTEGER
);
"""

# after the old tables are gone and the new ones renamed
INDEXES = """
CREATE INDEX revlog_card ON revlog (card);
CREATE INDEX revlog_undoes ON revlog (undoes) WHERE undoes IS NOT NULL;
CREATE VIEW reviews AS
    SELECT * FROM revlog r
    WHERE r.kind = 0 AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = r.id);
"""

_CARD_COLUMNS = (
    "key, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, "
    "buried_until"
)
NEW_CHAIN = (0, None, None, None, None, None, 0, 0)  # chain(CardState(key))


def chain(s: CardState) -> tuple:
    """What the log keeps of a state: all but suspension and burying (not in the log)."""
    return (
        s.state,
        s.step,
        s.stability,
        s.difficulty,
        to_ms(s.due),
        to_ms(s.last_review),
        s.reps,
        s.lapses,
    )


def log_columns(c: tuple, at: int) -> tuple:
    """(state, step, stability, difficulty, due, reps, lapses, last_review) columns of a
    chain tuple for a row whose time is `at` (ms): last_review NULL when it is that."""
    state, step, stability, difficulty, due, last, reps, lapses = c
    return state, step, stability, difficulty, due, reps, lapses, None if last == at else last


def run(db: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(
        f"INSERT INTO cards_v3 (id, {_CARD_COLUMNS})"
        f" SELECT row_number() OVER (ORDER BY key), {_CARD_COLUMNS} FROM cards"
    )
    db.execute(  # cards with reviews but no stored state (none should be): new ones
        "INSERT INTO cards_v3 (id, key, state)"
        " SELECT (SELECT ifnull(max(id), 0) FROM cards_v3) + row_number() OVER (ORDER BY key),"
        " key, 0 FROM (SELECT DISTINCT key FROM revlog"
        " WHERE key NOT IN (SELECT key FROM cards_v3))"
    )
    ids = dict(db.execute("SELECT key, id FROM cards_v3"))
    db.executemany(
        "INSERT INTO revlog_v3 (id, card, kind, rating, duration, before_state, state, step,"
        " stability, difficulty, due, reps, lapses, last_review, time, undoes)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _rows(db, ids),
    )
    for statement in (
        "DROP VIEW reviews",
        "DROP TABLE revlog",
        "DROP TABLE cards",
        "ALTER TABLE cards_v3 RENAME TO cards",
        "ALTER TABLE revlog_v3 RENAME TO revlog",
        *(s for s in INDEXES.split(";") if s.strip()),
    ):
        db.execute(statement)


def _rows(db: sqlite3.Connection, ids: dict[str, int]):
    head: dict[int, tuple] = {}  # card -> chain of the last row that stands
    undo_to: dict[int, list[tuple]] = {}  # card -> heads before each standing review
    new_ids: dict[int, int] = {}
    last = 0
    for oid, kind, undoes, key, time, rating, duration, state_before, before, after in db.execute(
        "SELECT id, kind, undoes, key, time, rating, duration, state_before, before, after"
        " FROM revlog ORDER BY id"
    ):
        card = ids[key]
        if kind == "undo":
            last = max(time, last + 1)
            target = new_ids.get(undoes)
            yield (last, card, 1, None, None, None, *(None,) * 8, _time(time, last), target)
            stack = undo_to.get(card)
            if stack:
                head[card] = stack.pop()
            continue
        was = chain(CardState.from_json(before))
        if head.get(card, NEW_CHAIN) != was:  # written outside a review: keep it as a set row
            last = max(time, last + 1)
            yield (last, card, 2, None, None, None, *log_columns(was, time), _time(time, last),
                   None)  # fmt: skip
        last = max(time, last + 1)
        new_ids[oid] = last
        now = chain(CardState.from_json(after))
        yield (last, card, 0, rating, duration, state_before, *log_columns(now, time),
               _time(time, last), None)  # fmt: skip
        undo_to.setdefault(card, []).append(was)
        head[card] = now


def _time(time: int, row_id: int) -> int | None:
    return None if time == row_id else time
