"""The mirror: an Anki collection in <home>/sync that holds our decks as Anki has them, so
that Anki's own sync carries them (cards.sync). This module writes our cards' schedules,
flags and review log into it, with plain SQL while Anki has it closed, marking each row
it changes as Anki marks a local change (usn -1, mod now), so the next sync sends it.

Card columns are the export's (cards.anki._card_schedule), with days counted from the
mirror's own creation day (its crt), which may be another device's after a download.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from cards.anki import (
    _INITIAL_EASE,
    _QUEUE_BURIED,
    _QUEUE_SUSPENDED,
    _REVLOG_TYPE,
    _by_hand_revlog,
    _card_schedule,
    _revlog,
)
from cards.anki_days import local_days
from cards.config import Settings
from cards.days import study_day
from cards.model import card_key, deck_of
from cards.state import LEARNING

_TIMESTAMPS = 1_000_000_000  # a card's due above this is a time (s), below it a day


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    # Anki's tables compare some names with its own collation; none of the rows written
    # here need it, but SQLite wants it known to open them
    db.create_collation(
        "unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())
    )
    return db


def cards_of(db: sqlite3.Connection, guid_keys: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Our card keys -> the mirror's card ids (by note GUID and ordinal)."""
    out = {}
    for cid, guid, ord_ in db.execute(
        "SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid"
    ):
        note = guid_keys.get(guid)
        if note is not None:
            out[card_key(*note, ord_ + 1)] = cid
    return out


def push(
    db: sqlite3.Connection,
    guid_keys,
    store,
    settings: Settings,
    now: datetime,
    today: int,
    since: int = 0,
    also: set[str] = frozenset(),
) -> int:
    """Bring the mirror's copies of our cards to our schedules, flags and review log, in
    one transaction; the number of rows changed (0: nothing to send). `today`: the
    mirror's day number now (Anki's sched.today); `since`: the last of our log's rows the
    mirror has had (only later reviews are looked for); `also`: cards to compare whatever
    their log says (those a merge replayed)."""
    from cards.scheduler import parameters

    stamp, usn = int(now.timestamp()), -1
    cid_by_key = cards_of(db, guid_keys)
    day = local_days(settings.day_starts_at)
    ours_today = day(now.timestamp())
    study_today = study_day(now, settings.day_starts_at)
    have = {cid: row[1:] for row in db.execute(
        "SELECT id, type, queue, due, ivl, factor, reps, lapses, left, data, flags FROM cards"
    ) for cid in (row[0],)}  # fmt: skip
    flags = store.flags()
    if since:  # only the cards that may differ: logged since, or hidden or flagged anew
        maybe = store.keys_logged_since(since) | set(also)
        for key, suspended, buried in store.hidden():
            cid = cid_by_key.get(key)
            if cid is None or cid not in have:
                continue
            queue, flag = have[cid][1], have[cid][9]
            hidden = (_QUEUE_SUSPENDED if suspended else
                      _QUEUE_BURIED if buried and buried > study_today.isoformat() else None)  # fmt: skip
            if hidden != (queue if queue < 0 else None):
                maybe.add(key)
        flagged = set(flags) | {k for k, cid in cid_by_key.items() if have.get(cid, (0,) * 10)[9]}
        maybe |= {k for k in flagged if k in cid_by_key
                  and have.get(cid_by_key[k], (0,) * 10)[9] != flags.get(k, 0)}  # fmt: skip
        wanted = [k for k in maybe if k in cid_by_key]
    else:
        wanted = cid_by_key
    decays: dict[str, tuple] = {}
    changes = []
    for key, st in store.states(wanted).items():
        cid = cid_by_key[key]
        current = have.get(cid)
        if current is None:
            continue
        flag = flags.get(key, 0)
        if st.is_new or st.due is None or st.last_review is None:
            queue = (
                _QUEUE_SUSPENDED
                if st.suspended
                else (_QUEUE_BURIED if st.buried_until and st.buried_until > study_today else 0)
            )
            if current[0] == 0:  # new there too: its position and the rest stay
                want = (0, queue, *current[2:5], st.reps, st.lapses, *current[7:9], flag)
            else:  # forgotten here
                want = (0, queue, 0, 0, 0, st.reps, st.lapses, 0, "", flag)
        else:
            deck = deck_of(key)
            own = decays.get(deck)
            if own is None:
                mine = settings.for_deck(deck)
                own = decays[deck] = (mine, parameters(mine)[20])
            kind, queue, due, ivl, factor, reps, lapses, left, data = _card_schedule(
                st, own[0], ours_today, day, own[1]
            )
            if due < _TIMESTAMPS:  # days from today (not a learning step's time): Anki's day
                due += today
            if st.buried_until and st.buried_until > study_today and not st.suspended:
                queue = _QUEUE_BURIED
            want = (kind, queue, due, ivl, factor, reps, lapses, left, data, flag)
        if tuple(current) != want:
            changes.append((*want, stamp, usn, cid))
    numbers = store.card_numbers()
    cid_by_number = {numbers[k]: cid for k, cid in cid_by_key.items() if k in numbers}
    kept = store.kept_review_rows(since)
    if all(r[3] is not None and r[4] is not None for r in kept):  # (Anki's intervals in each)
        revlog = [
            (rid, cid_by_number[card], rating, ivl, last_ivl,
             0 if state == LEARNING else _INITIAL_EASE, max(0, min(duration, 2**31 - 1)),
             _REVLOG_TYPE[before])
            for rid, card, rating, ivl, last_ivl, state, duration, before in kept
            if card in cid_by_number
        ]  # fmt: skip
    else:
        revlog = [r for r in _revlog(store.review_rows(), cid_by_number, settings.day_starts_at)
                  if r[0] > since]  # fmt: skip
    manual = _by_hand_revlog(store.by_hand_rows(since), cid_by_number, settings.day_starts_at)
    if revlog or manual:
        wanted = [r[0] for r in revlog + manual]
        known = {rid for (rid,) in db.execute(
            "SELECT id FROM revlog WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(wanted),))}  # fmt: skip
        revlog = [r for r in revlog if r[0] not in known]
        manual = [r for r in manual if r[0] not in known]
    if not changes and not revlog and not manual:
        return 0
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
            " lapses = ?, left = ?, data = ?, flags = ?, mod = ?, usn = ? WHERE id = ?",
            changes,
        )
        db.executemany(f"INSERT INTO revlog VALUES (?, ?, {usn}, ?, ?, ?, ?, ?, ?)", revlog)
        db.executemany(f"INSERT INTO revlog VALUES (?, ?, {usn}, ?, ?, ?, ?, 0, 4)", manual)
        db.execute("UPDATE col SET mod = ?", (int(time.time() * 1000),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return len(changes) + len(revlog) + len(manual)
