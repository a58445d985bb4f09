"""Synthetic collections: deck TOML files plus a store with review history, in bulk.

`make(root, n_cards)` writes, under `root`:
  decks/synth-NN.toml   decks of up to 10,000 cards each (a mix of every note kind)
  home/collection.sqlite3
                        every card in review (or relearning) state, with `reviews`
                        review-log rows per card, written with executemany in one
                        transaction (not through Session.answer: 1M rows take seconds)
  home/config.toml      the limits the benchmarks use

The schedule is deterministic for a seed: about 6% of the cards are due today or
overdue, the rest spread over the next 40 days. `plan()` yields that schedule so that
bench.anki_ref can write an equal collection into Anki's engine.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cards.model import card_key

DECK_CARDS = 10_000  # cards per generated deck
DAY_MS = 86_400_000

_WORDS = (
    "partner distance silence needs trust attachment anxious avoidant secure space time "
    "repair conflict bid turning toward away withdraw pursue demand boundary honest "
    "feeling safe calm listen respect stress work family friend support research study "
    "evidence claim advice healthy unhealthy depends pattern signal message text call "
    "weekend plan promise change pressure guilt game test jealousy care warmth week "
    "month year morning evening talk argue apologise forgive notice ask answer wait"
).split()


@dataclass
class Synth:
    root: Path
    decks_dir: Path
    home: Path
    keys: list[str]  # every card key, in deck order
    notes: int
    now: datetime

    @property
    def deck_files(self) -> list[Path]:
        return sorted(self.decks_dir.glob("*.toml"))


def _sentences(rng: random.Random, n: int, words: tuple[int, int]) -> list[str]:
    out = []
    for _ in range(n):
        k = rng.randint(*words)
        s = " ".join(rng.choice(_WORDS) for _ in range(k))
        out.append(s[0].upper() + s[1:] + ".")
    return out


def _basic(rng, short, long, a, b, c, reverse=False):
    rev = "reverse = true\n" if reverse else ""
    body = f'kind = "basic"\nfront = "{short[a]}"\nback = "{long[b]}"\n{rev}'
    return body, (1, 2) if reverse else (1,)


def _cloze(rng, short, long, a, b, c):
    w1, w2 = _WORDS[a % len(_WORDS)], _WORDS[b % len(_WORDS)]
    text = f"{short[a][:-1]} {{{{c1::{w1}}}}} and {{{{c2::{w2}::hint}}}}. {long[c]}"
    return f'kind = "cloze"\ntext = "{text}"\n', (1, 2)


def _choice(rng, short, long, a, b, c):
    opts = [short[(a + k) % 500] for k in range(4)]
    options = ", ".join(f'"{o}"' for o in opts)
    body = (
        f'kind = "choice"\nprompt = "{long[b]}"\noptions = [{options}]\n'
        f'answer = "{opts[c % 4]}"\nwhy = "{long[c]}"\n'
    )
    return body, (1,)


def _verdict(rng, short, long, a, b, c):
    verdict = ("healthy", "unhealthy", "depends")[a % 3]
    body = f'kind = "verdict"\nadvice = "{short[a]}"\nverdict = "{verdict}"\nwhy = "{long[b]}"\n'
    return body, (1,)


_TWO_CARDS = ("basic-r", "cloze")
# A note's TOML (after its id, before its source and tags) and its cards' ordinals.
_BODIES = {
    "basic": _basic,
    "basic-r": lambda *args: _basic(*args, reverse=True),
    "cloze": _cloze,
    "choice": _choice,
    "verdict": _verdict,
}


def write_decks(decks_dir: Path, n_cards: int, seed: int = 1) -> tuple[list[str], int]:
    """Write decks totalling exactly `n_cards` cards. Returns (card keys in order, notes)."""
    rng = random.Random(seed)
    short = _sentences(rng, 500, (6, 14))
    long = _sentences(rng, 500, (18, 40))
    decks_dir.mkdir(parents=True, exist_ok=True)
    keys: list[str] = []
    notes = 0
    deck_no = 0
    # 10 notes -> 13 cards: basic x3 (one reversed), cloze x2 (two gaps), choice x3, verdict x2
    pattern = ("basic-r", "choice", "verdict", "cloze", "basic", "choice", "cloze", "verdict",
               "basic", "choice")  # fmt: skip
    while len(keys) < n_cards:
        deck_id = f"synth-{deck_no:02d}"
        deck_no += 1
        target = min(DECK_CARDS, n_cards - len(keys))
        parts = [
            "format = 1\n\n[deck]\n"
            f'id = "{deck_id}"\nname = "Synthetic deck {deck_no}"\n'
            'description = "Generated for the benchmarks."\n\n'
            '[[sources]]\nid = "article"\ntitle = "A popular article"\nauthor = "A. Writer"\n\n'
            '[[sources]]\nid = "study-2014"\ntitle = "A study"\nauthor = "Researcher et al."\n'
            'year = 2014\nvenue = "A Journal"\ndoi = "10.1000/xyz123"\n'
        ]
        made = 0
        i = 0
        while made < target:
            left = target - made
            shape = pattern[i % len(pattern)]
            if left < 2 and shape in _TWO_CARDS:  # room for one card only
                shape = "basic"
            nid = f"n{i:06d}"
            i += 1
            notes += 1
            a, b, c = (rng.randrange(500) for _ in range(3))
            head = f'\n[[notes]]\nid = "{nid}"\n'
            tail = (
                f'source = "article#{i % 7 + 1}"\nevidence = ["study-2014"]\n'
                f'tags = ["t{i % 13}", "synthetic"]\n'
            )
            body, ords = _BODIES[shape](rng, short, long, a, b, c)
            parts.append(f"{head}{body}{tail}")
            keys += [card_key(deck_id, nid, o) for o in ords]
            made += len(ords)
        (decks_dir / f"{deck_id}.toml").write_text("".join(parts), encoding="utf-8")
    return keys, notes


@dataclass(frozen=True)
class Planned:
    """One card's synthetic history: `times` of its reviews (ms), ratings, final state."""

    key: str
    times: tuple[int, ...]
    ratings: tuple[int, ...]
    state: int  # 2 review, 3 relearning
    stability: float
    difficulty: float
    due: int  # ms
    lapses: int


