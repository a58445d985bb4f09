"""The Anki bridge against a real collection (issue 13): exports that never damage it.

Each test imports heartcards' exports into a fresh collection of Anki's own engine with the
import dialog's default options (no "Merge note types", "Update notes: if newer"), as a user
who follows the README does, and checks what Anki then has.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from cards import anki as hc_anki
from cards.anki import export_apkg
from cards.config import Settings
from cards.days import day_start, study_day, today_bounds
from cards.session import Session
from cards.state import Rating
from cards.store import Store
from tests.conftest import FIXTURE_DECKS, TZ, Clock
from tests.test_export import deck, import_apkg, notes_by_guid

pytest.importorskip("anki.collection")


def with_fields(d, note_id, **fields):
    """Deck `d` with note `note_id`'s fields changed."""
    notes = tuple(
        n.replace(fields={**n.fields, **fields}) if n.id == note_id else n for n in d.notes
    )
    return d.replace(notes=notes)


def heartcards_note_types(col) -> dict[str, dict]:
    col.models._clear_cache()  # (an import changes them behind the Python cache's back)
    return {
        nt.name: col.models.get(nt.id)
        for nt in col.models.all_names_and_ids()
        if nt.name.startswith("heartcards")
    }


def card_history(col, card) -> tuple:
    rows = col.db.all("SELECT id, ease, ivl, type FROM revlog WHERE cid = ? ORDER BY id", card.id)
    return card.reps, card.type, card.queue, card.due, tuple(map(tuple, rows))


def test_reverse_on_then_off_is_a_field_edit(tmp_path, col):
    """Acceptance 1: reverse on, then off, each export imported with Anki's defaults: no
    conflicts, `heartcards: Basic` keeps its two templates, Check Database adds no card,
    and the note's first card keeps its history."""
    d = deck(FIXTURE_DECKS / "basics.toml")
    clock = Clock(datetime.now(TZ) - timedelta(minutes=30))
    store = Store.open(tmp_path / "home")
    session = Session(store, d.cards, Settings(), clock)
    capital = next(c for c in d.cards if c.key == "basics/capital")
    session.answer(capital, Rating.GOOD, duration_ms=3000)
    export_apkg([d], tmp_path / "0.apkg", store=store, scheduling=True, now=clock())
    log = import_apkg(col, tmp_path / "0.apkg", scheduling=True)
    assert len(log.new) == len(d.notes) and not log.conflicting
    guid = hc_anki.note_guid("basics/capital")
    first = notes_by_guid(col)[guid].cards()[0]
    first.start_timer()
    col.sched.answerCard(first, 3)  # studied in Anki too: that history must stay
    history = card_history(col, col.get_card(first.id))
    assert history[0] == 2 and len(history[-1]) == 2
    basic = heartcards_note_types(col)["heartcards: Basic"]
    templates = [(t["name"], t["qfmt"], t["afmt"]) for t in basic["tmpls"]]
    fields = [f["name"] for f in basic["flds"]]
    cards = col.card_count()

    for step, reverse in enumerate((True, False), start=1):
        clock.advance(minutes=1)
        out = tmp_path / f"{step}.apkg"
        export_apkg([with_fields(d, "capital", reverse=reverse)], out, store=store, now=clock())
        log = import_apkg(col, out)
        assert not log.conflicting and not log.new
        assert [n.fields[0] for n in log.updated] == ["What does FSRS stand for?"]
        types = heartcards_note_types(col)
        assert "heartcards: Basic+" not in types and len(types) == 4  # no copy was made
        basic = types["heartcards: Basic"]
        assert [(t["name"], t["qfmt"], t["afmt"]) for t in basic["tmpls"]] == templates
        assert [f["name"] for f in basic["flds"]] == fields
        note = notes_by_guid(col)[guid]
        assert note["Add Reverse"] == ("y" if reverse else "")
        if reverse:  # the reverse card arrives with the update
            cards += 1
            assert sorted(c.ord for c in note.cards()) == [0, 1]
        col.fix_integrity()  # Check Database
        assert col.card_count() == cards
        assert card_history(col, col.get_card(first.id)) == history
    store.close()
    # every other basic note still has its one card (the reverse template stays empty)
    for n in d.notes:
        if n.kind == "basic" and not n.fields.get("reverse") and n.id != "capital":
            assert len(notes_by_guid(col)[hc_anki.note_guid(f"basics/{n.id}")].cards()) == 1


