"""Per-deck settings ([decks.ID] in config.toml): a deck's own limits, retention, steps and
parameters, for its cards only; the limits as Anki's v3 scheduler applies them, checked in
Anki's engine on the same collection."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

import pytest

from cards import config, scheduler
from cards.anki import export_apkg
from cards.config import ConfigError, Settings
from cards.days import day_start, study_day
from cards.library import load_library
from cards.session import Session
from cards.state import Rating
from cards.store import Store
from tests.conftest import Clock


def shipped():
    lib = load_library(builtin=True)
    return lib.decks, lib


def session(store, lib, settings, clock, decks=None):
    return Session(store, lib.cards(decks), settings, clock)


def test_a_deck_table_is_read_checked_and_written(tmp_path):
    (tmp_path / "config.toml").write_text(
        "new_per_day = 30\n[decks.advice]\nnew_per_day = 5\ndesired_retention = 0.8\n"
    )
    s = config.load(tmp_path)
    advice = s.for_deck("advice")
    assert (advice.new_per_day, advice.desired_retention, advice.reviews_per_day) == (5, 0.8, 200)
    assert s.for_deck("reasons") is s and s.for_deck("advice") is advice
    assert config.lookup(s, "decks.reasons.new_per_day") == 30

    s = config.set_value(tmp_path, "decks.reasons.learning_steps", '["2m"]')
    assert s.for_deck("reasons").learning_steps == ("2m",) and s.for_deck("advice") == advice
    s = config.set_value(tmp_path, "decks.advice.new_per_day", "default")
    assert s.for_deck("advice").new_per_day == 30
    assert config.load(tmp_path) == s
    for text, message in (
        ("[decks.advice]\nnew_per_day = -1\n", "decks.advice.new_per_day: a whole number"),
        ("[decks.advice]\nday_starts_at = 3\n", "decks.advice.day_starts_at: not a deck setting"),
        ("[decks.Advice]\nnew_per_day = 3\n", "decks.Advice: not a deck id"),
        ("decks = 1\n", "decks: tables like [decks.advice]"),
    ):
        (tmp_path / "config.toml").write_text(text)
        with pytest.raises(ConfigError, match=re.escape(message)):
            config.load(tmp_path)


def test_each_deck_has_its_own_limit_and_all_decks_the_collections(store, clock):
    decks, lib = shipped()
    settings = Settings(decks={"advice": {"new_per_day": 5}})
    advice = session(store, lib, settings, clock, ["advice"])
    assert advice.counts() == (5, 0, 0)
    everything = session(store, lib, settings, clock)
    queued = everything.queue().new
    assert len(queued) == 20 and sum(c.deck_id == "advice" for c in queued) <= 5
    # five new advice cards today: advice is done for new cards, the others are not
    for _ in range(5):
        advice.answer(advice.next_card(), Rating.EASY)
    assert advice.counts()[0] == 0 and advice.held().new
    held = advice.held()
    assert (held.new_done, held.new_limit) == (5, 5)
    reasons = session(store, lib, settings, clock, ["reasons"])
    assert reasons.counts()[0] == 20 and reasons.held().new_done == 0
    everything = session(store, lib, settings, clock)
    assert everything.counts()[0] == 15  # the collection's 20, five used
    assert not any(c.deck_id == "advice" for c in everything.queue().new)


def test_a_decks_retention_steps_and_parameters_schedule_its_cards_only(store, clock):
    decks, lib = shipped()
    fitted = tuple(p * 1.1 if i < 4 else p for i, p in enumerate(scheduler.parameters()))
    fitted = (*fitted[:20], 0.3)  # a decay of its own too
    own = {"desired_retention": 0.8, "learning_steps": ["3m"], "fsrs_params": list(fitted)}
    settings = Settings(decks={"advice": config.validate_deck("advice", own)})
    s = session(store, lib, settings, clock)
    by_deck = {}
    for card in lib.cards():
        by_deck.setdefault(card.deck_id, card)
    a, r = by_deck["advice"], by_deck["reasons"]
    assert s.intervals(a)[Rating.AGAIN] == timedelta(minutes=3)
    assert s.intervals(r)[Rating.AGAIN] == timedelta(minutes=1)
    s.answer(a, Rating.GOOD)
    s.answer(r, Rating.GOOD)
    sa, sr = store.get(a.key), store.get(r.key)
    assert sa.stability == pytest.approx(fitted[2], rel=1e-5)  # Good's initial stability
    assert sr.stability == pytest.approx(scheduler.parameters()[2], rel=1e-5)
    later = clock() + timedelta(days=3)
    ra = scheduler.retrievability(settings.for_deck("advice"), sa, later)
    assert ra != scheduler.retrievability(settings, sa, later)


def test_deck_limits_equal_ankis_for_the_same_collection(tmp_path, col):
    """Exported with its presets (one per deck with settings of its own) and imported into
    Anki's engine: each deck's counts and those of the parent deck (all our decks) are
    Anki's, with a deck's new limit below the collection's, a review limit that also caps
    new cards, and reviews due."""
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    decks, lib = shipped()
    settings = Settings(
        new_per_day=12,
        reviews_per_day=40,
        decks={
            "advice": {"new_per_day": 3},
            "reasons": {"reviews_per_day": 6, "new_per_day": 9},
            "scenarios": {"desired_retention": 0.85},
        },
    )
    rng = random.Random(5)
    now = datetime.now().astimezone()  # Anki's engine runs on the real clock
    today = study_day(now, settings.day_starts_at)
    clock = Clock(now)
    store = Store.open(tmp_path / "home")
    history = Settings(new_per_day=3, reviews_per_day=9999)  # a few weeks' reviews first
    for back in range(12, 6, -1):
        # at noon of each study day (interday learning has its own test, in
        # test_counts_parity.py)
        clock.now = day_start(today - timedelta(days=back), settings.day_starts_at, None)
        clock.advance(hours=8)
        for d in decks:
            s = session(store, lib, history, clock, [d.id])
            while (card := s.next_card()) is not None:
                s.answer(card, Rating(rng.choice((1, 3, 3, 3, 4))))
                clock.advance(seconds=20)
    clock.now = now
    ours = {d.id: session(store, lib, settings, clock, [d.id]).counts() for d in decks}
    ours_all = session(store, lib, settings, clock).counts()
    print(ours, ours_all)
    assert ours["reasons"][2] == 6 and ours["advice"][0] == 3  # the limits are in play
    assert ours_all[2] == 40 or sum(c[2] for c in ours.values()) < 40
    path = tmp_path / "s.apkg"
    export_apkg(decks, path, store=store, scheduling=True, settings=settings, now=now)
    store.close()

    col.set_config("fsrs", True)
    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))
    for d in decks:
        did = col.decks.id_for_name(f"heartcards::{d.name}")
        conf = col.decks.config_dict_for_deck_id(did)
        own = settings.for_deck(d.id)
        assert (conf["new"]["perDay"], conf["rev"]["perDay"]) == (
            own.new_per_day,
            own.reviews_per_day,
        )
        assert conf["desiredRetention"] == pytest.approx(own.desired_retention)
        assert conf["name"] == ("heartcards" if own is settings else f"heartcards: {d.name}")
        col.decks.select(did)
        assert tuple(col.sched.counts()) == ours[d.id], d.id
    col.decks.select(col.decks.id_for_name("heartcards"))
    assert tuple(col.sched.counts()) == ours_all
