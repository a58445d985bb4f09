"""Anki export: decks as an .apkg, optionally with each card's FSRS state and review log.

genanki writes the package's collection (note types, decks, notes, cards) into an
in-memory SQLite database, without its indexes (Anki's import never looks a row up);
heartcards then sets the collection's day settings, the note types' modification times
and the deck options preset of our decks and, with `scheduling`, the cards' scheduling
(suspended and buried cards too) and the revlog (genanki's API writes neither), and zips
the database, deflated (cards.deflate_zip). genanki is imported only here, when exporting.

Identity, so that importing a newer export updates notes in place instead of adding copies:
- note GUIDs derive from the note key DECK/NOTE, never from the text;
- note type ids from the kind, deck ids from the deck id: the first 8 bytes of a
  SHA-256, masked into [2**32, 2**40) -- positive, safe in JavaScript, and below every
  millisecond-timestamp id Anki itself hands out (Anki matches decks by name on import
  and gives new ones its own ids; the package's are stable all the same);
- notes and note types carry the time of the export that last changed them
  (cards.anki_marks): Anki updates a note on re-import only when the incoming one is
  newer ("Update notes: if newer"), so an unchanged note stays as it is in Anki, with any
  edit made there.

Scheduling in Anki's terms (what `--scheduling` writes):
- cards: type/queue (1 learning, 2 review, 3 relearning; queue 1 = due later today,
  3 = learning due on a later day, -1 suspended), due (days relative to the collection's
  creation day for review and day-learning cards, a Unix time for intraday learning),
  ivl (days), factor, reps, lapses, left (learning steps still to go) and data
  {"s": stability, "d": difficulty, "dr": desired retention, "decay": FSRS-6 decay,
  "lrt": last review, Unix seconds};
- revlog: one row per review that stands (undone ones are left out): id = review time in
  ms (made unique), ease = rating 1-4, ivl/lastIvl in days or negative seconds while
  learning, factor, time = ms spent, type 0 learn / 1 review / 2 relearn.
The package's collection is created at the start of the export's study day, with the
user's rollover hour and local UTC offset, so "due in N days" survives Anki's shift of
day numbers from the package's collection to the one importing it. Days are counted in
the computer's local time, as Anki (and the app's clock) count them.
Anki applies cards' scheduling and revlog only when it adds a note's cards, i.e. on the
first import of a note, and only with "Import any learning progress" ticked.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import html
import itertools
import json
import math
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dt_time
from glob import escape as glob_escape
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from cards import deflate_zip, kinds
from cards.anki_days import interval_of, local_days
from cards.anki_marks import Marks, digest
from cards.anki_templates import CSS, as_field, field_html
from cards.config import Settings
from cards.days import study_day
from cards.model import Deck, Note, Source, card_key, deck_of
from cards.state import LEARNING, NEW, RELEARNING, REVIEW, CardState

if TYPE_CHECKING:
    from cards.store import Store

PARENT_DECK = "heartcards"
_ID_FLOOR = 1 << 32
_ID_MASK = (1 << 40) - 1
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
# base91 two digits at a time (the GUID encoding, about twice as fast as one at a time)
_BASE91_SQ = len(_BASE91) ** 2
_BASE91_PAIRS = [a + b for a in _BASE91 for b in _BASE91]
_INITIAL_EASE = 2500  # Anki's default starting ease; FSRS leaves it alone
_ANKI_CARD_TYPE = {LEARNING: 1, REVIEW: 2, RELEARNING: 3}
_REVLOG_TYPE = {NEW: 0, LEARNING: 0, REVIEW: 1, RELEARNING: 2}
_QUEUE_SUSPENDED, _QUEUE_SIBLING_BURIED, _QUEUE_BURIED = -1, -2, -3  # Anki's queues
_PROGRESS_STEPS = 100  # the callback is called about this many times per export


class ExportError(Exception):
    """The package cannot be written (bad output path, disk full...): one line for the user."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    notes: int
    cards: int
    scheduled: int = 0  # cards that carry scheduling (with `scheduling`)
    reviews: int = 0  # revlog rows written


# -- identity ---------------------------------------------------------------------------


def stable_id(kind: str, name: str) -> int:
    """A fixed Anki id for a deck or note type."""
    digest = hashlib.sha256(f"heartcards/{kind}/{name}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") & _ID_MASK) | _ID_FLOOR