def test_unchanged_notes_are_not_updated_and_edits_in_anki_survive(tmp_path, col):
    """Acceptance 2: export, import, export again unchanged, import: 0 updated; edit one
    note, export, import: exactly 1 updated, and an edit made in Anki to another note
    survives. Exports a second apart or in the same second behave alike."""
    d = deck(FIXTURE_DECKS / "basics.toml")
    store = Store.open(tmp_path / "home")
    now = datetime.now(TZ)
    export_apkg([d], tmp_path / "1.apkg", store=store, now=now)
    assert len(import_apkg(col, tmp_path / "1.apkg").new) == len(d.notes)

    export_apkg([d], tmp_path / "2.apkg", store=store, now=now)
    log = import_apkg(col, tmp_path / "2.apkg")
    assert (len(log.updated), len(log.new), len(log.conflicting)) == (0, 0, 0)
    assert len(log.duplicate) == len(d.notes)

    # an edit in Anki, then an edit in the deck file of another note, exported at once
    by_guid = notes_by_guid(col)
    pair = by_guid[hc_anki.note_guid("basics/pair")]
    pair["Back"] = "Withdraw (edited in Anki)"
    col.update_note(pair)
    for step, back in enumerate(("Free Spaced Repetition Scheduler!", "FSRS, edited twice")):
        edited = with_fields(d, "capital", back=back)
        out = tmp_path / f"edit{step}.apkg"
        export_apkg([edited], out, store=store, now=now)  # same second as the first
        log = import_apkg(col, out)
        assert [n.fields[1] for n in log.updated] == [back] and not log.conflicting
        by_guid = notes_by_guid(col)
        assert by_guid[hc_anki.note_guid("basics/capital")]["Back"] == back
        assert by_guid[hc_anki.note_guid("basics/pair")]["Back"] == "Withdraw (edited in Anki)"
    # the note types are unchanged too: Anki keeps them as they are
    mods = {nt["name"]: nt["mod"] for nt in heartcards_note_types(col).values()}
    export_apkg([edited], tmp_path / "again.apkg", store=store, now=now + timedelta(days=1))
    import_apkg(col, tmp_path / "again.apkg")
    assert {nt["name"]: nt["mod"] for nt in heartcards_note_types(col).values()} == mods
    store.close()


# -- 3. buried cards and the deck options preset --------------------------------------------


def study(session: Session, clock: Clock, rng, answers: int, step=timedelta(seconds=40)) -> None:
    """Up to `answers` answers of whatever the session shows, `step` apart."""
    for _ in range(answers):
        card = session.next_card()
        if card is None:
            return
        session.answer(card, Rating(rng.choice((1, 2, 3, 3, 3, 4))), duration_ms=5000)
        clock.now += step


