"""Anki export, checked in Anki's own engine: every package is imported into a fresh
collection of the `anki` package, and what arrived is compared with the decks."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cards import anki as hc_anki
from cards.anki import export_apkg
from cards.config import Settings
from cards.days import study_day
from cards.deckfile import load as load_deck
from cards.library import builtin_decks_dir, load_library
from cards.model import Deck
from cards.session import Session
from cards.state import LEARNING, RELEARNING, REVIEW, Rating
from cards.store import Store
from tests.conftest import FIXTURE_DECKS, FIXTURES, TZ, Clock

anki_collection = pytest.importorskip("anki.collection")
from anki.import_export_pb2 import (  # noqa: E402
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
)

EXPORT_FIXTURES = FIXTURES / "export"


# -- helpers ------------------------------------------------------------------------------


def import_apkg(col, path: Path, *, scheduling: bool = False):
    """Import as Anki's import dialog does by default ("update notes: if newer")."""
    if_newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    options = ImportAnkiPackageOptions(
        with_scheduling=scheduling, update_notes=if_newer, update_notetypes=if_newer
    )
    req = ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(req).log


def deck(path: Path) -> Deck:
    d, errors = load_deck(path)
    assert not errors, errors
    return d


def shipped_decks() -> list[Deck]:
    lib = load_library(builtin=True)
    assert not lib.errors, lib.errors
    assert lib.decks and Path(builtin_decks_dir()).is_dir()
    return lib.decks


