"""The collection: card states and the review log, in SQLite at <home>/collection.sqlite3.

One answer is one transaction, committed before the caller moves on. The review log is
append-only: an undo does not delete the review, it appends an "undo" row naming it,
and the `reviews` view shows the reviews that stand. Cards whose note left the decks
keep their rows (orphans) and come back with their history if the note returns.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from cards.days import day_zone, from_ms, interday_learning, local, to_ms
from cards.migration3 import NEW_CHAIN, chain, log_columns  # the log's row format (schema 3)
from cards.state import NEW, CardState, Rating

DB_FILE = "collection.sqlite3"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SCHEMA_VERSION = 7

# Migration N brings a collection from user_version N-1 to N: SQL, or the name of a module
# whose run(db) does it (in the migration's transaction). Append only.
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
    # States written before heartcards counted days as Anki does: replay the log under the
    # new rules (cards.replay, which needs the settings, runs it and clears the mark).
    2: """
    INSERT OR REPLACE INTO meta (key, value)
        SELECT 'replay', 'anki-days' WHERE EXISTS (SELECT 1 FROM revlog);
    """,
    # Numbered cards, typed state columns instead of two JSON states a review.
    3: "cards.migration3",
    # Each card's place in its deck (Store.place_deck), and an index of today's candidates
    # by state and due: the queue reads them without looking up every key of the decks.
    4: """
    ALTER TABLE cards ADD COLUMN ord INTEGER;
    CREATE INDEX cards_today ON cards (state, due, suspended, buried_until, ord)
        WHERE ord IS NOT NULL;
    """,
    # Anki's interval and last interval of each review (as its revlog's ivl and lastIvl),
    # kept when the answer is saved, as Anki does: the export copies them. NULL in rows
    # written before (fill_intervals works them out the first time they are needed).
    5: """
    ALTER TABLE revlog ADD COLUMN ivl INTEGER;
    ALTER TABLE revlog ADD COLUMN last_ivl INTEGER;
    """,
    # What the last Anki export carried of each note and note type (item: a note's key,
    # or "notetype:" and its key): a digest of its content and the modification time it
    # was given. The next export gives the same time while the content is the same, so
    # Anki sees an unchanged note as unchanged (cards.anki_marks).
    6: """
    CREATE TABLE exported (
        item TEXT PRIMARY KEY,
        digest BLOB NOT NULL,
        mod INTEGER NOT NULL      -- seconds since the epoch
    ) WITHOUT ROWID;
    """,
    # What the learner puts on cards and notes in the app, beside the deck files: a card's
    # flag (1-7, Anki's colours) and a note's own tags ("marked", "leech"): `review` is
    # the answer that made a card a leech (undoing it takes the tag and suspension back).
    7: """
    CREATE TABLE flags (key TEXT PRIMARY KEY, flag INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE note_tags (
        note TEXT NOT NULL,
        tag TEXT NOT NULL,
        review INTEGER,
        PRIMARY KEY (note, tag)
    ) WITHOUT ROWID;
    """,
}

_CANDIDATES = (
    "SELECT j.key, c.state, c.due, CASE WHEN c.state NOT IN (0, 2) THEN c.last_review END"
    " FROM json_each(?) AS j"
    " LEFT JOIN cards AS c ON c.key = j.value"
    " WHERE c.key IS NULL OR (c.suspended = 0"
    " AND (c.buried_until IS NULL OR c.buried_until <= ?)"
    " AND (c.state != 2 OR c.due < ?))"
)

# The same for every placed card (Store.place_deck): (place, state, due, last review of a
# learning card), the place holding the deck's slot too (SLOT_SHIFT). Searches of the
# cards_today index (new, reviews due) read only the candidates, never the table; those of
# learning cards (few) read their last review too.
_PLACED = " UNION ALL ".join(
    f"SELECT ord, state, due, {last} FROM cards"
    " WHERE ord IS NOT NULL AND suspended = 0 AND (buried_until IS NULL OR buried_until <= ?1)"
    f" AND {states}"
    for states, last in (
        ("state = 0", "NULL"),
        ("state = 1", "last_review"),
        ("state = 2 AND due < ?2", "NULL"),
        ("state > 2", "last_review"),
    )
)
# A placed card's `ord` is its deck's slot << SLOT_SHIFT | its place in the deck: one integer
# names deck and place, so reading the candidates makes no deck-id string per card.
SLOT_SHIFT = 32
_META_PLACES = "FROM meta WHERE key GLOB 'places:*'"  # (deck id: after "places:")
_PLACES = f"SELECT substr(key, 8), value {_META_PLACES}"
# both in one statement (the places with no place: NULL; a placed card's place is not)
_PLACES_AND_PLACED = f"SELECT NULL, substr(key, 8), value, NULL {_META_PLACES} UNION ALL {_PLACED}"


def _placing(value: str) -> tuple[str, int] | None:
    """(fingerprint, slot) from a places: row ("SLOT FINGERPRINT"); None for a row an
    earlier version wrote (its places have no slot: the deck is placed again)."""
    slot, _, fingerprint = value.partition(" ")
    return (fingerprint, int(slot)) if fingerprint and slot.isdigit() else None


_COLUMNS = (
    "key, state, step, stability, difficulty, due, last_review, reps, lapses, "
    "suspended, buried_until"
)


class StoreError(Exception):
    """The collection cannot be opened or used; the message says what to do."""


class WriteFailed(StoreError):
    """A write did not happen (nothing of it was saved); trying again later may work.
    `busy`: another process holds the collection's write lock; `full`: no disk space."""

    def __init__(self, message: str, *, busy: bool = False, full: bool = False):
        super().__init__(message)
        self.busy, self.full = busy, full


class UndoRefused(StoreError):
    """The review cannot be undone: it was undone already, or its card changed since."""


class Review(NamedTuple):
    """One row of the review log: an answer, or a state set by hand or by an import."""

    id: int
    key: str
    time: datetime
    rating: Rating
    duration_ms: int
    before: CardState
    after: CardState
    leech: bool = False  # this answer made the card a leech (tagged; suspended if set so)


def is_leech(lapses: int, threshold: int) -> bool:
    """Whether a lapse that brings the card to `lapses` makes it a leech: at the threshold
    and every half threshold after, as Anki has it (rslib scheduler/answering/mod.rs,
    leech_threshold_met); a threshold of 0 never."""
    if threshold <= 0:
        return False
    half = max(-(-threshold // 2), 1)  # (rounded up)
    return lapses >= threshold and (lapses - threshold) % half == 0


class Store:
    def __init__(self, path: Path, *, synchronous: str = "NORMAL", busy_timeout: float = 5.0):
        """Open (creating or migrating) the collection at `path`. A write waits up to
        `busy_timeout` seconds for another process's write lock, then raises WriteFailed."""
        if synchronous not in ("NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.path = path
        # the TUI's workers share the connection: one write transaction at a time
        self._write_lock = threading.RLock()
        self._commits = 0
        self._checkpointer: _Checkpointer | None = None
        self._card_ids: dict[str, int] = {}  # key -> cards.id (never changes once given)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Opening waits longer than a write: processes started together on a fresh
            # home take turns creating it.
            self.db = sqlite3.connect(
                path,
                timeout=max(busy_timeout, _OPEN_TIMEOUT),
                isolation_level=None,
                check_same_thread=False,
            )
            self._journal_wal()
            # NORMAL in WAL mode: a commit is written to the WAL before it returns, so it
            # survives the process being killed (kill -9, a crash); it is fsynced at the
            # next checkpoint, so a power cut or OS crash can lose the last answers but
            # never corrupts the collection. FULL adds an fsync to every answer.
            self.db.execute(f"PRAGMA synchronous={synchronous}")
            # Checkpoints (copying the WAL into the database, ~4 ms every ~90 answers) run
            # in a background thread (see _Checkpointer), not inside an answer; SQLite's own
            # automatic checkpoint stays as a safety net for writes made around the Store.
            self.db.execute(f"PRAGMA wal_autocheckpoint={_WAL_SAFETY_PAGES}")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self._check_schema()
            self.db.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        except (sqlite3.Error, OSError, WriteFailed) as e:
            raise StoreError(f"cannot open collection {path}: {_open_problem(path, e)}") from None

    def _journal_wal(self) -> None:
        # Switching a fresh file to WAL needs it to itself for a moment, and SQLite does
        # not wait for that: a second process starting at the same time tries again.
        import time

        deadline = time.monotonic() + _OPEN_TIMEOUT
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as e:
                if _code(e) not in _BUSY or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    @classmethod
    def open(cls, home: Path, *, busy_timeout: float = 5.0) -> Store:
        return cls(home / DB_FILE, busy_timeout=busy_timeout)

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.db.close()

    def _committed(self) -> None:
        self._commits += 1
        if self._commits % _CHECKPOINT_EVERY == 0:
            if self._checkpointer is None:
                self._checkpointer = _Checkpointer(self.path)
            self._checkpointer.wake.set()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer heartcards (schema {version}); please upgrade"
            )
        with _Transaction(self.db):
            # read again under the write lock: another process may have migrated meanwhile
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                migration = MIGRATIONS[target]
                if migration.startswith("cards."):
                    import importlib

                    importlib.import_module(migration).run(self.db)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {target}")

    def _check_schema(self) -> None:
        found = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master")}
        missing = [name for name in ("cards", "revlog", "reviews", "meta") if name not in found]
        if missing:
            raise StoreError(
                f"collection {self.path} is damaged: it has no {' or '.join(missing)}{_RESCUE}"
            )

    # -- reading -------------------------------------------------------------

    def get(self, key: str) -> CardState:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM cards WHERE key = ?", (key,)).fetchone()
        return _state(row) if row else CardState(key)

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardState]:
        """Every stored state (orphans included), or those of `keys`."""
        if keys is not None and not isinstance(keys, dict) and len(keys := list(keys)) < 5000:
            import json  # (a few cards of many: looked up, not every row read)

            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM cards WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(keys),),
            ).fetchall()
            return {row[0]: _state(row) for row in rows}
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM cards").fetchall()
        states = {row[0]: _state(row) for row in rows}
        if keys is None:
            return states
        return {k: states[k] for k in keys if k in states}

    def version(self) -> tuple[int, int]:
        """Changes whenever the collection changes: through this connection (total_changes)
        or any other one (data_version). Cheap; for caches of what was read."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def candidates(
        self, keys_json: str, day: date, day_end: datetime
    ) -> Iterable[tuple[int, int | None, int | None, int | None]]:
        """Today's queue candidates among the keys of `keys_json` (a JSON array, as
        cards.today.json_list makes it): (position in the keys, state, due in ms, last
        review in ms of a learning card) of
        every card that is not suspended or buried on `day` and is new (state None when
        nothing is stored), in learning, or in review and due before `day_end`. The rest
        (most of a large collection: reviews due later) never leave SQLite."""
        day_iso, end_ms = day.isoformat(), to_ms(day_end)
        return self.db.execute(_CANDIDATES, (keys_json, day_iso, end_ms))

    def places(self) -> dict[str, str | None]:
        """Deck id -> the fingerprint of the card list its cards' places (`ord`) are from,
        for each deck placed by place_deck() (None: placed by an earlier version)."""
        out: dict[str, str | None] = {}
        for deck, value in self.db.execute(_PLACES):
            placing = _placing(value)
            out[deck] = placing[0] if placing else None
        return out

    def place_deck(self, deck_id: str, keys_json: str, fingerprint: str) -> None:
        """Give every card of deck `deck_id` its place in `keys_json` (the deck's keys in
        order, a JSON array), a card never seen getting a row (new); the deck's other rows
        (orphans) lose theirs. `fingerprint` names that list (see places())."""
        lo, hi = f"{deck_id}/", f"{deck_id}0"  # every key of the deck: '0' follows '/'
        with self._transaction():
            slots = {deck: p[1] for deck, value in self.db.execute(_PLACES)
                     if (p := _placing(value)) is not None}  # fmt: skip
            slot = slots.get(deck_id) or max(slots.values(), default=0) + 1
            self.db.execute(
                "UPDATE cards SET ord = NULL WHERE key >= ? AND key < ? AND ord IS NOT NULL"
                " AND key NOT IN (SELECT value FROM json_each(?))",
                (lo, hi, keys_json),
            )
            (top,) = self.db.execute("SELECT ifnull(max(id), 0) FROM cards").fetchone()
            self.db.execute(  # (WHERE true: an upsert's SELECT needs one)
                "INSERT INTO cards (id, key, state, ord)"
                " SELECT ? + 1 + j.key, j.value, 0, ? + j.key FROM json_each(?) AS j WHERE true"
                " ON CONFLICT (key) DO UPDATE SET ord = excluded.ord"
                " WHERE ord IS NOT excluded.ord",
                (top, slot << SLOT_SHIFT, keys_json),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                (f"places:{deck_id}", f"{slot} {fingerprint}"),
            )

    def placed_candidates(
        self, day: date, day_end: datetime
    ) -> tuple[dict[str, tuple[str, int]], list[tuple[int, int, int | None, int | None]]]:
        """Each placed deck's (fingerprint, slot), and today's queue candidates among the
        placed cards of every deck: (slot << 32 | place, state, due in ms, last review in
        ms of a learning card), as candidates() chooses them. One statement, so one
        moment: the places are those the fingerprints name."""
        rows = self.db.execute(_PLACES_AND_PLACED, (day.isoformat(), to_ms(day_end))).fetchall()
        placed = {}
        for place, deck, value, _ in rows:
            if place is None and (p := _placing(value)) is not None:
                placed[deck] = p
        return placed, [row for row in rows if row[0] is not None]

    def upcoming(
        self, keys_json: str, after: datetime
    ) -> list[tuple[datetime, datetime | None, int]]:
        """What comes next among the cards of `keys_json` (a JSON array of keys) not
        suspended, due after `after`: the review due first and every card in learning, as
        (due, last review, state), for queue.available_from()."""
        # due (ms) > after (µs)  <=>  due > floor(after in ms)
        floor_ms = (local(after) - _EPOCH) // timedelta(milliseconds=1)
        rows = self.db.execute(
            "SELECT min(c.due), NULL, 2 FROM json_each(?1) AS j JOIN cards AS c"
            " ON c.key = j.value WHERE c.suspended = 0 AND c.state = 2 AND c.due > ?2"
            " UNION ALL SELECT c.due, c.last_review, c.state FROM json_each(?1) AS j"
            " JOIN cards AS c ON c.key = j.value"
            " WHERE c.suspended = 0 AND c.state IN (1, 3) AND c.due > ?2",
            (keys_json, floor_ms),
        ).fetchall()
        return [(from_ms(due), from_ms(last), state) for due, last, state in rows if due]

    def reviews(self, since: datetime | None = None, key: str | None = None) -> list[Review]:
        """The reviews that stand (not undone), oldest first. Each review's `before` is the
        state after the row before it (suspension and burying are not in the log: False
        and None)."""
        sql = _LOG_SELECT + " WHERE kind IN (0, 2)"
        args: list = []
        if key is None:
            keys = dict(self.db.execute("SELECT id, key FROM cards"))
        else:  # one card (the card screen): its number alone
            keys = dict(self.db.execute("SELECT id, key FROM cards WHERE key = ?", (key,)))
            sql += " AND card = ?"
            args.append(next(iter(keys), None))
        since_ms = to_ms(since) if since is not None else None
        undone = {u for (u,) in self.db.execute(_UNDONE)}
        # The objects made all live on: the garbage collector would only rescan them.
        import gc

        last: dict[int, CardState] = {}
        out = []
        collecting = gc.isenabled()
        gc.disable()
        rid = None
        try:
            for row in self.db.execute(sql + " ORDER BY id", args):
                rid, card, kind = row[0], row[1], row[2]
                if rid in undone:
                    continue
                key = keys[card]
                after, time = _logged(key, row)
                before = last.get(card)
                last[card] = after
                if kind == 2 or (since_ms is not None and time < since_ms):
                    continue
                review = Review(rid, key, from_ms(time), _RATINGS[row[3]], row[4] or 0,
                                before or CardState(key), after)  # fmt: skip
                out.append(review)
        except _DAMAGE as e:
            raise _damaged_review(rid, e) from None
        finally:
            if collecting:
                gc.enable()
        return out

    def card_numbers(self) -> dict[str, int]:
        """Every stored card's number (as review_rows() gives it), by key."""
        return dict(self.db.execute("SELECT key, id FROM cards"))

    def review_rows(self) -> list[tuple]:
        """The reviews that stand, as plain numbers for a bulk reader (the Anki export):
        (id, card number, rating, duration ms, time ms, state before, due before, last
        review before, state after, due after), oldest first; the befores None for a new
        card."""
        undone = {u for (u,) in self.db.execute(_UNDONE)}
        last: dict[int, tuple] = {}  # card -> (due, last review) after its latest row
        out = []
        for rid, card, kind, rating, duration, t, before, state, due, lr in self.db.execute(
            "SELECT id, card, kind, rating, ifnull(duration, 0), ifnull(time, id),"
            " before_state, state, due, last_review FROM revlog WHERE kind IN (0, 2) ORDER BY id"
        ):
            if rid in undone:
                continue
            due_before, last_before = last.get(card, _NO_BEFORE)
            last[card] = due, t if lr is None else lr
            if kind == 0:
                if (
                    state not in _STATES
                    or before not in _STATES
                    or rating not in _RATINGS
                    or not (due is None or type(due) is int)
                    or type(t) is not int
                ):
                    raise _damaged_review(rid, ValueError("a value out of range"))
                out.append((rid, card, rating, duration, t, before, due_before, last_before,
                            state, due))  # fmt: skip
        return out

    def forgotten(self) -> dict[int, int]:
        """Per card number, the id of its last Forget that stands (set_by_hand to new)."""
        return dict(self.db.execute(
            f"SELECT card, max(id) FROM revlog AS r WHERE kind = 2 AND rating = 0 AND state = 0"
            f" AND {_STANDS} GROUP BY card"))  # fmt: skip

    def kept_review_rows(self, after: int = 0) -> list[tuple]:
        """The standing reviews with an id above `after`, as their rows keep them (only
        when reviews_as_kept()): (id, card number, rating, ivl, last ivl, state after,
        duration ms, state before), oldest first."""
        return self.db.execute(
            "SELECT id, card, rating, ivl, last_ivl, state, ifnull(duration, 0), before_state"
            f" FROM revlog AS r WHERE kind = 0 AND id > ? AND {_STANDS} ORDER BY id",
            (after,),
        ).fetchall()

    def keys_logged_since(self, after: int) -> set[str]:
        """The cards with log rows (answers, undos, schedules set) above id `after`."""
        return {k for (k,) in self.db.execute(
            "SELECT DISTINCT c.key FROM revlog r JOIN cards c ON c.id = r.card WHERE r.id > ?",
            (after,))}  # fmt: skip

    def hidden(self) -> list[tuple[str, bool, str | None]]:
        """Every stored card's key, suspension and burying (ISO day, or None), as plain
        values: cheap to compare with another copy."""
        return [(k, bool(s), b) for k, s, b in self.db.execute(
            "SELECT key, suspended, buried_until FROM cards")]  # fmt: skip

    def last_row_id(self) -> int:
        return self.db.execute("SELECT ifnull(max(id), 0) FROM revlog").fetchone()[0]

    def by_hand_rows(self, after: int = 0) -> list[tuple]:
        """The schedules set by hand that stand (set_by_hand), oldest first, those with an
        id above `after`, for the Anki export: (id, card number, time ms, state after, due
        after, last review after, state before, due before, last review before)."""
        if not self.db.execute(
            "SELECT 1 FROM revlog WHERE kind = 2 AND rating = 0 AND id > ? LIMIT 1", (after,)
        ).fetchone():
            return []
        after_id = after
        undone = {u for (u,) in self.db.execute(_UNDONE)}
        last: dict[int, tuple] = {}  # card -> (state, due, last review) after its latest row
        out = []
        for rid, card, kind, rating, t, state, due, lr in self.db.execute(
            "SELECT id, card, kind, rating, ifnull(time, id), state, due, last_review"
            " FROM revlog WHERE kind IN (0, 2) ORDER BY id"
        ):
            if rid in undone:
                continue
            before = last.get(card, (NEW, None, None))
            after = state, due, t if lr is None else lr
            last[card] = after
            if kind == 2 and rating == 0 and rid > after_id:
                out.append((rid, card, t, *after, *before))
        return out

    def export_marks(self) -> dict[str, tuple[bytes, int]]:
        """What the last Anki export carried: item -> (content digest, modification time)."""
        return {item: (digest, mod) for item, digest, mod in self.db.execute(
            "SELECT item, digest, mod FROM exported")}  # fmt: skip

    def save_export_marks(self, marks: dict[str, tuple[bytes, int]]) -> None:
        """Keep the marks of an export (items not in `marks` keep theirs)."""
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO exported (item, digest, mod) VALUES (?, ?, ?)",
                ((item, digest, mod) for item, (digest, mod) in marks.items()),
            )

    def fill_intervals(self, day_starts_at: int) -> int:
        """Work out Anki's interval and last interval (cards.anki_days) of the standing
        reviews that lack them (logged before schema 5, or replayed since), as an export
        would from the log; how many were filled. Rows already filled stay as they are."""
        from cards.anki_days import interval_of

        missing = {rid for (rid,) in self.db.execute(_LACKING_INTERVALS)}
        if not missing:
            return 0
        interval = interval_of(day_starts_at)
        filled = [
            (interval(after, due, at), interval(before, due_before, last_before), rid)
            for rid, _, _, _, at, before, due_before, last_before, after, due in self.review_rows()
            if rid in missing
        ]
        with self._transaction():
            self.db.executemany(
                "UPDATE revlog SET ivl = ?, last_ivl = ? WHERE id = ? AND ivl IS NULL", filled
            )
        return len(filled)

    def reviews_as_kept(self) -> bool:
        """Whether every standing review holds its intervals and sound values, and ids
        are in time order (the clock never went back): then a bulk reader may copy the
        rows as they are, their ids as the reviews' times (a ms later, where answers
        came within one ms)."""
        (bad,) = self.db.execute(_NOT_AS_KEPT).fetchone()
        return not bad

    def today_counts(
        self, day_start: datetime, day_end: datetime | None = None, starts_at: int | None = None
    ) -> tuple[dict[str, int], dict[str, int], set[str]]:
        """(new cards started, reviews, each by deck id; keys answered) in [day_start,
        day_end): answers logged later (the clock was ahead then) do not count today.
        Reviews are answers to review cards and, given the day's `starts_at`, to learning
        cards whose step had run past a rollover (Anki's interday learning, which counts
        as a review: rslib scheduler/answering/mod.rs, update_deck_stats_from_answer)."""
        start, end = to_ms(day_start), _FAR if day_end is None else to_ms(day_end)
        # ids are >= the rows' times: the day's rows are at or after id `start`; for a
        # learning card, the due and last review it had (the standing row before)
        rows = self.db.execute(_TODAY_ANSWERS, (start, start, end)).fetchall()
        zone = day_zone(day_start)
        new: dict[str, int] = {}
        review: dict[str, int] = {}
        for key, state, due, last in rows:
            if state == NEW:
                done = new
            elif state == 2 or (
                starts_at is not None and due is not None
                and interday_learning(from_ms(due), from_ms(last), starts_at, zone)
            ):  # fmt: skip
                done = review
            else:
                continue
            deck = key.split("/", 1)[0]
            done[deck] = done.get(deck, 0) + 1
        return new, review, {row[0] for row in rows}

    # -- writing: each call is one transaction -------------------------------

    def record(
        self,
        before: CardState,
        after: CardState,
        rating: Rating,
        time: datetime,
        duration_ms: int,
        day_starts_at: int = 4,
    ) -> Review:
        """Save an answer whose new state is worked out already: the card's new state and
        a review log row, atomically. (A session's answer is answer().) `day_starts_at`:
        the study day's first hour, for the intervals Anki's revlog keeps."""
        with self._transaction():
            return self._record(before, after, rating, time, duration_ms, day_starts_at)

    def answer(
        self,
        key: str,
        rating: Rating,
        time: datetime,
        duration_ms: int,
        schedule: Callable[[CardState], CardState],
        day_starts_at: int = 4,
        leech: tuple[int, bool] | None = None,
    ) -> Review:
        """Save an answer to card `key`: its state is read under the write lock and
        `schedule(state)` gives the new one, so an answer from another process in between
        is built on, never overwritten. `leech`: (threshold, suspend): a lapse that makes
        the card a leech (is_leech) tags its note "leech" and, if `suspend`, suspends the
        card, in the same transaction (Review.leech says so)."""
        with self._transaction():
            before = self.get(key)
            review = self._record(before, schedule(before), rating, time, duration_ms,
                                  day_starts_at)  # fmt: skip
            after = review.after
            if leech and after.lapses > before.lapses and is_leech(after.lapses, leech[0]):
                note = "/".join(key.split("/", 2)[:2])
                self.db.execute(
                    "INSERT OR REPLACE INTO note_tags (note, tag, review) VALUES (?, 'leech', ?)",
                    (note, review.id),
                )
                if leech[1]:
                    after = after.with_(suspended=True)
                    self._put(after)
                review = Review(review.id, key, review.time, review.rating, review.duration_ms,
                                review.before, after, leech=True)  # fmt: skip
            return review

    def _record(self, before, after, rating, time, duration_ms, day_starts_at) -> Review:
        from cards.anki_days import interval_of

        card = self._put(after)
        at = to_ms(time)
        was = chain(before)
        if not self._head_is(card, was):  # the card was set outside the log: say so first
            self._log(card, 2, None, None, None, *log_columns(was, at), time=at)
        interval = interval_of(day_starts_at)
        rid = self._log(
            card, 0, int(rating), int(duration_ms), before.state, *log_columns(chain(after), at),
            time=at,
            ivl=interval(after.state, to_ms(after.due), at),
            last_ivl=interval(before.state, to_ms(before.due), to_ms(before.last_review)),
        )  # fmt: skip
        return Review(rid, after.key, time, rating, duration_ms, before, after)

    def _head_is(self, card: int, was: tuple) -> bool:
        """Whether the card's last row that stands leaves it in state `was` (a chain,
        cards.migration3.chain), compared as the row keeps it (a last review at the row's
        own time is NULL there)."""
        row = self.db.execute(_HEAD, (card, _FAR)).fetchone()
        if row is None:
            return was == NEW_CHAIN
        return tuple(row[:8]) == log_columns(was, row[8])

    def _log(
        self,
        card: int,
        kind: int,
        *columns,
        time: int,
        undoes: int | None = None,
        ivl: int | None = None,
        last_ivl: int | None = None,
    ) -> int:
        """Append a log row; its id is `time`, or one more than the last id if that is not
        later (so ids only grow)."""
        (top,) = self.db.execute("SELECT max(id) FROM revlog").fetchone()
        rid = time if top is None or time > top else top + 1
        self.db.execute(
            "INSERT INTO revlog (id, card, kind, rating, duration, before_state, state, step,"
            " stability, difficulty, due, reps, lapses, last_review, time, undoes, ivl,"
            " last_ivl) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (rid, card, kind, *columns, None if time == rid else time, undoes, ivl, last_ivl),
        )
        return rid

    def undo(self, review_id: int, time: datetime) -> Review:
        """Undo review `review_id`: its card gets its state from before the review back,
        and the log gains an undo row. Refused (UndoRefused, nothing written) when that
        review does not stand or its card has changed since (another answer, a bury or a
        suspend, from this process or another)."""
        with self._transaction():
            row = self.db.execute(
                _LOG_SELECT + " WHERE id = ? AND kind = 0"
                " AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = revlog.id)",
                (review_id,),
            ).fetchone()
            if row is None:
                raise UndoRefused("that answer was undone already")
            card = row[1]
            (key,) = self.db.execute("SELECT key FROM cards WHERE id = ?", (card,)).fetchone()
            after, at = _logged(key, row)
            current = self.get(key)
            made_leech = self.db.execute(
                "DELETE FROM note_tags WHERE review = ? RETURNING 1", (review_id,)
            ).fetchone()
            if made_leech and current.suspended:  # (the answer suspended it: a leech)
                current = current.with_(suspended=False)
            if current != after:
                raise UndoRefused("the card has changed since (another answer, bury or suspend)")
            previous = self._previous_row(card, review_id)
            before = _logged(key, previous)[0] if previous else CardState(key)
            self._put(before)
            self._log(card, 1, *(None,) * 11, time=to_ms(time), undoes=review_id)
        return Review(review_id, key, from_ms(at), _RATINGS[row[3]], row[4] or 0, before, after)

    def _previous_row(self, card: int, row_id: int):
        """The card's last log row (_LOG_SELECT) that stands before row `row_id`, or None."""
        return self.db.execute(
            _LOG_SELECT + " WHERE card = ? AND id < ? AND kind IN (0, 2)"
            " AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = revlog.id)"
            " ORDER BY id DESC LIMIT 1",
            (card, row_id),
        ).fetchone()

    def undo_last(self, time: datetime, keys: Iterable[str] | None = None) -> Review | None:
        """Undo the latest standing review (of one of `keys`, if given); None if there is
        none."""
        sql = "SELECT max(r.id) FROM reviews r"
        args: list = []
        if keys is not None:
            keys = list(keys)
            sql += f" JOIN cards c ON c.id = r.card WHERE c.key IN ({','.join('?' * len(keys))})"
            args = keys
        (review_id,) = self.db.execute(sql, args).fetchone()
        return None if review_id is None else self.undo(review_id, time)

    def replay_pending(self) -> bool:
        """Whether the states still wait for a replay of the log (migration 2)."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'replay'").fetchone() is not None

    def rewrite_history(self, states: list[CardState], rows: list[tuple[int, CardState]]) -> bool:
        """Replace card states and the state after each review row (id, state), drop the
        rows that set those cards' states outside a review (the replay starts each card
        afresh), and clear the replay mark, in one transaction; False (and nothing
        written) if another process has done it meanwhile."""
        with self._transaction():
            if not self.replay_pending():
                return False
            cards = [self._put(state) for state in states]
            self.db.executemany("DELETE FROM revlog WHERE kind = 2 AND card = ?",
                                [(c,) for c in cards])  # fmt: skip
            times = dict(self.db.execute("SELECT id, ifnull(time, id) FROM revlog WHERE kind = 0"))
            self.db.executemany(
                "UPDATE revlog SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,"
                " reps = ?, lapses = ?, last_review = ?, ivl = NULL, last_ivl = NULL"
                " WHERE id = ?",
                [(*log_columns(chain(after), times[rid]), rid) for rid, after in rows],
            )
            self.db.execute("DELETE FROM meta WHERE key = 'replay'")
        return True

    def review_times(self, keys: Iterable[str] | None = None) -> dict[str, set[int]]:
        """Per card key (of `keys`, if given), the ids and times (ms) of its review rows and
        schedules set by hand: what an export gave Anki as revlog ids, and what an import
        took from it."""
        import json

        out: dict[str, set[int]] = {}
        sql = ("SELECT c.key, r.id, ifnull(r.time, r.id) FROM revlog r JOIN cards c"
               " ON c.id = r.card WHERE (r.kind = 0 OR (r.kind = 2 AND r.rating = 0))")  # fmt: skip
        args: tuple = ()
        if keys is not None:
            sql += " AND c.key IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(keys)),)
        for key, rid, at in self.db.execute(sql, args):
            times = out.setdefault(key, set())
            times.add(rid)
            times.add(at)
        return out

    def merge_reviews(
        self,
        reviews: list[tuple[str, int, int, int]],
        schedule: Callable[[CardState, Rating, datetime], CardState],
        day_starts_at: int = 4,
        suspend: list[str] = (),
    ) -> tuple[int, int]:
        """Merge reviews made elsewhere, (key, time ms, rating, duration ms) each, into the
        log in time order, and suspend cards `suspend`; one transaction. A review whose time
        the card's log has already is left out. Each card touched is replayed from its
        first merged review on: `schedule(state, rating, time)` gives the state after each
        later review, and the card's state is the last one. (merged, cards touched)."""
        from cards.anki_days import interval_of

        interval = interval_of(day_starts_at)
        merged = touched = 0
        if not reviews and not suspend:
            return 0, 0
        with self._transaction():
            known = self.review_times({r[0] for r in reviews})  # (again: under the write lock)
            by_key: dict[str, dict[int, tuple[int, int]]] = {}
            for key, at, rating, duration in reviews:
                if at not in known.get(key, ()):
                    by_key.setdefault(key, {})[at] = (rating, duration)
            taken: set[int] = set()  # ids given to merged rows not inserted yet

            def free_id(at: int) -> int:
                """`at`, or the next ms no row of the log (any card's) has."""
                rid = at
                while (
                    rid in taken
                    or self.db.execute("SELECT 1 FROM revlog WHERE id = ?", (rid,)).fetchone()
                ):
                    rid += 1
                taken.add(rid)
                return rid

            for key, new in by_key.items():
                current = self.get(key)
                card = self._put(current)
                # (id, time, rating, duration, None for a new row / the id it has)
                rows = [(free_id(at), at, rating, duration, None)
                        for at, (rating, duration) in sorted(new.items())]  # fmt: skip
                first = rows[0][0]
                # the card's rows that stand: before the first merged review they stay as
                # they are; from it on a review is worked out again, and a state set
                # outside a review (kind 2) still sets it
                undone = {u for (u,) in self.db.execute(_UNDONE + " AND card = ?", (card,))}
                state = CardState(key)
                for row in self.db.execute(_LOG_SELECT + " WHERE card = ? AND kind IN (0, 2)"
                                           " ORDER BY id", (card,)).fetchall():  # fmt: skip
                    rid, kind = row[0], row[2]
                    if rid in undone:
                        continue
                    if rid < first:
                        state = _logged(key, row)[0]
                    else:
                        after, at = _logged(key, row)
                        rows.append((rid, at, row[3], row[4] or 0, after if kind == 2 else rid))
                for rid, at, rating, duration, old in sorted(rows, key=itemgetter(0)):
                    if isinstance(old, CardState):  # set outside a review: as it was set
                        state = old
                        continue
                    after = schedule(state, Rating(rating), from_ms(at))
                    columns = log_columns(chain(after), at)
                    ivl = interval(after.state, to_ms(after.due), at)
                    last_ivl = interval(state.state, to_ms(state.due), to_ms(state.last_review))
                    if old is None:
                        self.db.execute(
                            "INSERT INTO revlog (id, card, kind, rating, duration, before_state,"
                            " state, step, stability, difficulty, due, reps, lapses, last_review,"
                            " time, ivl, last_ivl) VALUES (?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            (rid, card, rating, duration, state.state, *columns,
                             None if rid == at else at, ivl, last_ivl),
                        )  # fmt: skip
                        merged += 1
                    else:
                        self.db.execute(
                            "UPDATE revlog SET before_state = ?, state = ?, step = ?,"
                            " stability = ?, difficulty = ?, due = ?, reps = ?, lapses = ?,"
                            " last_review = ?, ivl = ?, last_ivl = ? WHERE id = ?",
                            (state.state, *columns, ivl, last_ivl, old),
                        )
                    state = after
                self._put(state.with_(suspended=current.suspended,
                                      buried_until=current.buried_until))  # fmt: skip
                touched += 1
            for key in suspend:
                current = self.get(key)
                if not current.suspended:
                    self._put(current.with_(suspended=True))
                    touched += key not in by_key
        return merged, touched

    def set_memory(self, memory: list[tuple[str, float, float]], save=None) -> None:
        """Set cards' stability and difficulty, (key, stability, difficulty) each, leaving
        the rest of their state (due dates too) and the log as they are; one transaction.
        `save()`, if given, runs inside it: if it fails, nothing is written."""
        with self._transaction():
            self.db.executemany(
                "UPDATE cards SET stability = ?, difficulty = ? WHERE key = ?",
                [(stab, diff, key) for key, stab, diff in memory],
            )
            if save is not None:
                save()

    # -- flags and the app's own tags ------------------------------------------------

    def flags(self) -> dict[str, int]:
        """Card key -> its flag (1-7), for the flagged cards."""
        return dict(self.db.execute("SELECT key, flag FROM flags"))

    def flag_of(self, key: str) -> int:
        row = self.db.execute("SELECT flag FROM flags WHERE key = ?", (key,)).fetchone()
        return row[0] if row else 0

    def tags_of(self, note: str) -> set[str]:
        """The tags the app gave note `note`."""
        return {t for (t,) in self.db.execute("SELECT tag FROM note_tags WHERE note = ?", (note,))}

    def set_flag(self, key: str, flag: int) -> None:
        """Flag a card 1-7 (Anki's red, orange, green, blue, pink, turquoise, purple), or
        take its flag off (0)."""
        with self._transaction():
            self._set_flag(key, flag)

    def set_flags(self, flags: dict[str, int]) -> None:
        """set_flag for many cards (key -> flag), in one transaction."""
        with self._transaction():
            for key, flag in flags.items():
                self._set_flag(key, flag)

    def _set_flag(self, key: str, flag: int) -> None:
        if not 0 <= flag <= 7:
            raise ValueError(f"flag {flag}: 0 to 7")
        if flag:
            self.db.execute("INSERT OR REPLACE INTO flags VALUES (?, ?)", (key, flag))
        else:
            self.db.execute("DELETE FROM flags WHERE key = ?", (key,))

    def toggle_flag(self, key: str, flag: int) -> int:
        """Flag the card `flag`, or take its flag off if it has that one (as Anki's flag
        keys do); the flag it has now."""
        with self._transaction():
            now = 0 if self.flag_of(key) == flag else flag
            self._set_flag(key, now)
        return now

    def toggle_note_tag(self, note: str, tag: str) -> bool:
        """Give note `note` the app's tag `tag` ("marked"), or take it off; whether it
        has it now."""
        with self._transaction():
            on = tag not in self.tags_of(note)
            self._set_note_tag(note, tag, on)
        return on

    def note_tags(self) -> dict[str, set[str]]:
        """Note key -> the tags the app gave it (marked, leech), beside its deck's."""
        out: dict[str, set[str]] = {}
        for note, tag in self.db.execute("SELECT note, tag FROM note_tags"):
            out.setdefault(note, set()).add(tag)
        return out

    def set_note_tag(self, note: str, tag: str, on: bool) -> None:
        with self._transaction():
            self._set_note_tag(note, tag, on)

    def _set_note_tag(self, note: str, tag: str, on: bool) -> None:
        if on:
            self.db.execute("INSERT OR IGNORE INTO note_tags (note, tag) VALUES (?, ?)",
                            (note, tag))  # fmt: skip
        else:
            self.db.execute("DELETE FROM note_tags WHERE note = ? AND tag = ?", (note, tag))

    def log_cram(self, key: str, rating: Rating, time: datetime, duration_ms: int) -> int:
        """Log an answer given in cram mode (kind 3): the card's state is not touched, and
        nothing that schedules (the state chain, FSRS's training items, today's counts,
        the export) reads these rows. The row's id."""
        with self._transaction():
            state = self.get(key)
            card = self._card_ids.get(key) or self._put(state)
            at = to_ms(time)
            return self._log(card, 3, int(rating), int(duration_ms), state.state,
                             *log_columns(chain(state), at), time=at)  # fmt: skip

    def undo_cram(self, row_id: int, time: datetime) -> None:
        """Undo a cram answer (an undo row); UndoRefused when it does not stand."""
        with self._transaction():
            row = self.db.execute(
                "SELECT 1 FROM revlog WHERE id = ? AND kind = 3"
                " AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = revlog.id)",
                (row_id,),
            ).fetchone()
            if row is None:
                raise UndoRefused("that answer was undone already")
            (card,) = self.db.execute("SELECT card FROM revlog WHERE id = ?", (row_id,)).fetchone()
            self._log(card, 1, *(None,) * 11, time=to_ms(time), undoes=row_id)

    def cram_answers(self, key: str | None = None) -> list[tuple[str, datetime, Rating, int]]:
        """Cram answers that stand: (key, time, rating, duration ms), oldest first."""
        sql = (
            "SELECT c.key, ifnull(r.time, r.id), r.rating, ifnull(r.duration, 0) FROM revlog r"
            f" JOIN cards c ON c.id = r.card WHERE r.kind = 3 AND {_STANDS}"
        )
        args: tuple = ()
        if key is not None:
            sql, args = sql + " AND c.key = ?", (key,)
        return [
            (k, from_ms(t), _RATINGS[r], d)
            for k, t, r, d in self.db.execute(sql + " ORDER BY r.id", args)
        ]

    def extend_limits(self, day: date, scope: str, new: int, reviews: int) -> None:
        """Raise today's limits, as Anki's custom study does: `new` more new cards and
        `reviews` more reviews on study day `day`, for deck `scope` (a deck id) or for the
        collection ("*"). Kept in meta as extend:DAY:SCOPE; other days' are dropped."""
        name = f"extend:{day.isoformat()}:{scope}"
        with self._transaction():
            self.db.execute("DELETE FROM meta WHERE key GLOB 'extend:*' AND key NOT GLOB ?",
                            (f"extend:{day.isoformat()}:*",))  # fmt: skip
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
            had = tuple(map(int, row[0].split())) if row else (0, 0)
            value = f"{had[0] + new} {had[1] + reviews}"
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (name, value))

    def extensions(self, day: date) -> dict[str, tuple[int, int]]:
        """What extend_limits() raised on study day `day`: scope -> (new, reviews)."""
        prefix = f"extend:{day.isoformat()}:"
        out = {}
        for key, value in self.db.execute(
            "SELECT key, value FROM meta WHERE key GLOB ?", (prefix + "*",)
        ):
            try:
                new, reviews = map(int, value.split())
            except ValueError:
                continue  # (a damaged row raises nothing: it is only lost)
            out[key[len(prefix) :]] = (new, reviews)
        return out

    def set_suspended(self, key: str, suspended: bool) -> CardState:
        with self._transaction():
            state = self.get(key).with_(suspended=suspended)
            self._put(state)
        return state

    def set_suspensions(self, suspended: dict[str, bool]) -> None:
        """Suspend cards or take their suspension back (key -> suspended), in one
        transaction."""
        with self._transaction():
            for key, on in suspended.items():
                self._put(self.get(key).with_(suspended=on))

    def bury(self, key: str, until: date | None) -> CardState:
        with self._transaction():
            state = self.get(key).with_(buried_until=until)
            self._put(state)
        return state

    def set_by_hand(self, states: Iterable[CardState], time: datetime) -> list[int]:
        """Give cards schedules set by hand (cards.manual: Forget, Set due date), in one
        transaction: each card's state, and a log row saying so (kind 2, rating 0, as Anki
        logs these with button 0), so the review history stays whole and replays through
        it. The rows' ids, for undo_by_hand."""
        at = to_ms(time)
        out = []
        with self._transaction():
            for state in states:
                card = self._put(state)
                out.append(self._log(card, 2, 0, None, None, *log_columns(chain(state), at),
                                     time=at))  # fmt: skip
        return out

    def undo_by_hand(self, row_ids: Iterable[int], time: datetime) -> list[str]:
        """Take back set_by_hand's rows: each card gets the state its log had before the
        row (its suspension and burying as they are now), and the log an undo row naming
        it, all in one transaction. Refused (UndoRefused, nothing written) if a row was
        undone already or its card has changed since. The cards' keys."""
        at = to_ms(time)
        keys = []
        with self._transaction():
            for rid in row_ids:
                row = self.db.execute(
                    _LOG_SELECT + " WHERE id = ? AND kind = 2 AND rating = 0"
                    " AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = revlog.id)",
                    (rid,),
                ).fetchone()
                if row is None:
                    raise UndoRefused("that was undone already")
                card = row[1]
                (key,) = self.db.execute("SELECT key FROM cards WHERE id = ?", (card,)).fetchone()
                current = self.get(key)
                time_of_row = row[13] if row[13] is not None else rid
                if tuple(row[5:13]) != _row_columns(current, time_of_row):
                    raise UndoRefused("the card has changed since (an answer or another change)")
                previous = self._previous_row(card, rid)
                before = _logged(key, previous)[0] if previous else CardState(key)
                if (
                    previous is not None
                    and previous[2] == 2
                    and previous[12] is None
                    and previous[10] == 0
                ):  # a set row of a card never reviewed
                    before = before.with_(last_review=None)
                self._put(before.with_(suspended=current.suspended,
                                       buried_until=current.buried_until))  # fmt: skip
                self._log(card, 1, *(None,) * 11, time=at, undoes=rid)
                keys.append(key)
        return keys

    def _put(self, s: CardState) -> int:
        """Write the card's state (its number stays: the log refers to it); its number."""
        self.db.execute(  # a new card gets the next number
            f"INSERT INTO cards (id, {_COLUMNS}) VALUES"
            " ((SELECT ifnull(max(id), 0) + 1 FROM cards),?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (key) DO UPDATE SET state = excluded.state, step = excluded.step,"
            " stability = excluded.stability, difficulty = excluded.difficulty,"
            " due = excluded.due, last_review = excluded.last_review, reps = excluded.reps,"
            " lapses = excluded.lapses, suspended = excluded.suspended,"
            " buried_until = excluded.buried_until",
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
        ids = self._card_ids
        card = ids.get(s.key)
        if card is None:
            (card,) = self.db.execute("SELECT id FROM cards WHERE key = ?", (s.key,)).fetchone()
            ids[s.key] = card
        return card

    def _transaction(self):
        return _Transaction(self.db, self._committed, self._write_lock)

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (Ctrl+C included). Taking the
    write lock first means what is read inside is still true when it is written. SQLite
    errors leave as WriteFailed, the transaction rolled back."""

    def __init__(self, db: sqlite3.Connection, committed=None, lock=None):
        self.db = db
        self.committed = committed
        self.lock = lock if lock is not None else contextlib.nullcontext()

    def __enter__(self):
        self.lock.__enter__()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except BaseException as e:
            self.lock.__exit__(None, None, None)
            if isinstance(e, sqlite3.Error):
                raise _write_failed(e) from None
            raise

    def __exit__(self, exc_type, exc, tb):
        try:
            return self._end(exc_type, exc)
        finally:
            self.lock.__exit__(None, None, None)

    def _end(self, exc_type, exc) -> bool:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise _write_failed(e) from None
            if self.committed is not None:
                self.committed()
            return False
        self._rollback()
        if isinstance(exc, sqlite3.Error):
            raise _write_failed(exc) from None
        return False

    def _rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may have rolled back already (a full disk)
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # nothing was committed; the connection starts afresh next time


_OPEN_TIMEOUT = 30.0  # seconds
_FAR = 2**62  # ms: after any time
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _code(e: sqlite3.Error) -> int:
    return (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code


def _write_failed(e: sqlite3.Error) -> WriteFailed:
    code = _code(e)
    if code in _BUSY:
        return WriteFailed("the collection is locked by another process", busy=True)
    if code == sqlite3.SQLITE_FULL or "disk is full" in str(e):
        return WriteFailed("the disk is full", full=True)
    if code == sqlite3.SQLITE_READONLY:
        return WriteFailed("the collection is read-only")
    return WriteFailed(f"the collection could not be written ({e})")


def _open_problem(path: Path, e: BaseException) -> str:
    """Why `path` cannot be opened, in the user's terms."""
    home = path.parent
    if home.exists() and not home.is_dir():
        return f"{home} is a file, not a folder"
    if isinstance(e, OSError) and e.strerror:
        return f"{e.strerror} ({e.filename or home})"
    if home.is_dir() and not os.access(home, os.W_OK | os.X_OK):
        return f"the folder {home} is not writable"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"{path.name} is not readable and writable by you"
    return str(e)


_CHECKPOINT_EVERY = 32  # commits (an answer writes ~11 WAL pages)
_WAL_SAFETY_PAGES = 1000


class _Checkpointer:
    """A daemon thread with its own connection that runs PASSIVE checkpoints when woken:
    they never block the writer, and their copying and fsync happen off the answer path."""

    def __init__(self, path: Path):
        self.path = path
        self.wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="heartcards-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            while True:
                self.wake.wait()
                self.wake.clear()
                if self._stopping:
                    return
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass
        finally:
            db.close()

    def stop(self) -> None:
        self._stopping = True
        self.wake.set()
        self._thread.join(timeout=10)


def _state(row) -> CardState:
    key, state, step, stab, diff, due, last, reps, lapses, susp, buried = row
    try:
        if state not in (0, 1, 2, 3):
            raise ValueError(f"state {state!r}")
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
    except (ValueError, TypeError, OverflowError, OSError) as e:
        raise StoreError(
            f"the collection's row for card {key!r} is damaged ({_why(e)}){_RESCUE}"
        ) from None


_RATINGS = {int(r): r for r in Rating}
_NO_BEFORE = (None, None)
_STATES = frozenset((0, 1, 2, 3))

# Today's answers (Store.today_counts): key, state before, and for a learning card the due
# and last review it had then (the standing row before; last review NULL: that row's time).
_TODAY_ANSWERS = """
SELECT c.key, r.before_state, p.due, coalesce(p.last_review, p.time, p.id)
FROM reviews r JOIN cards c ON c.id = r.card
LEFT JOIN revlog p ON r.before_state IN (1, 3) AND p.id = (
    SELECT max(q.id) FROM revlog AS q WHERE q.card = r.card AND q.id < r.id
    AND q.kind IN (0, 2) AND NOT EXISTS (SELECT 1 FROM revlog AS u WHERE u.undoes = q.id))
WHERE r.id >= ? AND ifnull(r.time, r.id) >= ? AND ifnull(r.time, r.id) < ?
"""
# A log row: id, card, kind, rating, duration, then the state after it.
_LOG_SELECT = (
    "SELECT id, card, kind, rating, duration, state, step, stability, difficulty, due, reps,"
    " lapses, last_review, time FROM revlog"
)
_UNDONE = "SELECT undoes FROM revlog WHERE undoes IS NOT NULL"
_STANDS = "NOT EXISTS (SELECT 1 FROM revlog AS u WHERE u.undoes = r.id)"
_LACKING_INTERVALS = f"SELECT id FROM revlog AS r WHERE kind = 0 AND ivl IS NULL AND {_STANDS}"
# A review's time is its id unless the id had to be bumped: answers within one ms (a
# fixed clock, a script), or the clock set back. Only the last makes ids leave time order:
# an earlier row (id < r.id, so id > r.time as an id is never below its time) is later.
_CLOCK_BACK = (
    "(r.time IS NOT NULL AND EXISTS (SELECT 1 FROM revlog AS p WHERE p.id > r.time"
    " AND p.id < r.id AND ifnull(p.time, p.id) > r.time))"
)
_NOT_AS_KEPT = (  # (BETWEEN and CAST: half the time of IN and typeof())
    "SELECT EXISTS (SELECT 1 FROM revlog AS r WHERE kind = 0 AND (ivl IS NULL"
    " OR last_ivl IS NULL OR NOT (rating BETWEEN 1 AND 4"
    " AND state BETWEEN 0 AND 3 AND before_state BETWEEN 0 AND 3"
    " AND ivl = CAST(ivl AS INTEGER) AND last_ivl = CAST(last_ivl AS INTEGER)"
    " AND ifnull(due, 0) = CAST(ifnull(due, 0) AS INTEGER)"
    f" AND ifnull(duration, 0) = CAST(ifnull(duration, 0) AS INTEGER)) OR {_CLOCK_BACK})"
    f" AND {_STANDS})"
)
_HEAD = (
    "SELECT state, step, stability, difficulty, due, reps, lapses, last_review,"
    " ifnull(time, id) FROM revlog WHERE card = ? AND id < ? AND kind IN (0, 2)"
    " AND NOT EXISTS (SELECT 1 FROM revlog u WHERE u.undoes = revlog.id)"
    " ORDER BY id DESC LIMIT 1"
)


def _row_columns(state: CardState, at: int) -> tuple:
    """The state columns of a log row at time `at` (ms) that leaves a card in `state`."""
    return log_columns(chain(state), at)


def _logged(key: str, row) -> tuple[CardState, int]:
    """The card state after a log row (_LOG_SELECT), and the row's time in ms."""
    rid, _, _, _, _, state, step, stab, diff, due, reps, lapses, last, time = row
    if time is None:
        time = rid
    if state not in (0, 1, 2, 3):
        raise ValueError(f"state {state!r}")
    s = CardState(key, state, step, stab, diff, from_ms(due),
                  from_ms(time if last is None else last), reps, lapses)  # fmt: skip
    return s, time


# what decoding a damaged row raises
_DAMAGE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError)


def _damaged_review(rid, e: Exception) -> StoreError:
    return StoreError(f"the collection's review log row {rid} is damaged ({_why(e)}){_RESCUE}")


def _why(e: Exception) -> str:
    import json

    if isinstance(e, KeyError):
        return f"unknown value {e.args[0]!r}"
    if isinstance(e, json.JSONDecodeError):
        return "a state that is not JSON"
    if isinstance(e, TypeError):
        return "a value of the wrong type"
    return str(e)


_RESCUE = "; restore a backup, or move the collection aside to start afresh"