def test_buried_cards_and_the_preset_give_ankis_queue_ours(tmp_path, col):
    """Acceptance 3: a buried card and a buried sibling arrive buried; the preset carries
    our retention, steps and limits, and Anki's queue then holds the same cards as ours,
    with the same counts, at the same moment."""
    import random

    from anki.cards import Card as AnkiCard

    from tests.test_export import shipped_decks

    decks = shipped_decks()
    cards = [c for d in decks for c in d.cards]
    settings = Settings(
        desired_retention=0.85,
        learning_steps=("2m", "15m"),
        relearning_steps=("5m",),
        new_per_day=12,
        reviews_per_day=150,
    )
    rng = random.Random(13)
    now = datetime.now().astimezone()  # Anki's engine runs on the real clock
    today = study_day(now, settings.day_starts_at)
    clock = Clock(now)
    store = Store.open(tmp_path / "home")
    for back in range(9, 0, -1):  # nine days of study, a day's last steps left for the next
        # at noon of each study day: a session that drifted from the time of day `now` has
        # could cross a 4 am rollover and give two sessions one study day
        clock.now = day_start(today - timedelta(days=back), settings.day_starts_at, None)
        clock.advance(hours=8)
        study(Session(store, cards, settings, clock), clock, rng, 60)
    # today's first answers: in the 8 minutes before now, or since the rollover if later
    gap = min(timedelta(minutes=8), (now - day_start(today, settings.day_starts_at, None)) * 0.9)
    clock.now = now - gap
    step = gap / 12  # 9 answers and a bury
    session = Session(store, cards, settings, clock)
    study(session, clock, rng, 6, step=step)
    # today: a card of a two-card note answered (its sibling is buried), one buried by hand
    pairs = {}
    for c in cards:
        pairs.setdefault(c.note_key, []).append(c)
    first, sibling = next(p for p in pairs.values() if len(p) == 2 and
                          all(store.get(c.key).state in (0, 2) for c in p))  # fmt: skip
    session.answer(first, Rating.GOOD, duration_ms=4000)
    by_hand = session.next_card()
    session.bury(by_hand)
    session.answer(session.next_card(), Rating.AGAIN, duration_ms=9000)  # back in 2 min
    clock.now = now
    session = Session(store, cards, settings, clock)
    ours = session.queue()
    counts = session.counts()
    assert counts[1] and counts[2]  # learning and reviews today, as in real use
    export_apkg(decks, tmp_path / "s.apkg", store=store, scheduling=True, settings=settings,
                now=now)  # fmt: skip
    store.close()

    col.set_config("fsrs", True)  # (a collection setting in Anki, not a preset's)
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "s.apkg"),
                                                     options=options))  # fmt: skip
    by_guid = notes_by_guid(col)

    def anki_card(card):
        note = by_guid[hc_anki.note_guid(card.note_key)]
        return next(c for c in note.cards() if c.ord == card.ord - 1)

    assert anki_card(sibling).queue == -2  # buried by the scheduler, till tomorrow
    assert anki_card(by_hand).queue == -3  # buried by the user
    for d in decks:
        conf = col.decks.config_dict_for_deck_id(col.decks.id_for_name(f"heartcards::{d.name}"))
        assert conf["name"] == "heartcards" and conf["desiredRetention"] == pytest.approx(0.85)
        assert conf["new"]["delays"] == [2, 15] and conf["lapse"]["delays"] == [5]
        assert (conf["new"]["perDay"], conf["rev"]["perDay"]) == (12, 150)

    col.decks.select(col.decks.id_for_name("heartcards"))
    assert col.sched.counts() == counts
    queued = col.sched.get_queued_cards(fetch_limit=1000)
    key_of = {(hc_anki.note_guid(c.note_key), c.ord - 1): c.key for c in cards}
    theirs: dict[int, set] = {0: set(), 1: set(), 2: set(), 3: set()}
    for q in queued.cards:
        card = AnkiCard(col, backend_card=q.card)
        theirs[card.queue].add(key_of[(card.note().guid, card.ord)])
    assert theirs[2] == {c.key for c in ours.review}  # the same reviews due
    assert theirs[1] | theirs[3] == {c.key for c in [*ours.learning, *ours.ahead]}
    assert len(theirs[0]) == len(ours.new)


