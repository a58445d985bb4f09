"""Our scheduler against Anki's engine on random review histories, in one time zone.

    TZ=Europe/Berlin python -m tests.anki_diff --cards 170 --seed 1

Run by tests/test_anki_parity.py once per time zone (a process each: both we and Anki's
engine read the zone when they start). For every card: a random history made with our
scheduler, ending now (random hours of the day, same-day repeats, lapses, long gaps,
learning steps left overnight, Hard and Easy on new cards); the collection exported with
--scheduling and imported into a fresh collection of Anki's engine, FSRS on, Anki's fuzz off
(ANKI_TEST_MODE=1) and ours off. Then, at the same moment:
- the four button intervals Anki offers (get_scheduling_states) against ours;
- Anki's memory state recomputed from the revlog alone (compute_memory_state, the card's
  stored state wiped) against ours.
With --fitted, both schedule with parameters of one's own (the deck options preset carries
them to Anki). Prints one JSON object: counts and the first mismatches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cards import scheduler
from cards.anki import export_apkg, note_guid
from cards.config import Settings
from cards.days import study_day
from cards.deckfile import parse
from cards.state import LEARNING, NEW, RELEARNING, STATE_NAMES, Rating
from cards.store import Store

STARTS_AT = 4


def deck_text(n: int) -> str:
    notes = "".join(
        f'\n[[notes]]\nid = "n{i:04d}"\nkind = "basic"\nfront = "Q{i}"\nback = "A{i}"\n'
        for i in range(n)
    )
    return f'format = 1\n\n[deck]\nid = "diff"\nname = "Diff"\n{notes}'


def history(rng: random.Random, zone: ZoneInfo, now: datetime, dst: bool) -> list[tuple]:
    """Times and ratings of one card's reviews, oldest first, all before `now`."""
    start = now - timedelta(days=rng.randint(3, 150), hours=rng.random() * 24)
    moments, t = [], start
    for _ in range(rng.randint(1, 14)):
        gap = rng.random()
        if gap < 0.3:  # a learning step, or a same-day repeat
            t += timedelta(minutes=rng.choice([1, 5, 10, 30, 90, 300]))
        elif gap < 0.55:  # the next morning or evening: across the rollover
            t += timedelta(hours=rng.uniform(6, 30))
        elif gap < 0.9:
            t += timedelta(days=rng.uniform(1, 20))
        else:  # a long break
            t += timedelta(days=rng.uniform(30, 120))
        if t >= now - timedelta(minutes=1):
            break
        local = t.astimezone(zone)
        if dst and 3 <= local.hour < 5:
            # Anki recomputes the days of old reviews from today's rollover: an hour from
            # the rollover, across a DST change, it counts a neighbouring day (DESIGN.md).
            # In whole seconds: 05:00:00.5 in summer is 04:00:00 by a winter clock, the
            # rollover itself, which it counts as the day before. So: past that second.
            t += timedelta(hours=2, seconds=1)
            if t >= now - timedelta(minutes=1):
                break
        moments.append(t)
    weights = (0.15, 0.15, 0.55, 0.15)
    return [(m, Rating(rng.choices((1, 2, 3, 4), weights)[0])) for m in moments]


def anki_interval(state) -> tuple[str, int]:
    """("learn", seconds) or ("review", days) of one of Anki's scheduling states."""
    normal = state.normal
    kind = normal.WhichOneof("kind")
    if kind == "learning":
        return "learn", normal.learning.scheduled_secs
    if kind == "relearning":
        return "learn", normal.relearning.learning.scheduled_secs
    if kind == "review":
        return "review", normal.review.scheduled_days
    return kind, -1


def our_interval(settings: Settings, st, rating: Rating, now: datetime) -> tuple[str, int]:
    after = scheduler.review(settings, st, rating, now)
    if after.state in (LEARNING, RELEARNING):
        return "learn", round((after.due - now).total_seconds())
    due = after.due.astimezone(now.tzinfo)
    return "review", (study_day(due, STARTS_AT) - study_day(now, STARTS_AT)).days


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--cards", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--fitted", action="store_true", help="parameters of one's own, not the defaults"
    )
    args = p.parse_args()
    zone_name = os.environ.get("TZ", "UTC")
    zone = ZoneInfo(zone_name)
    dst = zone.utcoffset(datetime(2026, 1, 15)) != zone.utcoffset(datetime(2026, 7, 15))
    rng = random.Random(args.seed)
    settings = Settings(fuzz=False, day_starts_at=STARTS_AT)
    if args.fitted:  # as `heartcards optimize` sets them; Anki gets them in the preset
        from tests.fsrs_history import TRUTH

        settings = Settings(fuzz=False, day_starts_at=STARTS_AT, fsrs_params=TRUTH)
    deck, errors = parse(deck_text(args.cards))
    assert not errors, errors
    out = {"zone": zone_name, "cards": 0, "reviews": 0, "memory": 0, "intervals": 0, "states": {}}
    mismatches: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = Store.open(tmp / "home")
        now = datetime.now(zone)
        answers = []  # (time, before, after, rating) of every card, logged in time order
        for card in deck.cards:
            st = store.get(card.key)
            for moment, rating in history(rng, zone, now, dst):
                after = scheduler.review(settings, st, rating, moment)
                answers.append((moment, st, after, rating))
                st = after
        for moment, before, after, rating in sorted(answers, key=lambda a: a[0]):
            store.record(before, after, rating, moment, 1000, STARTS_AT)
        out["reviews"] = len(answers)
        states = store.states()
        export_apkg(
            [deck], tmp / "d.apkg", store=store, scheduling=True, settings=settings, now=now
        )
        store.close()

        from anki.collection import Collection
        from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        (tmp / "anki").mkdir()
        col = Collection(str(tmp / "anki" / "c.anki2"))
        col.set_config("fsrs", True)
        options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(tmp / "d.apkg"), options=options)
        )
        notes = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}
        anki_cards = {}
        for card in deck.cards:
            st = states.get(card.key)
            if st is None or st.state == NEW:
                continue
            anki_cards[card.key] = notes[note_guid(card.note_key)].cards()[0]
        # the buttons, at one moment for both
        moment = datetime.now(zone)
        for key, ac in anki_cards.items():
            out["cards"] += 1
            name = STATE_NAMES[states[key].state]
            out["states"][name] = out["states"].get(name, 0) + 1
            theirs = col._backend.get_scheduling_states(ac.id)
            st = states[key]
            for rating, name in zip(Rating, ("again", "hard", "good", "easy"), strict=True):
                a = anki_interval(getattr(theirs, name))
                o = our_interval(settings, st, rating, moment)
                if a != o:
                    out["intervals"] += 1
                    mismatches.append(
                        {"key": key, "rating": name, "anki": a, "ours": o, "state": st.state}
                    )
        # the memory, recomputed by Anki from the revlog alone
        col.db.execute("UPDATE cards SET data = ''")
        for key, ac in anki_cards.items():
            st = states[key]
            memory = col.compute_memory_state(ac.id)
            ds = abs(memory.stability - st.stability) / st.stability
            dd = abs(memory.difficulty - st.difficulty)
            if ds > 1e-4 or dd > 1e-3:
                out["memory"] += 1
                mismatches.append(
                    {"key": key, "anki": [memory.stability, memory.difficulty],
                     "ours": [st.stability, st.difficulty]}
                )  # fmt: skip
        col.close()
    out["first"] = mismatches[:8]
    out["seconds"] = round(time.process_time(), 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
