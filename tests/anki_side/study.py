"""One day of study in Anki's own engine, run by tests/test_anki_import.py in a process of
its own (under faketime, to move Anki's clock; ANKI_TEST_MODE=1: no fuzz).

    python study.py COLLECTION DAY ANSWERS [--import PACKAGE] [--export OUT] [--seed N]

Imports PACKAGE first (with scheduling and deck presets, FSRS on), answers ANSWERS cards
of the "heartcards" deck as they come (seeded ratings), exports the whole collection with
scheduling to OUT, and prints, as JSON, every card answered so far (this day or an earlier
one) as Anki then has them."""

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import anki.collection  # (before anki.cards: anki imports its modules in this order)
from anki.collection import Collection, ExportAnkiPackageOptions
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

p = argparse.ArgumentParser()
p.add_argument("collection")
p.add_argument("day", type=int)
p.add_argument("answers", type=int)
p.add_argument("--import", dest="package")
p.add_argument("--export")
p.add_argument("--seed", type=int, default=0)
args = p.parse_args()

col = Collection(args.collection)
if args.package:
    col.set_config("fsrs", True)
    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=args.package, options=options))
col.decks.select(col.decks.id_for_name("heartcards"))
rng = random.Random(args.seed * 100 + args.day)
answered = []
for _ in range(args.answers):
    queued = col.sched.get_queued_cards()
    if not queued.cards:
        break
    card = anki.cards.Card(col, backend_card=queued.cards[0].card)
    card.start_timer()
    rating = rng.choice((1, 3, 3, 3, 4))
    col.sched.answer_card(
        col.sched.build_answer(card=card, states=queued.cards[0].states, rating=rating - 1)
    )
    answered.append(card.id)
seen = Path(args.collection + ".answered.json")  # every card answered here, day by day
answered = sorted(set(answered) | set(json.loads(seen.read_text()) if seen.exists() else []))
seen.write_text(json.dumps(answered))
# Anki's day (rollover at 4 am local), as our study day: not the calendar date, which
# differs between midnight and 4 am
today = (datetime.now() - timedelta(hours=4)).date()
out = {}
for cid in answered:
    card = col.get_card(cid)
    due_date = None
    if card.queue in (2, 3) or card.type == 2:  # due in days
        due_date = (today + timedelta(days=card.due - col.sched.today)).isoformat()
    out[f"{card.note().guid}/{card.ord}"] = {
        "reps": card.reps,
        "lapses": card.lapses,
        "type": card.type,
        "queue": card.queue,
        "due": card.due,
        "due_date": due_date,
    }
if args.export:
    col.export_anki_package(
        out_path=args.export,
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
        ),
        limit=None,
    )
col.close()
print(json.dumps(out))