def test_upgrade_from_a_0_1_export_with_merge_note_types(tmp_path, col):
    """The README's one-time upgrade: a collection that imported a heartcards 0.1 export
    (two basic note types), then a new export imported once with "Merge note types" and
    "Update notes: always" (merging rewrites the notes of the note types it changes, which
    makes them newer than the export): no conflicts, one Basic note type left, every note
    as the export has it, the reversed note with both cards and their history; the next
    import, with Anki's defaults, updates nothing."""
    from anki.import_export_pb2 import (
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
        ImportAnkiPackageUpdateCondition,
    )

    from tests.test_export import EXPORT_FIXTURES

    import_apkg(col, EXPORT_FIXTURES / "basics-0.1.apkg", scheduling=True)
    assert "heartcards: Basic (and reversed card)" in heartcards_note_types(col)
    pair = notes_by_guid(col)[hc_anki.note_guid("basics/pair")]
    before = {c.ord: card_history(col, c) for c in pair.cards()}
    assert len(before) == 2 and all(h[0] == 1 for h in before.values())

    d = deck(FIXTURE_DECKS / "basics.toml")
    store = Store.open(tmp_path / "home")
    export_apkg([d], tmp_path / "new.apkg", store=store)
    time.sleep(1.1)  # imported later than exported, as in real use (times are in seconds)
    if_newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    always = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
    options = ImportAnkiPackageOptions(
        merge_notetypes=True, update_notes=always, update_notetypes=if_newer
    )
    req = ImportAnkiPackageRequest(package_path=str(tmp_path / "new.apkg"), options=options)
    log = col.import_anki_package(req).log
    assert not log.conflicting and not log.new and len(log.updated) == len(d.notes)
    types = heartcards_note_types(col)
    assert "heartcards: Basic (and reversed card)" not in types and len(types) == 4
    by_guid = notes_by_guid(col)
    for n in d.notes:  # every note as exported, in its one note type
        assert by_guid[hc_anki.note_guid(f"basics/{n.id}")].fields == hc_anki.note_fields(
            n, hc_anki._DeckFields(d)
        )
    pair = by_guid[hc_anki.note_guid("basics/pair")]
    assert pair.note_type()["name"] == "heartcards: Basic" and pair["Add Reverse"] == "y"
    after = {c.ord: card_history(col, c) for c in pair.cards()}
    assert {o: h[-1] for o, h in after.items()} == {o: h[-1] for o, h in before.items()}
    assert [t["name"] for t in types["heartcards: Basic"]["tmpls"]] == ["Card 1", "Card 2"]
    col.fix_integrity()
    assert col.card_count() == len(d.cards)

    export_apkg([d], tmp_path / "next.apkg", store=store)
    log = import_apkg(col, tmp_path / "next.apkg")
    assert (len(log.updated), len(log.conflicting), len(log.new)) == (0, 0, 0)
    store.close()


def test_todays_counts_travel_as_todays_limits(tmp_path, col):
    """New cards and reviews done today in the terminal (and a limit raised by custom
    study) arrive as each deck's "today only" limits: Anki's counts are ours, for all our
    decks and for each deck studied today, though Anki counts a day's cards only from its
    own answers."""
    import random

    from tests.test_export import shipped_decks

    decks = shipped_decks()
    cards = [c for d in decks for c in d.cards]
    settings = Settings(new_per_day=9, reviews_per_day=40, learning_steps=("2m",))
    rng = random.Random(21)
    now = datetime.now().astimezone()  # Anki's engine runs on the real clock
    today = study_day(now, settings.day_starts_at)
    clock = Clock(now)
    store = Store.open(tmp_path / "home")
    for back in (3, 2, 1):  # at noon of each study day
        clock.now = day_start(today - timedelta(days=back), settings.day_starts_at, None)
        clock.advance(hours=8)
        study(Session(store, cards, settings, clock), clock, rng, 30)
    start = day_start(today, settings.day_starts_at, None)
    clock.now = max(now - timedelta(minutes=30), start + (now - start) / 2)
    store.extend_limits(today, decks[0].id, 2, 0)  # custom study: 2 more new cards there
    study(Session(store, cards, settings, clock), clock, rng, 14, step=(now - clock.now) / 20)
    clock.now = now
    new_done, reviews_done, _ = store.today_counts(*today_bounds(now, settings.day_starts_at))
    assert sum(new_done.values()) and sum(reviews_done.values())  # both kinds done today
    ours = {None: Session(store, cards, settings, clock).counts()}
    for d in decks:
        ours[d.name] = Session(store, list(d.cards), settings, clock).counts()
    export_apkg(decks, tmp_path / "s.apkg", store=store, scheduling=True, settings=settings,
                now=now)  # fmt: skip
    store.close()

    col.set_config("fsrs", True)
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "s.apkg"),
                                                     options=options))  # fmt: skip
    for name, counts in ours.items():
        col.decks.select(col.decks.id_for_name(f"heartcards::{name}" if name else "heartcards"))
        assert col.sched.counts() == counts, name
