"""The same synthetic collection in Anki's own engine (the `anki` package), as a reference.

Anki creates the collection (schema, note types, deck config); notes, cards and the
review log are then written in bulk with sqlite3 while the collection is closed, card
for card the schedule of bench.gen.plan(): same cards, same siblings, same due dates,
same FSRS memory state, same 10 reviews per card. FSRS is on, and the limits and
sibling burying match heartcards' (bench.gen.CONFIG, bury_siblings).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path

from bench.gen import DAY_MS, plan
from cards.days import study_day

DECAY = 0.1542  # FSRS-6 default w[20], as Anki writes it into cards.data


def _note_groups(keys: list[str]) -> list[list[int]]:
    """Consecutive card indices that belong to one note (DECK/NOTE and DECK/NOTE/N)."""
    groups: list[list[int]] = []
    last = None
    for i, key in enumerate(keys):
        note = key if key.count("/") == 1 else key.rsplit("/", 1)[0]
        if note != last:
            groups.append([])
            last = note
        groups[-1].append(i)
    return groups


def make(path: Path, keys: list[str], now: datetime, reviews: int = 10) -> Path:
    """Write an Anki collection equal to bench.gen.make(..., keys, now) at `path`."""
    from anki.collection import Collection

    path.parent.mkdir(parents=True, exist_ok=True)
    col = Collection(str(path))
    col.set_config("fsrs", True)
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["perDay"] = 20
    conf["rev"]["perDay"] = 9999
    conf["new"]["bury"] = True
    conf["rev"]["bury"] = True
    col.decks.update_config(conf)
    basic = col.models.by_name("Basic")["id"]
    reverse = col.models.by_name("Basic (and reversed card)")["id"]
    today = col.sched.today
    rollover = col.get_config("rollover", 4)
    col.close(downgrade=False)

    day_now = study_day(now, rollover)
    base = int(now.timestamp() * 1000) - 10 * 365 * DAY_MS  # ids: unique ms stamps
    planned = list(plan(keys, now, reviews))
    notes, cards, revlog = [], [], []
    used_ids: set[int] = set()
    card_id = base
    for n, group in enumerate(_note_groups(keys)):
        nid = base + n
        front = f"front of {keys[group[0]]}"
        csum = int(hashlib.sha1(front.encode()).hexdigest()[:8], 16)
        mid = reverse if len(group) > 1 else basic
        notes.append((nid, f"g{n}", mid, 0, -1, "", f"{front}\x1fback", front, csum, 0, ""))
        for ord_, i in enumerate(group):
            p = planned[i]
            card_id += 1
            last = p.times[-1]
            ivl = max(1, round((p.due - last) / DAY_MS))
            due_day = today + (study_day(datetime.fromtimestamp(p.due / 1000).astimezone(),
                                         rollover) - day_now).days  # fmt: skip
            data = json.dumps(
                {"s": p.stability, "d": p.difficulty, "dr": 0.9, "decay": DECAY,
                 "lrt": last // 1000}, separators=(",", ":"),
            )  # fmt: skip
            cards.append(
                (card_id, nid, 1, ord_, 0, -1, 2, 2, due_day, ivl, 2500, len(p.times), p.lapses,
                 0, 0, 0, 0, data)
            )  # fmt: skip
            prev_ivl = 0
            for k, (t, r) in enumerate(zip(p.times, p.ratings, strict=True)):
                rid = t
                while rid in used_ids:
                    rid += 1
                used_ids.add(rid)
                nxt = p.times[k + 1] if k + 1 < len(p.times) else p.due
                this_ivl = max(1, round((nxt - t) / DAY_MS))
                revlog.append(
                    (rid, card_id, -1, r, this_ivl, prev_ivl, 0, 8000, 0 if k == 0 else 1)
                )
                prev_ivl = this_ivl
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
    db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
    db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path
