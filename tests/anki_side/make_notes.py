"""Notes of Anki's own stock note types, studied in Anki's engine and exported with
scheduling, for tests/test_anki_decks.py; run in a process of its own with
ANKI_TEST_MODE=1 (no fuzz: read once per process).

    python make_notes.py COLLECTION OUT.apkg ANSWERS [LEGACY.apkg]

Prints, as JSON, every card as Anki then has it, by "GUID/ORD"."""

import json
import random
import sys
from datetime import datetime, timedelta

import anki.collection  # (before anki.cards: anki imports its modules in this order)
from anki.collection import Collection, ExportAnkiPackageOptions

path, out, answers = sys.argv[1], sys.argv[2], int(sys.argv[3])
col = Collection(path)
col.set_config("fsrs", True)
verbs = col.decks.id("Spanish::Verbs")
places = col.decks.id("Geography")


def add(model: str, deck: int, tags: str = "", **fields) -> None:
    note = col.new_note(col.models.by_name(model))
    for name, value in fields.items():
        note[name.replace("_", " ")] = value
    note.tags = tags.split()
    col.add_note(note, deck)


add("Basic", verbs, "verbs regular", Front="<b>hablar</b>", Back="to speak<br>(regular, -ar)")
add("Basic", verbs, Front="comer&nbsp;&amp; beber", Back="<div>to eat</div><div>and drink</div>")
add("Basic (and reversed card)", verbs, "verbs", Front="ser", Back="to be <i>(lasting)</i>")
add("Basic (optional reversed card)", verbs, Front="ir", Back="to go", Add_Reverse="y")
add("Basic (optional reversed card)", verbs, Front="venir", Back="to come")
add("Basic (type in the answer)", verbs, Front="tener", Back="to have")
add(
    "Cloze",
    places,
    "capitals",
    Text="{{c1::Madrid}} is the capital of {{c2::Spain}}.",
    Back_Extra="<i>since 1561</i>",
)
add("Cloze", places, Text='Lisbon <img src="lisbon.jpg"> is on the {{c1::Tagus::river}}.')
add("Basic", places, Front="[sound:hola.mp3]Where is Porto?", Back="Portugal")

# a note type heartcards has no kind for: three cards
three = col.models.copy(col.models.by_name("Basic (and reversed card)"))
three["name"] = "Three ways"
template = col.models.new_template("Card 3")
template["qfmt"], template["afmt"] = "{{Front}} / {{Back}}", "{{FrontSide}}"
col.models.add_template(three, template)
col.models.update_dict(three)
add("Three ways", places, Front="north", Back="norte")

rng = random.Random(7)
for deck in (verbs, places):
    col.decks.select(deck)
    for _ in range(answers):
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            break
        card = anki.cards.Card(col, backend_card=queued.cards[0].card)
        card.start_timer()
        rating = rng.choice((1, 3, 3, 4))
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.cards[0].states, rating=rating - 1)
        )
col.sched.suspend_cards([col.find_cards("venir")[0]])
# Anki's day (rollover at 4 am local), as our study day: not the calendar date, which
# differs between midnight and 4 am
ANKI_TODAY = (datetime.now() - timedelta(hours=4)).date()
state = {}
for cid in col.find_cards(""):
    card = col.get_card(cid)
    due_date = None
    if card.type == 2:  # due in days
        due_date = (ANKI_TODAY + timedelta(days=card.due - col.sched.today)).isoformat()
    state[f"{card.note().guid}/{card.ord}"] = {
        "reps": card.reps,
        "lapses": card.lapses,
        "type": card.type,
        "queue": card.queue,
        "due": card.due,
        "due_date": due_date,
    }
for target, legacy in ((out, False), *(((sys.argv[4], True),) if len(sys.argv) > 4 else ())):
    col.export_anki_package(
        out_path=target,
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=legacy
        ),
        limit=None,
    )
col.close()
print(json.dumps(state))