def deck_id(deck: str) -> int:
    return stable_id("deck", deck)


def parent_deck_id() -> int:
    return stable_id("parent-deck", PARENT_DECK)


def note_type_id(key: str) -> int:
    """key: a NoteType's key (basic, cloze, choice, ...)."""
    return stable_id("notetype", key)


def note_guid(note_key: str) -> str:
    """The GUID of note DECK/NOTE: 8 bytes of SHA-256 in Anki's base91, like genanki's."""
    n = int.from_bytes(hashlib.sha256(f"heartcards/note/{note_key}".encode()).digest()[:8], "big")
    out = []
    while n:
        n, r = divmod(n, _BASE91_SQ)
        out.append(_BASE91_PAIRS[r])
    return "".join(reversed(out)).lstrip(_BASE91[0]) or _BASE91[0]


# -- fields -------------------------------------------------------------------------------


def citation_html(source: Source) -> str:
    """Source.citation() as HTML; a web address or DOI becomes a link."""
    head = source.author or ""
    if source.year:
        head = f"{head} ({source.year})" if head else str(source.year)
    parts = [html.escape(p) for p in (head, source.title, source.venue) if p]
    if source.doi:
        href = "https://doi.org/" + source.doi
        parts.append(f'<a href="{html.escape(href)}">doi:{html.escape(source.doi)}</a>')
    elif source.url:
        url = html.escape(source.url)
        parts.append(f'<a href="{url}">{url}</a>' if _is_web(source.url) else url)
    return as_field(". ".join(parts))


def _is_web(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


class _DeckFields:
    """Per deck: the HTML of its references, topics and tags, each computed once."""

    def __init__(self, deck: Deck):
        self.deck = deck
        self._refs: dict[tuple[str, ...], str] = {}
        self._topics: dict[tuple[str, ...], str] = {}
        self._tags: dict[tuple[tuple[str, ...], str], list[str]] = {}

    def ref(self, ref: str) -> str | None:
        src = self.deck.source(ref)
        if src is None:
            return None
        section = ref.split("#", 1)[1] if "#" in ref else ""
        cite = citation_html(src)
        return f"{cite}, section {as_field(html.escape(section))}" if section else cite

    def refs(self, refs: tuple[str, ...]) -> str:
        """Citations of `refs`, one per line."""
        out = self._refs.get(refs)
        if out is None:
            cites = (self.ref(r) for r in refs)
            out = self._refs[refs] = "<br>".join(dict.fromkeys(c for c in cites if c))
        return out

    def topics(self, tags: tuple[str, ...]) -> str:
        out = self._topics.get(tags)
        if out is None:
            out = self._topics[tags] = as_field(html.escape(", ".join(tags)))
        return out

    def tags(self, note: Note) -> list[str]:
        """The deck file's tags, plus heartcards::deck::ID and heartcards::kind::KIND."""
        key = (note.tags, note.kind)
        out = self._tags.get(key)
        if out is None:
            extra = [f"heartcards::deck::{self.deck.id}", f"heartcards::kind::{note.kind}"]
            out = self._tags[key] = [
                t.replace(" ", "_") for t in dict.fromkeys([*note.tags, *extra])
            ]
        return list(out)


def note_fields(note: Note, ctx: _DeckFields) -> list[str]:
    """The note's fields, in the order of its note type's fields."""
    f = note.fields
    why = f.get("why")
    if note.extra and note.extra.strip():
        explanation = "<br><br>".join(field_html(t) for t in (why, note.extra) if t and t.strip())
    else:
        explanation = field_html(why) if why and why.strip() else ""
    tail = [explanation, ctx.refs(note.source), ctx.refs(note.evidence), ctx.topics(note.tags)]
    kind = kinds.of(note)
    return [*kind.anki_fields(note), *tail, *kind.anki_last_fields(note)]


def anki_deck_name(deck: Deck) -> str:
    name = " ".join(deck.name.replace("::", ":").split()) or deck.id
    return f"{PARENT_DECK}::{name}"


# -- genanki --------------------------------------------------------------------------------


@functools.cache
def _genanki():
    """genanki plus a Note that knows its cards and reports progress as it is written."""
    import genanki

    class _Note(genanki.Note):
        def __init__(self, model, fields, tags, guid, ords, due, mod, written):
            super().__init__(model=model, fields=fields, tags=tags, guid=guid, due=due)
            self._ords = ords
            self._mod = mod
            self._written = written

        @property
        def cards(self):
            # Our own card list (it is the one the TUI schedules): cloze N -> ord N-1,
            # reverse -> ord 1.
            return [genanki.Card(o - 1) for o in self._ords]

        def _check_invalid_html_tags_in_fields(self):
            pass  # our fields are HTML we escaped ourselves

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            super().write_to_db(cursor, self._mod, deck_id, id_gen)  # the note's own time
            self._written()

    return genanki, _Note


@functools.cache
def _models():
    genanki, _ = _genanki()
    return {
        nt.key: genanki.Model(
            note_type_id(nt.key),
            nt.name,
            fields=[{"name": name} for name in nt.fields],
            templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in nt.templates],
            css=CSS,
            model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
        )
        for kind in kinds.every()
        for nt in kind.note_types()
    }