def plan(keys: list[str], now: datetime, reviews: int = 10, seed: int = 2) -> Iterator[Planned]:
    """A deterministic review history for every card, ending in review state."""
    rng = random.Random(seed)
    now_ms = int(now.timestamp() * 1000)
    taken: set[int] = set()  # review times unique to the ms, as real answers are
    for key in keys:
        due_days = rng.uniform(-2.5, 40.0)  # ~6% due today or overdue
        back_days = rng.uniform(1.0, 60.0) + max(0.0, -due_days)  # last review: >= 1 day ago
        interval_ms = int((back_days + due_days) * DAY_MS)
        stability = interval_ms / DAY_MS * rng.uniform(0.85, 1.15)
        due = now_ms + int(due_days * DAY_MS)
        t = due - interval_ms
        times = [t]
        gap = interval_ms
        for _ in range(reviews - 1):
            gap = max(int(gap / 2.3), 60_000)
            t -= gap
            times.append(t)
        times.reverse()
        for i, t in enumerate(times):
            while t in taken:
                t += 1
            taken.add(t)
            times[i] = t
        ratings = tuple(1 if rng.random() < 0.08 else 3 for _ in range(reviews))
        yield Planned(
            key,
            tuple(times),
            ratings,
            2,
            round(stability, 4),
            round(rng.uniform(2.0, 8.0), 4),
            due,
            sum(1 for r in ratings[1:] if r == 1),
        )


def write_store(home: Path, keys: list[str], now: datetime, reviews: int = 10) -> None:
    """Create <home>/collection.sqlite3 through Store (schema, migrations), then bulk-fill it."""
    from cards.anki_days import interval_of
    from cards.store import DB_FILE, Store

    home.mkdir(parents=True, exist_ok=True)
    Store.open(home).close()
    db = sqlite3.connect(home / DB_FILE, isolation_level=None)
    # Bulk load: no journal, no fsync, indexes built once at the end (same SQL as the schema).
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-200000")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'revlog'"
        " AND sql IS NOT NULL"
    ).fetchall()
    db.execute("BEGIN")
    for name, _ in indexes:
        db.execute(f"DROP INDEX {name}")
    planned = list(plan(keys, now, reviews))
    db.executemany(
        "INSERT INTO cards (id, key, state, step, stability, difficulty, due, last_review, reps,"
        " lapses) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (card, p.key, p.state, None, p.stability, p.difficulty, p.due, p.times[-1],
             len(p.times), p.lapses)
            for card, p in enumerate(planned, 1)
        ],
    )  # fmt: skip
    log_rows = []
    interval = interval_of(4)  # Anki's intervals, as the store keeps them with each review
    for card, p in enumerate(planned, 1):
        lapses, n, times, last_ivl = 0, len(p.times), p.times, 0
        for i, r in enumerate(p.ratings):
            lapses += i > 0 and r == 1
            due = p.due if i == n - 1 else times[i + 1]
            stability = round(p.stability * (i + 1) / n, 4)
            ivl = interval(2, due, times[i])
            # (time, card, rating, duration, state before, then the state after)
            log_rows.append((times[i], card, r, 8000, 0 if i == 0 else 2,
                             2, None, stability, p.difficulty, due, i + 1, lapses, ivl,
                             last_ivl))  # fmt: skip
            last_ivl = ivl
    log_rows.sort()
    rows, last = [], 0
    for t, *rest in log_rows:  # ids are times in ms, made unique as the store makes them
        last = max(t, last + 1)
        rows.append((last, *rest, None if t == last else t))
    db.executemany(
        "INSERT INTO revlog (id, card, kind, rating, duration, before_state, state, step,"
        " stability, difficulty, due, reps, lapses, ivl, last_ivl, time)"
        " VALUES (?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


CONFIG = "reviews_per_day = 9999\nnew_per_day = 20\n"


def make(root: Path, n_cards: int, now: datetime | None = None, reviews: int = 10) -> Synth:
    now = (now or datetime.now().astimezone()).replace(microsecond=0)
    decks_dir = root / "decks"
    home = root / "home"
    keys, notes = write_decks(decks_dir, n_cards)
    write_store(home, keys, now, reviews)
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    return Synth(root, decks_dir, home, keys, notes, now)