def package_rows(path: Path, sql: str) -> list[tuple]:
    """Rows of the collection inside a package (read-only, without Anki)."""
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def text_of(rendered: str) -> str:
    """What a reader sees on a rendered card: no CSS, no tags, entities decoded."""
    body = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    body = re.sub(r"<br\s*/?>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def squash(s: str) -> str:
    return " ".join(s.split())


def plain(text: str) -> str:
    """Deck text as it reads on a card: emphasis markers gone, whitespace squashed."""
    from cards.text import plain as strip_emphasis

    return squash(strip_emphasis(text))


def notes_by_guid(col) -> dict:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


# -- 1. everything arrives ------------------------------------------------------------------


def test_shipped_decks_arrive_whole_and_render(tmp_path, col):
    decks = shipped_decks()
    out = tmp_path / "all.apkg"
    result = export_apkg(decks, out)
    assert result.path == out and out.is_file()
    n_notes = sum(len(d.notes) for d in decks)
    n_cards = sum(len(d.cards) for d in decks)
    assert (result.notes, result.cards) == (n_notes, n_cards)

    log = import_apkg(col, out)
    assert len(log.new) == n_notes and not log.conflicting and not log.duplicate
    assert col.note_count() == n_notes
    assert col.card_count() == n_cards

    names = {d.name for d in col.decks.all_names_and_ids()}
    assert "heartcards" in names
    for d in decks:
        assert f"heartcards::{d.name}" in names

    anki_notes = notes_by_guid(col)
    kinds_seen = set()
    for d in decks:
        fields = hc_anki._DeckFields(d)
        cards_of = {}
        for c in d.cards:
            cards_of.setdefault(c.note.id, []).append(c)
        for note in d.notes:
            an = anki_notes[hc_anki.note_guid(f"{d.id}/{note.id}")]
            assert list(an.fields) == hc_anki.note_fields(note, fields), note.id
            assert set(note.tags) <= set(an.tags)
            assert f"heartcards::deck::{d.id}" in an.tags
            assert f"heartcards::kind::{note.kind}" in an.tags
            ours = cards_of[note.id]
            theirs = sorted(an.cards(), key=lambda c: c.ord)
            assert [c.ord + 1 for c in theirs] == [c.ord for c in ours]
            for card, anki_card in zip(ours, theirs, strict=True):
                assert col.decks.name(anki_card.did) == f"heartcards::{d.name}"
                kinds_seen.add(an.note_type()["name"])
                _check_rendering(card, anki_card)
    # the shipped decks use every kind (no reverse card: basics.toml covers that one)
    assert {
        "heartcards: Basic",
        "heartcards: Cloze",
        "heartcards: Choice",
        "heartcards: Verdict",
    } <= kinds_seen


def _check_rendering(card, anki_card) -> None:
    """The question and answer Anki renders read as the TUI shows the card."""
    from cards.cloze import answer as cloze_answer
    from cards.kinds.verdict import LABELS as VERDICT_LABELS

    q = squash(text_of(anki_card.question()))
    a = squash(text_of(anki_card.answer()))
    f = card.note.fields
    assert q and a and "{{" not in q and "{{" not in a
    if card.kind == "basic":
        front, back = (f["front"], f["back"]) if card.ord == 1 else (f["back"], f["front"])
        assert plain(front) in q and plain(back) not in q
        assert plain(back) in a
    elif card.kind == "cloze":
        gap = cloze_answer(f["text"], card.ord)
        assert "[" in q  # the gap: [...] or [hint]
        assert 'class="cloze"' in anki_card.question()
        assert plain(gap) in a
    elif card.kind == "choice":
        assert plain(f["prompt"]) in q
        for option in f["options"]:
            assert plain(option) in q
        assert "Answer " + plain(f["answer"]) in a and plain(f["why"]) in a
        # the answer side marks the right option (a class its CSS styles only there)
        marks = re.findall(r'<li( class="hc-right")?>', anki_card.answer())
        right = f["options"].index(f["answer"])
        assert [bool(m) for m in marks] == [i == right for i in range(len(f["options"]))]
        assert '"hc hc-back"' in anki_card.answer() and '"hc hc-back"' not in anki_card.question()
        assert ".hc-back .hc-right" in anki_card.answer()  # (the card's CSS)
    else:
        assert plain(f["advice"]) in q
        for label in VERDICT_LABELS.values():
            assert label in q
        assert "Verdict " + VERDICT_LABELS[f["verdict"]] in a and plain(f["why"]) in a
    if card.note.extra:
        assert plain(card.note.extra) in a
    if card.note.source:
        assert "Source" in a


def test_fixture_deck_every_note_type(tmp_path, col):
    """basics.toml has all five note types, a reverse card and a cloze with a hint."""
    d = deck(FIXTURE_DECKS / "basics.toml")
    out = tmp_path / "basics.apkg"
    export_apkg([d], out)
    import_apkg(col, out)
    assert col.card_count() == len(d.cards) == 7
    types = {nt.name for nt in col.models.all_names_and_ids() if nt.name.startswith("heartcards")}
    assert types == {
        "heartcards: Basic",  # with its reverse card: one note type for both
        "heartcards: Cloze",
        "heartcards: Choice",
        "heartcards: Verdict",
    }
    anki_notes = notes_by_guid(col)
    for card in d.cards:
        an = anki_notes[hc_anki.note_guid(card.note_key)]
        anki_card = next(c for c in an.cards() if c.ord == card.ord - 1)
        _check_rendering(card, anki_card)
    pair = anki_notes[hc_anki.note_guid("basics/pair")]
    reverse = next(c for c in pair.cards() if c.ord == 1)
    assert squash(text_of(reverse.question())) == "Withdraw"  # back -> front
    assert squash(text_of(reverse.answer())).endswith(
        "Demand Source Cat Harper. 7 reasons he is"
        " pushing you away when he loves you, according to psychology, section 1"
    )
    gap = anki_notes[hc_anki.note_guid("basics/gap")]
    second = next(c for c in gap.cards() if c.ord == 1)
    assert "[a feeling]" in text_of(second.question())  # the hint
    assert "wanting" in text_of(second.question())  # the other gap shows its answer
    busy = anki_notes[hc_anki.note_guid("basics/busy")]
    a = text_of(busy.cards()[0].answer())
    assert "Dai, Dong & Jia (2014). Playing hard to get. Psychological Science" in a
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/23668234/"' in busy.cards()[0].answer()
    capital = anki_notes[hc_anki.note_guid("basics/capital")]
    assert "meta" in capital.tags


# -- 2. stable identity, updates in place ---------------------------------------------------


def test_export_twice_same_ids_and_reimport_adds_nothing(tmp_path, col):
    d = deck(FIXTURE_DECKS / "basics.toml")
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    export_apkg([d], first)
    export_apkg([d], second)
    sql = "SELECT guid, mid FROM notes ORDER BY guid"
    assert package_rows(first, sql) == package_rows(second, sql)
    models = "SELECT models, decks FROM col"
    (m1, d1), (m2, d2) = package_rows(first, models)[0], package_rows(second, models)[0]
    assert sorted(json.loads(m1)) == sorted(json.loads(m2))
    assert set(json.loads(d1)) == set(json.loads(d2))
    assert int(sorted(json.loads(m1))[0]) < 1 << 40  # well inside Anki's id range

    import_apkg(col, first)
    notes, cards = col.note_count(), col.card_count()
    log = import_apkg(col, second)
    assert not log.new and not log.conflicting
    assert (col.note_count(), col.card_count()) == (notes, cards)


def test_edited_note_updates_in_place(tmp_path, col):
    d = deck(FIXTURE_DECKS / "basics.toml")
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    export_apkg([d], first)
    import_apkg(col, first)
    notes, cards = col.note_count(), col.card_count()

    # The deck file changes: new wording for one note, a third gap for the cloze.
    edited = []
    for note in d.notes:
        if note.id == "capital":
            note = note.replace(fields={**note.fields, "back": "Free *Spaced* Repetition"})
        if note.id == "gap":
            text = note.fields["text"] + " It felt {{c3::unsettling}}."
            note = note.replace(fields={**note.fields, "text": text})
        edited.append(note)
    # Exported a little later than the first export, as it would be after an edit.
    export_apkg(
        [d.replace(notes=tuple(edited))], second, now=datetime.now(TZ) + timedelta(seconds=2)
    )
    log = import_apkg(col, second)
    assert not log.new and not log.conflicting
    assert len(log.updated) == len(d.notes)  # all newer; Anki rewrites them, adds none
    assert col.note_count() == notes and col.card_count() == cards + 1
    capital = notes_by_guid(col)[hc_anki.note_guid("basics/capital")]
    assert capital["Back"] == "Free <i>Spaced</i> Repetition"
    gap = notes_by_guid(col)[hc_anki.note_guid("basics/gap")]
    assert sorted(c.ord for c in gap.cards()) == [0, 1, 2]


# -- 3. deck text stays text ----------------------------------------------------------------


def test_markup_in_deck_text_arrives_literally(tmp_path, col):
    d = deck(EXPORT_FIXTURES / "literal.toml")
    out = tmp_path / "literal.apkg"
    export_apkg([d], out)
    import_apkg(col, out)
    notes = notes_by_guid(col)

    assert col.decks.id_for_name("heartcards::Literal <text> & markup")  # names are text
    tricky = notes[hc_anki.note_guid("literal/tricky")]
    q = tricky.cards()[0].question()
    a = tricky.cards()[0].answer()
    assert "<script>" not in q and "<script>" not in a
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in q
    shown = text_of(q)
    assert "<script>alert(1)</script>" in shown  # what the reader sees: the characters
    assert "{{Front}}" in shown and "{{Back}}" in text_of(a)  # not expanded by the template
    assert "[sound:bell.mp3]" in shown and not tricky.cards()[0].question_av_tags()
    assert "<b>bold</b>" in q and "<i>italic</i>" in q
    assert "[bold]" in shown

    cloze = notes[hc_anki.note_guid("literal/cloze-markup")]
    cq, ca = cloze.cards()[0].question(), cloze.cards()[0].answer()
    assert "&lt;b&gt;text&lt;/b&gt;" in cq and "<b>text</b>" not in cq
    assert "[...]" in text_of(cq) and "<tag> & more" in text_of(ca)

    choice = notes[hc_anki.note_guid("literal/choice-markup")]
    assert "<img" not in choice.cards()[0].question()
    assert '<img src=x onerror="alert(1)">' in text_of(choice.cards()[0].question())


# -- 4. scheduling and review history -------------------------------------------------------


def _scripted_history(store: Store, cards, clock: Clock, settings: Settings) -> dict:
    """About five weeks of study in the terminal; every state a card can be in."""
    session = Session(store, cards, settings, clock)
    by_key = {c.key: c for c in cards}

    def answer(key, rating, seconds=6):
        session.answer(by_key[key], Rating(rating), duration_ms=seconds * 1000)

    # day 0: learn everything but the reverse card and the choice card
    for key in ("basics/capital", "basics/pair", "basics/gap", "basics/gap/2", "basics/busy"):
        answer(key, 3)
    answer("basics/pair", 1)  # back to step 1: an Again while learning
    clock.advance(minutes=1)
    answer("basics/pair", 3)
    clock.advance(minutes=10)
    for key in ("basics/capital", "basics/pair", "basics/gap", "basics/gap/2", "basics/busy"):
        answer(key, 3)
    answer("basics/capital", 2)  # an answer that is undone: not in the revlog
    session.undo()
    session.suspend(by_key["basics/pair/2"])  # a new card, suspended

    # then daily reviews of whatever is due; busy lapses on its third review
    reviews_of_busy = 0
    for _ in range(34):
        clock.advance(days=1)
        for key in ("basics/capital", "basics/pair", "basics/gap", "basics/gap/2", "basics/busy"):
            st = store.get(key)
            if st.state == REVIEW and st.due <= clock():
                rating = 3
                if key == "basics/busy":
                    reviews_of_busy += 1
                    rating = 1 if reviews_of_busy == 3 else 3
                answer(key, rating, seconds=4)
            elif st.state == RELEARNING and st.due <= clock():
                answer(key, 3)
    # today: the choice card starts learning; gap lapses and is relearning
    clock.advance(hours=2)
    answer("basics/pick", 3)
    answer("basics/gap", 1)  # reviewed early and forgotten
    clock.advance(minutes=1)
    return by_key


def test_scheduling_and_revlog_carry_over(tmp_path, col):
    d = deck(FIXTURE_DECKS / "basics.toml")
    settings = Settings()
    # five weeks ago at 10:00, so that the last answers (yesterday, 12:11) are well inside
    # a study day and their learning steps due the same day
    start = (datetime.now(TZ) - timedelta(days=35)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    clock = Clock(start)
    store = Store.open(tmp_path / "home")
    try:
        _scripted_history(store, d.cards, clock, settings)
        states = store.states()
        reviews = store.reviews()
        out = tmp_path / "sched.apkg"
        result = export_apkg([d], out, store=store, scheduling=True, settings=settings, now=clock())
    finally:
        store.close()
    assert result.reviews == len(reviews) and result.scheduled == len(states)

    import_apkg(col, out, scheduling=True)
    by_guid = notes_by_guid(col)
    # Anki counts days in the computer's local time (the clock's zone does not matter)
    real_today = study_day(datetime.now().astimezone(), settings.day_starts_at)
    kinds = set()
    for key, st in states.items():
        deck_id, note_id, *rest = key.split("/")
        ord_ = int(rest[0]) if rest else 1
        note = by_guid[hc_anki.note_guid(f"{deck_id}/{note_id}")]
        card = next(c for c in note.cards() if c.ord == ord_ - 1)
        if st.is_new:
            assert st.suspended and card.queue == -1 and card.type == 0
            kinds.add("new-suspended")
            continue
        kinds.add(st.state)
        assert card.type == {LEARNING: 1, REVIEW: 2, RELEARNING: 3}[st.state], key
        assert (card.reps, card.lapses) == (st.reps, st.lapses), key
        if st.state == REVIEW:
            # gap was answered today: Anki, too, buries its review sibling till tomorrow
            assert card.queue == (-2 if key == "basics/gap/2" else 2), key
            due_day = study_day(st.due.astimezone(), settings.day_starts_at)
            assert card.due == col.sched.today + (due_day - real_today).days, key
            assert card.ivl >= 1
        elif study_day(st.due.astimezone(), 4) > study_day(st.last_review.astimezone(), 4):
            due_day = study_day(st.due.astimezone(), settings.day_starts_at)  # day learning
            assert card.queue == 3 and card.due == col.sched.today + (due_day - real_today).days
        else:
            assert card.queue == 1 and card.due == int(st.due.timestamp()), key
        assert card.memory_state.stability == pytest.approx(round(st.stability, 4), rel=1e-6)
        assert card.memory_state.difficulty == pytest.approx(round(st.difficulty, 3), rel=1e-6)
        assert card.desired_retention == pytest.approx(settings.desired_retention)
        assert card.last_review_time == int(st.last_review.timestamp())

        rows = col.db.all(
            "SELECT id, ease, ivl, lastIvl, factor, time, type FROM revlog WHERE cid = ?"
            " ORDER BY id",
            card.id,
        )
        ours = [r for r in reviews if r.key == key]
        assert len(rows) == len(ours), key
        for row, r in zip(rows, ours, strict=True):
            assert row[1] == int(r.rating)
            assert abs(row[0] - int(r.time.timestamp() * 1000)) < 50  # ms time (made unique)
            assert row[5] == r.duration_ms
            assert row[6] == {0: 0, 1: 0, 2: 1, 3: 2}[r.before.state]
            if r.after.state == REVIEW:  # ivl: days until due
                days = study_day(r.after.due.astimezone(), 4) - study_day(r.time.astimezone(), 4)
                assert row[2] == days.days >= 1 and row[4] == 2500
            else:  # a learning step later that day: negative seconds (1m or 10m here)
                assert row[2] in (-60, -600)
                assert row[4] == (0 if r.after.state == LEARNING else 2500)
            if r.before.is_new:
                assert row[3] == 0  # lastIvl
    assert kinds == {LEARNING, REVIEW, RELEARNING, "new-suspended"}
    assert col.db.scalar("SELECT count() FROM revlog") == len(reviews)
    # the undone answer is not there
    assert len(reviews) == len({r.id for r in reviews})

    # Anki's own FSRS, recomputing each card's memory from the revlog alone (stored state
    # wiped), arrives at our stability and difficulty: the history is the one we reviewed.
    col.set_config("fsrs", True)
    col.db.execute("UPDATE cards SET data = ''")
    for key, st in states.items():
        if st.is_new:
            continue
        deck_id, note_id, *rest = key.split("/")
        note = by_guid[hc_anki.note_guid(f"{deck_id}/{note_id}")]
        card = next(c for c in note.cards() if c.ord == (int(rest[0]) if rest else 1) - 1)
        memory = col.compute_memory_state(card.id)
        assert memory.stability == pytest.approx(st.stability, rel=1e-3), key
        assert memory.difficulty == pytest.approx(st.difficulty, rel=1e-3), key

    # and Anki can go on from here: answer what it offers
    col.decks.select(col.decks.id_for_name("heartcards"))
    queued = col.sched.get_queued_cards(fetch_limit=5)
    assert queued.cards
    top = queued.cards[0]
    from anki.cards import Card as AnkiCard

    c = AnkiCard(col, backend_card=top.card)
    c.start_timer()
    col.sched.answer_card(col.sched.build_answer(card=c, states=top.states, rating=3))


def test_without_scheduling_cards_arrive_new(tmp_path, col):
    d = deck(FIXTURE_DECKS / "basics.toml")
    store = Store.open(tmp_path / "home")
    try:
        clock = Clock(datetime.now(TZ) - timedelta(days=1))
        Session(store, d.cards, Settings(), clock).answer(d.cards[0], Rating.GOOD)
        out = tmp_path / "plain.apkg"
        result = export_apkg([d], out, store=store)
    finally:
        store.close()
    assert result.reviews == 0
    assert package_rows(out, "SELECT count() FROM revlog") == [(0,)]
    assert package_rows(out, "SELECT DISTINCT type, queue FROM cards") == [(0, 0)]
    import_apkg(col, out, scheduling=True)
    assert {col.get_card(c).type for c in col.find_cards("")} == {0}


def test_card_schedule_day_learning_and_suspended():
    """A learning step that runs past the day's end is day learning (queue 3, due in days);
    a suspended card keeps its type and memory but sits in queue -1."""
    from cards.state import CardState

    day = hc_anki.local_days(4)
    last = datetime(2026, 3, 2, 23, 55).astimezone()
    st = CardState(
        "d/n",
        state=LEARNING,
        step=1,
        stability=2.3065,
        difficulty=2.118,
        due=last + timedelta(hours=6),  # tomorrow, 05:55
        last_review=last,
        reps=2,
    )
    today = day(last.timestamp())
    ctype, queue, due, ivl, factor, reps, lapses, left, data = hc_anki._card_schedule(
        st, Settings(), today, day, 0.1542
    )
    assert (ctype, queue, due, ivl, factor, reps, left) == (1, 3, 1, 0, 0, 2, 1)
    assert json.loads(data) == {"s": 2.3065, "d": 2.118, "dr": 0.9, "decay": 0.1542,
                                "lrt": int(last.timestamp())}  # fmt: skip
    review = st.with_(state=REVIEW, step=None, due=last + timedelta(days=12), suspended=True)
    ctype, queue, due, ivl, *_ = hc_anki._card_schedule(review, Settings(), today, day, 0.1542)
    assert (ctype, queue, due, ivl) == (2, -1, 12, 12)


def test_what_anki_would_reject_never_reaches_the_package(tmp_path, col):
    """Anki's field separator (U+001F) and the other controls are removed at load; the
    highest cloze number Anki takes arrives as a card; an empty hint shows as Anki shows it."""
    path = tmp_path / "edge.toml"
    path.write_text(
        'format = 1\n[deck]\nid = "edge"\nname = "Edge\\u001f\\u001edeck"\n'
        'description = "d\\u001f"\n'
        '[[notes]]\nid = "sep"\nkind = "basic"\nfront = "one\\u001ftwo"\nback = "b\\u0085"\n'
        '[[notes]]\nid = "top"\nkind = "cloze"\ntext = "{{c65535::last}} and {{c1::first::}}"\n',
        encoding="utf-8",
    )
    d, problems = load_deck(path)
    assert problems and all(p.warning for p in problems)
    out = tmp_path / "edge.apkg"
    export_apkg([d], out)
    import_apkg(col, out)
    notes = notes_by_guid(col)
    sep = notes[hc_anki.note_guid("edge/sep")]
    assert sep.fields[:2] == ["onetwo", "b"] and "\x1f" not in "".join(sep.fields)
    assert col.decks.id_for_name("heartcards::Edgedeck")
    top = notes[hc_anki.note_guid("edge/top")]
    assert sorted(c.ord for c in top.cards()) == [0, 65534]
    first = next(c for c in top.cards() if c.ord == 0)
    assert "[]" in text_of(first.question())  # as heartcards shows it (cards.cloze.render)
    from cards import cloze

    assert ("[]", True) in cloze.render(d.notes[1].fields["text"], 1, reveal=False)


def test_emphasis_around_and_inside_gaps_reads_as_in_the_app(tmp_path, col):
    """Bold and italic around a gap, inside one, and asterisks that would cross its braces
    (left as they are): Anki's rendering of each card, question and answer, has the same
    runs of text and emphasis as the TUI's (cards.cloze.styled)."""
    from html.parser import HTMLParser

    from cards import cloze

    class Runs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[str] = []
            self.out: list[tuple[str, frozenset, bool]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append("gap" if ("class", "cloze") in attrs else tag)

        def handle_endtag(self, tag):
            self.tags.pop()

        def handle_data(self, data):
            emphasis = frozenset(t for t in self.tags if t in ("b", "i"))
            self.out.append((data, emphasis, "gap" in self.tags))

    def merged(runs):
        out: list[list] = []
        for text, emphasis, gap in runs:
            if out and out[-1][1:] == [emphasis, gap]:
                out[-1][0] += text
            else:
                out.append([text, emphasis, gap])
        return [tuple(r) for r in out if r[0]]

    d = deck(EXPORT_FIXTURES / "emphasis.toml")
    export_apkg([d], tmp_path / "e.apkg")
    import_apkg(col, tmp_path / "e.apkg")
    notes = notes_by_guid(col)
    names = {"bold": {"b"}, "italic": {"i"}, "bold italic": {"b", "i"}, "": set()}
    for card in d.cards:
        anki_card = next(c for c in notes[hc_anki.note_guid(card.note_key)].cards()
                         if c.ord == card.ord - 1)  # fmt: skip
        for reveal, rendered in ((False, anki_card.question()), (True, anki_card.answer())):
            body = re.search(r'<div class="hc-question">(.*?)</div>', rendered, re.S)[1]
            parser = Runs()
            parser.feed(body)
            ours = [(t, frozenset(names[e]), g)
                    for t, e, g in cloze.styled(card.note.fields["text"], card.ord, reveal=reveal)]  # fmt: skip
            assert merged(parser.out) == merged(ours), (card.key, reveal)