@functools.cache
def _model_digests() -> dict[str, bytes]:
    """Each note type's content (what Anki keeps of it), as cards.anki_marks digests it."""
    return {
        nt.key: digest(
            [nt.name, *nt.fields, *(t for tpl in nt.templates for t in tpl), CSS, str(nt.cloze)]
        )  # fmt: skip
        for kind in kinds.every()
        for nt in kind.note_types()
    }


# -- export ---------------------------------------------------------------------------------


def export_apkg(
    decks: list[Deck],
    output: Path,
    *,
    store: Store | None = None,
    scheduling: bool = False,
    settings: Settings | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write `decks` to `output` as an Anki package; the file appears whole or not at all.

    With `scheduling`, each card's state and review log come from `store`. `now` is the
    time of the export (days are counted in local time, as Anki counts them).
    `progress(done, total)` is called as notes are written (total = number of notes), and
    with (total, total) once the file is in place.
    Raises ExportError for an unusable output path.
    """
    if scheduling and store is None:
        raise ValueError("exporting scheduling needs the store")
    # An export makes objects by the hundred thousand and frees them at the end: the
    # collector's passes meanwhile find nothing to free (about a tenth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _export(decks, output, store, scheduling, settings, now, progress)
    finally:
        if collecting:
            gc.enable()


def _export(decks, output, store, scheduling, settings, now, progress) -> ExportResult:
    output = Path(output)
    _check_output(output)
    settings = settings or Settings()
    # Anki counts days in the computer's local time, and so does the app: work in it.
    now = (now or datetime.now()).astimezone()
    genanki, note_class = _genanki()
    models = _models()

    total = sum(len(d.notes) for d in decks)
    done = 0
    every = max(1, total // _PROGRESS_STEPS)

    def written():
        nonlocal done
        done += 1
        if progress is not None and done % every == 0 and done < total:
            progress(done, total)

    if progress is not None:
        progress(0, total)

    # Modification times: the time of the export that last changed each note (now, or the
    # wall clock if later, so that a change exported after another counts as newer even
    # with a fixed clock); without a store, every note carries this export's time.
    marks = Marks(store.export_marks() if store is not None else None,
                  int(max(time.time(), now.timestamp())))  # fmt: skip

    app_tags = store.note_tags() if store is not None else {}
    parent = genanki.Deck(parent_deck_id(), PARENT_DECK, "Flashcards exported from heartcards.")
    gdecks = [parent]
    guid_keys: dict[str, tuple[str, str]] = {}
    names: set[str] = set()
    n_cards = 0
    position = itertools.count(1)
    for deck in decks:
        name = anki_deck_name(deck)
        if name.casefold() in names:  # Anki merges decks by name: keep ours apart
            name = f"{name} ({deck.id})"
        names.add(name.casefold())
        gdeck = genanki.Deck(deck_id(deck.id), name, field_html(deck.description))
        ctx = _DeckFields(deck)
        ords_by_note: dict[str, list[int]] = {}
        for card in deck.cards:
            ords_by_note.setdefault(card.note.id, []).append(card.ord)
        for note in deck.notes:
            ords = ords_by_note.get(note.id)
            if not ords:
                continue
            key = f"{deck.id}/{note.id}"
            guid = note_guid(key)
            guid_keys[guid] = (deck.id, note.id)
            model_key = kinds.of(note).note_type(note).key
            fields = note_fields(note, ctx)
            tags = ctx.tags(note)
            if key in app_tags:  # (marked, leech: given in the app; Anki's own names)
                tags = [*tags, *sorted(app_tags[key])]
            mod = marks.now if marks.kept is None else marks.mod(
                key, digest([model_key, *fields, "\x1e", *tags]))  # fmt: skip
            gdeck.add_note(
                note_class(models[model_key], fields, tags, guid, ords, next(position), mod,
                           written)
            )  # fmt: skip
            n_cards += len(ords)
        gdecks.append(gdeck)

    db = sqlite3.connect(":memory:", uri=True)  # (uri: the collection is attached read-only)
    try:
        cur = db.cursor()
        cur.execute("PRAGMA journal_mode=OFF")
        ids = itertools.count(int(time.time() * 1000))
        # genanki's Package.write_to_db, less the tables' indexes: Anki's import reads the
        # package whole and never looks a row up (its collection keeps its own indexes),
        # so they only cost time to build and a tenth of the package
        from genanki.apkg_col import APKG_COL
        from genanki.apkg_schema import APKG_SCHEMA

        cur.executescript(
            "\n".join(
                line for line in APKG_SCHEMA.splitlines() if not line.startswith("CREATE INDEX")
            )
        )
        cur.executescript(APKG_COL)
        for gdeck in gdecks:
            gdeck.write_to_db(cur, marks.now, ids)
        ours = {str(deck_id(d.id)): d for d in decks}
        _configure_collection(cur, now, settings, marks, ours)
        scheduled = reviews = 0
        if store is not None:
            _write_flags(cur, guid_keys, store.flags())
        if scheduling:
            scheduled, reviews = _write_scheduling(cur, guid_keys, store, settings, now)
            _write_today_limits(cur, store, settings, now, {did: d.id for did, d in ours.items()})
        db.commit()
        data = db.serialize()
    finally:
        db.close()
    _write_package(output, data)
    if marks.changed:
        from cards.store import WriteFailed

        # (if the collection is busy, the next export gives those items a later time
        # again: Anki then updates them once more, which loses nothing)
        with contextlib.suppress(WriteFailed):
            store.save_export_marks(marks.changed)
    if progress is not None:
        progress(total, total)
    return ExportResult(output, len(guid_keys), n_cards, scheduled, reviews)


def _configure_collection(
    cur: sqlite3.Cursor, now: datetime, settings: Settings, marks: Marks, ours: dict
) -> None:
    """Day settings of the package's collection: created at the start of the export's study
    day, with the user's rollover hour and UTC offset, so its day numbers are the app's;
    the v2 scheduler (v1, which genanki's template implies, would make Anki rewrite the
    revlog's learning ratings when it upgrades the collection on import); and each note
    type's modification time (cards.anki_marks); the presets: "heartcards" for the parent
    deck and the decks that follow the collection's settings, and one of its own for each
    deck with a [decks.ID] table (`ours`: Anki deck id -> our deck)."""
    starts_at = settings.day_starts_at
    created = datetime.combine(study_day(now, starts_at), dt_time(starts_at)).astimezone()
    minutes_west = -int(created.utcoffset().total_seconds() // 60)
    conf_json, models_json, decks_json, dconf_json = cur.execute(
        "SELECT conf, models, decks, dconf FROM col"
    ).fetchone()
    conf = json.loads(conf_json)
    conf.update(
        schedVer=2,
        rollover=starts_at,
        creationOffset=minutes_west,
        collapseTime=settings.learn_ahead_minutes * 60,
        fsrs=True,
    )
    models = json.loads(models_json)
    key_of = {str(note_type_id(key)): key for key in _model_digests()}
    for mid, model in models.items():
        key = key_of[mid]
        model["mod"] = marks.mod(f"notetype:{key}", _model_digests()[key])
    dconf = json.loads(dconf_json)
    preset = _preset(dconf["1"], settings, marks.now)
    dconf[str(preset["id"])] = preset
    decks = json.loads(decks_json)
    for did, d in decks.items():
        if did == "1":  # (Anki's Default deck keeps Anki's Default preset)
            continue
        d["conf"] = preset["id"]
        deck = ours.get(did)
        own = settings.for_deck(deck.id) if deck is not None else settings
        if own is not settings:
            mine = _preset(dconf["1"], own, marks.now, deck)
            dconf[str(mine["id"])] = mine
            d["conf"] = mine["id"]
    cur.execute(
        "UPDATE col SET conf = ?, crt = ?, models = ?, decks = ?, dconf = ?",
        (json.dumps(conf), int(created.timestamp()), *map(json.dumps, (models, decks, dconf))),
    )


def _write_today_limits(
    cur: sqlite3.Cursor, store: Store, settings: Settings, now: datetime, ours: dict[str, str]
) -> None:
    """What is left of today's limits, as each deck's "today only" limits (Anki's deck
    options, "This deck"), for the decks that studied today. Anki counts a day's cards
    per deck from its own answers, and an import does not add to them; a today-only limit
    of the package's day is moved to the importing collection's day when it imports on
    that same study day, and has lapsed on any later one (rslib import_export/package/
    apkg/import/decks.rs, maybe_correct_day_limits). `ours`: Anki deck id -> our deck id."""
    from cards.days import today_bounds
    from cards.queue import remaining_today

    start, end = today_bounds(now, settings.day_starts_at)
    new_done, reviews_done, _ = store.today_counts(start, end, settings.day_starts_at)
    if not (new_done or reviews_done):
        return
    extended = store.extensions(study_day(now, settings.day_starts_at))
    (decks_json,) = cur.execute("SELECT decks FROM col").fetchone()
    decks = json.loads(decks_json)
    for did, d in decks.items():
        if d["name"] == "heartcards":  # the parent: its limits hold for all of ours
            scope, own = "*", settings
            new, reviews = sum(new_done.values()), sum(reviews_done.values())
        elif did in ours:
            scope = ours[did]
            own = settings.for_deck(scope)
            new, reviews = new_done.get(scope, 0), reviews_done.get(scope, 0)
        else:
            continue
        if new or reviews:
            left_reviews, left_new = remaining_today(own, new, reviews, extended.get(scope))
            # (day 0: the package's collection starts on the export's study day)
            d["newLimitToday"] = {"limit": left_new, "today": 0}
            d["reviewLimitToday"] = {"limit": left_reviews, "today": 0}
    cur.execute("UPDATE col SET decks = ?", (json.dumps(decks),))


def preset_id(deck: str | None = None) -> int:
    """The id of our decks' preset, or of the preset of deck `deck`'s own settings."""
    return stable_id("preset", PARENT_DECK if deck is None else f"{PARENT_DECK}::{deck}")


def _preset(default: dict, settings: Settings, mod: int, deck=None) -> dict:
    """The deck options preset of our decks (of `deck`, with settings of its own), from
    Anki's default one: our steps, limits, burying, maximum interval, desired retention
    and FSRS parameters. (Anki takes it only with "Import deck presets" ticked, and keeps
    a preset it has already; FSRS itself is a collection setting in Anki, not a
    preset's.)"""
    from cards.scheduler import parameters

    def minutes(deltas):
        return [d.total_seconds() / 60 for d in deltas]

    preset = json.loads(json.dumps(default))  # a deep copy
    bury = settings.bury_siblings
    if deck is None:
        preset.update(id=preset_id(), name=PARENT_DECK, mod=mod, usn=-1)
    else:
        preset.update(id=preset_id(deck.id), name=f"{PARENT_DECK}: {deck.name}", mod=mod, usn=-1)
    preset["new"].update(delays=minutes(settings.learning_deltas()),
                         perDay=settings.new_per_day, bury=bury)  # fmt: skip
    preset["rev"].update(perDay=settings.reviews_per_day, maxIvl=settings.maximum_interval,
                         bury=bury)  # fmt: skip
    preset["lapse"]["delays"] = minutes(settings.relearning_deltas())
    preset["lapse"].update(leechFails=settings.leech_threshold,
                           leechAction=0 if settings.leech_action == "suspend" else 1)  # fmt: skip
    preset.update(
        desiredRetention=settings.desired_retention,
        fsrsParams6=parameters(settings),
        buryInterdayLearning=False,  # (heartcards shows a note's learning cards all)
    )
    return preset


def _write_flags(cur: sqlite3.Cursor, guid_keys: dict, flags: dict[str, int]) -> None:
    """Each flagged card's flag, as Anki keeps it (cards.flags, 1-7: the same colours)."""
    if not flags:
        return
    rows = cur.execute("SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid")
    updates = []
    for cid, guid, ord_ in rows.fetchall():
        flag = flags.get(card_key(*guid_keys[guid], ord_ + 1))
        if flag:
            updates.append((flag, cid))
    cur.executemany("UPDATE cards SET flags = ? WHERE id = ?", updates)


# -- scheduling -----------------------------------------------------------------------------


def _write_scheduling(
    cur: sqlite3.Cursor,
    guid_keys: dict[str, tuple[str, str]],
    store: Store,
    settings: Settings,
    now: datetime,
) -> tuple[int, int]:
    """Card states and revlog rows for the exported cards; (cards scheduled, reviews)."""
    from cards.scheduler import parameters
    from cards.store import WriteFailed

    rows = cur.execute("SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid")
    cid_by_key = {}
    for cid, guid, ord_ in rows.fetchall():
        deck, note = guid_keys[guid]
        cid_by_key[card_key(deck, note, ord_ + 1)] = cid
    day = local_days(settings.day_starts_at)
    today = day(now.timestamp())
    study_today = study_day(now, settings.day_starts_at)

    updates, queues = [], []  # queues: suspended or buried cards, new ones too
    decays: dict[str, tuple[Settings, float]] = {}  # deck -> its settings and decay
    new_hidden = 0
    states = store.states(cid_by_key)
    for key, st in states.items():
        buried = not st.suspended and st.buried_until and st.buried_until > study_today
        if st.is_new or st.due is None or st.last_review is None:
            if st.suspended or buried:
                queues.append((_QUEUE_SUSPENDED if st.suspended else _QUEUE_BURIED,
                               cid_by_key[key]))  # fmt: skip
                new_hidden += 1
            continue
        deck = deck_of(key)
        own = decays.get(deck)
        if own is None:
            mine = settings.for_deck(deck)
            own = decays[deck] = (mine, parameters(mine)[20])
        updates.append((*_card_schedule(st, own[0], today, day, own[1]), cid_by_key[key]))
        if buried:  # (Anki keeps the card's type and due while it is buried)
            queues.append((_QUEUE_BURIED, cid_by_key[key]))
    cur.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
        " lapses = ?, left = ?, data = ? WHERE id = ?",
        updates,
    )
    cur.executemany("UPDATE cards SET queue = ? WHERE id = ?", queues)  # (after the updates)
    siblings = _buried_siblings(cid_by_key, states, store, settings, now, study_today)
    cur.executemany(f"UPDATE cards SET queue = {_QUEUE_SIBLING_BURIED} WHERE id = ?", siblings)

    numbers = store.card_numbers()
    cid_by_number = {numbers[k]: cid for k, cid in cid_by_key.items() if k in numbers}
    kept = store.reviews_as_kept()
    if not kept:  # reviews logged before schema 5: their intervals, once (unless busy)
        with contextlib.suppress(WriteFailed):
            kept = store.fill_intervals(settings.day_starts_at) and store.reviews_as_kept()
    if kept and str(store.path) != ":memory:":  # (one in memory cannot be attached)
        reviews = _copy_revlog(cur, store, cid_by_number)
    else:  # a time of its own (the clock went back), or values to report: row by row
        revlog = _revlog(store.review_rows(), cid_by_number, settings.day_starts_at)
        cur.executemany("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog)
        reviews = len(revlog)
    cur.executemany(
        "INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, 0, 4)",
        _by_hand_revlog(store.by_hand_rows(), cid_by_number, settings.day_starts_at),
    )
    return len(updates) + new_hidden, reviews


def _by_hand_revlog(rows, cid_by_number, day_starts_at: int) -> list[tuple]:
    """Anki's Manual revlog rows (type 4, button 0) of Forget and Set due date, as Anki
    writes them (rslib revlog/mod.rs log_scheduled_review): ease factor 0 marks a Forget,
    which Anki's FSRS takes as the start of the card's history."""
    interval = interval_of(day_starts_at)
    out = []
    for rid, card, _at, state, due, last, state_before, due_before, last_before in rows:
        cid = cid_by_number.get(card)
        if cid is None:
            continue
        forgot = state == NEW
        ivl = 0 if forgot else interval(state, due, last)
        out.append((rid, cid, 0, ivl, interval(state_before, due_before, last_before),
                    0 if forgot else _INITIAL_EASE))  # fmt: skip
    return out


# Anki's revlog rows (id, cid, usn, ease, ivl, lastIvl, factor, time, type) of the standing
# reviews in the collection's log (schema 5, cards/store.py) of the exported cards: what
# _revlog() works out row by row, when each review holds its intervals and the log's ids
# are in time order (Store.reviews_as_kept). Ids are the log's: the review's time, or
# a ms or so later where answers came within one ms.
_REVLOG_COPY = f"""
INSERT INTO main.revlog
SELECT r.id, c.cid, -1, r.rating, r.ivl, r.last_ivl,
       CASE WHEN r.state = {LEARNING} THEN 0 ELSE {_INITIAL_EASE} END,
       max(0, min(ifnull(r.duration, 0), {2**31 - 1})),
       CASE r.before_state {" ".join(f"WHEN {s} THEN {t}" for s, t in _REVLOG_TYPE.items())} END
FROM heart.revlog AS r JOIN temp.exported AS c ON c.number = r.card
WHERE r.kind = 0 AND NOT EXISTS (SELECT 1 FROM heart.revlog AS u WHERE u.undoes = r.id)
"""


def _copy_revlog(cur: sqlite3.Cursor, store: Store, cid_by_number: dict[int, int]) -> int:
    """The revlog copied in SQL from the collection (attached, read only); rows copied."""
    cur.connection.commit()  # (ATTACH cannot run inside a transaction)
    uri = f"{store.path.resolve().as_uri()}?mode=ro"
    cur.execute("ATTACH DATABASE ? AS heart", (uri,))
    try:
        cur.execute("CREATE TEMP TABLE exported (number INTEGER PRIMARY KEY, cid INTEGER)")
        cur.executemany("INSERT INTO temp.exported VALUES (?, ?)", cid_by_number.items())
        cur.execute(_REVLOG_COPY)
        copied = cur.rowcount
        cur.execute("DROP TABLE temp.exported")
        cur.connection.commit()
    finally:
        cur.execute("DETACH DATABASE heart")
    return copied


def _buried_siblings(cid_by_key, states, store, settings, now, today) -> list[tuple[int]]:
    """Cards hidden today by a sibling, as Anki buries them (new and review siblings, not
    learning ones): those of a note answered today, and of a note with more than one
    review due today, all but the one heartcards shows (the longest due, then the first
    in deck order). Anki, too, shows one card of a note a day, but picks among siblings
    due the same day by a hash of its own card ids: buried, the others leave it ours."""
    if not settings.bury_siblings and not any(
        t.get("bury_siblings") for t in settings.decks.values()
    ):
        return []
    from cards.days import today_bounds

    def note_of(key: str) -> str:
        return "/".join(key.split("/", 2)[:2])

    start, end = today_bounds(now, settings.day_starts_at)
    _, _, answered = store.today_counts(start, end)
    busy = {note_of(k) for k in answered}
    out = []
    due: dict[str, list[tuple]] = {}  # note -> its reviews due today: (due, place, cid)
    for place, (key, cid) in enumerate(cid_by_key.items()):
        st = states.get(key) or CardState(key)
        if key in answered or st.suspended or (st.buried_until and st.buried_until > today):
            continue
        if not settings.for_deck(deck_of(key)).bury_siblings:
            continue
        note = note_of(key)
        if note in busy:
            if st.state in (NEW, REVIEW):
                out.append((cid,))
        elif st.state == REVIEW and st.due < end:
            due.setdefault(note, []).append((st.due, place, cid))
    for cards in due.values():
        if len(cards) > 1:
            out += [(cid,) for _, _, cid in sorted(cards)[1:]]
    return out


def _card_schedule(
    st: CardState, settings: Settings, today: int, day: Callable[[float], int], decay: float
) -> tuple:
    """(type, queue, due, ivl, factor, reps, lapses, left, data) of a reviewed card."""
    due_ts, last_ts = st.due.timestamp(), st.last_review.timestamp()
    due_day, last_day = day(due_ts), day(last_ts)
    left = 0
    if st.state == REVIEW:
        queue, due = 2, due_day - today
        ivl = max(1, due_day - last_day)
    else:
        steps = settings.learning_steps if st.state == LEARNING else settings.relearning_steps
        left = max(0, len(steps) - (st.step or 0))
        if due_day > last_day:  # the step runs past the day's end: Anki's day learning
            queue, due = 3, due_day - today
        else:
            queue, due = 1, int(due_ts)
        ivl = 0 if st.state == LEARNING else max(1, round(st.stability or 1))
    factor = _INITIAL_EASE if st.state in (REVIEW, RELEARNING) else 0
    if st.suspended:
        queue = _QUEUE_SUSPENDED
    # the memory state as computed (f32): Anki schedules from exactly this
    memory = (st.stability, st.difficulty, settings.desired_retention, decay)
    if all(type(v) is float and math.isfinite(v) for v in memory):  # json.dumps' text
        s, d, dr, dc = map(float.__repr__, memory)  # (as json writes floats), faster
        data = f'{{"s":{s},"d":{d},"dr":{dr},"decay":{dc},"lrt":{int(last_ts)}}}'
    else:
        data = json.dumps(dict(zip(("s", "d", "dr", "decay"), memory, strict=True), lrt=int(last_ts)),
                          separators=(",", ":"))  # fmt: skip
    return _ANKI_CARD_TYPE[st.state], queue, due, ivl, factor, st.reps, st.lapses, left, data


def _revlog(rows: list[tuple], cid_by_number: dict[int, int], starts_at: int) -> list[tuple]:
    """Anki revlog rows (id, cid, ease, ivl, lastIvl, factor, time, type) of
    Store.review_rows() for the exported cards. Ids are review times in ms, made unique in
    time order (the log's order is the order answers were saved, which a clock set back
    can make differ)."""
    interval = interval_of(starts_at)
    out, last_id = [], 0
    append = out.append
    rows.sort(key=itemgetter(4))  # nearly always sorted already: a linear pass
    for _, card, rating, duration, at, before, due_before, last_before, after, due in rows:
        cid = cid_by_number.get(card)
        if cid is None:
            continue
        last_id = at if at > last_id else last_id + 1
        append((
            last_id,
            cid,
            rating,
            interval(after, due, at),
            interval(before, due_before, last_before),
            0 if after == LEARNING else _INITIAL_EASE,
            duration if 0 <= duration < 2**31 else max(0, min(duration, 2**31 - 1)),
            _REVLOG_TYPE[before],
        ))  # fmt: skip
    return out


# -- the file -------------------------------------------------------------------------------


def _check_output(output: Path) -> None:
    """Fail early, with one clear line, for an output path that cannot be written."""
    if output.is_dir():
        raise ExportError(f"cannot write {output}: it is a folder")
    folder = output.parent
    if not folder.exists():
        raise ExportError(f"cannot write {output}: folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"cannot write {output}: {folder} is not a folder")
    if output.exists():
        import stat

        if not stat.S_ISREG(output.stat().st_mode):  # a FIFO, a device, /dev/stdout...
            raise ExportError(f"cannot write {output}: not a regular file")
        if not os.access(output, os.W_OK):
            raise ExportError(f"cannot write {output}: permission denied")


# zlib's fastest level: a quarter of the size (10k notes, 130k reviews: 17.3 -> 4.4 MB)
# in a third of the default level's time, for 14% more bytes than it (3.8 MB)
_DEFLATE_LEVEL = 1
_STALE_SECONDS = 3600  # a temp file this old belongs to an export that was killed


def _remove_stale_temps(output: Path) -> None:
    """Temp files of earlier exports to `output` that never finished (killed)."""
    cutoff = time.time() - _STALE_SECONDS
    for tmp in output.parent.glob(f".{glob_escape(output.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()


def _write_package(output: Path, collection: bytes) -> None:
    """Zip the collection into a temp file next to `output`, then move it into place."""
    folder = output.parent
    _remove_stale_temps(output)
    while True:
        tmp = folder / f".{output.name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 minus the umask, like any new file; O_EXCL: never reuse a name
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as e:
            raise ExportError(f"cannot write {output}: {_reason(e)}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            deflate_zip.write(f, {"collection.anki2": collection, "media": b"{}"}, _DEFLATE_LEVEL)
            f.flush()
            with contextlib.suppress(OSError):  # some file systems cannot; the data is written
                os.fsync(f.fileno())
        os.replace(tmp, output)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise ExportError(f"cannot write {output}: {_reason(e)}") from None
        raise


def _reason(e: OSError) -> str:
    return e.strerror.lower() if e.strerror else str(e)
