"""The way back from Anki: what was studied there, read from an Anki package.

An .apkg or .colpkg exported from Anki "with scheduling" holds a whole (or partial)
collection: notes, cards and the review log (revlog). heartcards knows its own notes by
GUID (cards.anki.note_guid of DECK/NOTE) and a card by its note and ordinal, so each
review row of one of our cards maps to a card key. `read_package` reads what is needed and
`plan` sorts it: the reviews to merge (Store.merge_reviews leaves out those we have and
replays each touched card from its first new review on), suspensions, and what is left
out and why. Nothing here writes; a file that is not a readable Anki package raises PackageError
with one line for the user.

Package formats (rslib/src/import_export/package/meta.rs): "collection.anki21b" (the
current one: the SQLite collection compressed with zstd, a "meta" entry saying so), else
"collection.anki21", else "collection.anki2" (both plain SQLite). A current package also
holds a dummy "collection.anki2" for old versions of Anki: the newest one is read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cards import anki_notes
from cards.anki_notes import Notes
from cards.model import Deck, card_key

_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_SCHEMAS = range(11, 19)  # the collection versions Anki can open (storage/upgrades)
_MAX_COLLECTION = 4 << 30  # a collection larger than this is not one we can read
# Anki's revlog types: 0 learn, 1 review, 2 relearn, 3 filtered (cram), 4 manual (Forget,
# Set due date), 5 rescheduled (FSRS "reschedule cards on change")
_REPLAYABLE = (0, 1, 2)
_NOT_REPLAYED = {
    3: "reviewed in a filtered deck",
    4: "set by hand in Anki (Forget, Set due date)",
    5: "rescheduled by Anki",
}


class PackageError(Exception):
    """The file cannot be read as an Anki package: one line for the user."""


@dataclass(frozen=True)
class AnkiReview:
    key: str
    at_ms: int  # Anki's revlog id: the time of the answer in ms
    rating: int  # 1-4
    duration_ms: int


@dataclass
class Plan:
    """What an import brings: reviews to merge (oldest first), cards to suspend, counts."""

    reviews: list[AnkiReview] = field(default_factory=list)
    suspend: list[str] = field(default_factory=list)
    notes_ours: int = 0
    notes_not_ours: int = 0
    skipped: Counter = field(default_factory=Counter)  # why -> reviews left out


@dataclass(frozen=True)
class Package:
    notes: dict[int, str]  # note id -> GUID
    cards: dict[int, tuple[int, int, int]]  # card id -> (note id, ordinal, queue)
    revlog: list[tuple[int, int, int, int, int]]  # (id, card id, ease, time ms, type)
    content: Notes | None = None  # note types, fields, tags and decks (cards.anki_notes)


def read_package(path: Path) -> Package:
    """The notes, cards and review log of an Anki package; PackageError if unreadable."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            name = next((n for n in _COLLECTIONS if n in names), None)
            if name is None:
                raise PackageError(f"{path} is not an Anki package: it holds no collection")
            info = z.getinfo(name)
            if info.file_size > _MAX_COLLECTION:
                raise PackageError(f"{path}: its collection is too large to read")
            data = z.read(name)
    except PackageError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as e:
        raise PackageError(_not_a_zip(path, e)) from None
    except IsADirectoryError:
        raise PackageError(f"{path} is a folder, not an Anki package") from None
    except FileNotFoundError:
        raise PackageError(f"{path} does not exist") from None
    except (OSError, EOFError, ValueError) as e:
        raise PackageError(f"{path} cannot be read: {_reason(e)}") from None
    except Exception as e:  # a damaged entry: zlib.error...
        raise PackageError(f"{path} is damaged: {_reason(e)}") from None
    if name.endswith("b"):
        data = _unzstd(path, data)
    return _read_collection(path, data)


def _not_a_zip(path: Path, e: Exception) -> str:
    if "CRC" in str(e):
        return f"{path} is damaged: its collection fails the zip's checksum"
    try:
        with open(path, "rb") as f:
            zip_like = f.read(4) == b"PK\x03\x04"
    except OSError:
        zip_like = False
    if zip_like:  # a zip's start without its end: a download or copy cut short
        return f"{path} is cut short or damaged: the zip's table of contents is missing"
    return f"{path} is not an Anki package: not a zip file"


def _unzstd(path: Path, data: bytes) -> bytes:
    import zstandard

    try:
        return zstandard.ZstdDecompressor().stream_reader(data).read()
    except zstandard.ZstdError as e:
        raise PackageError(f"{path} is damaged: {_reason(e)}") from None


def read_collection(path: Path, usn_above: int | None = None) -> Package:
    """What read_package reads of reviews, from an Anki collection file itself (the sync
    mirror), without the notes' content; only the revlog rows whose usn is above
    `usn_above`, if given (those a sync brought)."""
    return _read_db(path, Path(path), usn_above, content=False)


def _read_collection(path: Path, data: bytes) -> Package:
    if not data.startswith(b"SQLite format 3\x00"):
        raise PackageError(f"{path} is not an Anki package: its collection is not a database")
    # (a file, not deserialize: a damaged database is then an error, never a crash)
    fd, tmp = tempfile.mkstemp(prefix="heartcards-import-", suffix=".anki2")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return _read_db(path, Path(tmp))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_db(path: Path, db_path: Path, usn_above: int | None = None, content=True) -> Package:
    """The package's content from the collection database at `db_path` (read only)."""
    try:
        db = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (ver,) = db.execute("SELECT ver FROM col").fetchone()
            if ver not in _SCHEMAS:
                raise PackageError(
                    f"{path}: a collection of version {ver}, which this version of heartcards"
                    " cannot read (it reads Anki's versions 11 to 18)"
                )
            notes = dict(db.execute("SELECT id, guid FROM notes"))
            cards = {cid: (nid, ord_, queue) for cid, nid, ord_, queue in db.execute(
                "SELECT id, nid, ord, queue FROM cards")}  # fmt: skip
            revlog = db.execute(
                "SELECT id, cid, ease, time, type FROM revlog WHERE usn > ? ORDER BY id",
                (-(2**62) if usn_above is None else usn_above,),
            ).fetchall()
            content = anki_notes.read(db) if content else None
        finally:
            db.close()
    except PackageError:
        raise
    except (sqlite3.Error, TypeError, ValueError, KeyError, AttributeError) as e:
        raise PackageError(f"{path}: its collection is damaged ({_reason(e)})") from None
    return Package(notes, cards, revlog, content)


def plan(
    package: Package,
    decks: list[Deck],
    known: dict[str, set[int]] | None = None,
    theirs: dict[str, tuple[str, str]] | None = None,
    guids: dict[str, tuple[str, str]] | None = None,
) -> Plan:
    """What `package` brings for `decks`: every replayable review of one of our cards.
    Those the collection has already (it exported them, or an earlier import brought
    them) are left out by Store.merge_reviews, under its write lock. `known`
    (Store.review_times): the rows our exports gave Anki, so our own Forget and Set due
    date rows coming back are not counted as skipped. `theirs`: Anki GUID -> (deck, note)
    of the notes made from Anki's own (cards.anki_decks), whose reviews come too.
    `guids`: our notes' GUIDs (note_guid of each DECK/NOTE), if the caller has them."""
    known = known or {}
    theirs = theirs or {}
    from cards.anki import note_guid

    ours: dict[str, tuple[str, str]] = {}
    cards_of: dict[tuple[str, str], set[int]] = {}
    for deck in decks:
        if guids is None:
            for note in deck.notes:
                ours[note_guid(f"{deck.id}/{note.id}")] = (deck.id, note.id)
        for card in deck.cards:
            cards_of.setdefault((card.deck_id, card.note.id), set()).add(card.ord)
    ours.update(guids or {})
    ours.update(theirs)
    out = Plan()
    key_of: dict[int, str | None] = {}  # Anki card id -> our card key (None: not ours)
    for guid in package.notes.values():
        if guid in ours:
            out.notes_ours += 1
        else:
            out.notes_not_ours += 1
    for cid, (nid, ord_, queue) in package.cards.items():
        note = ours.get(package.notes.get(nid, ""))
        if note is None or ord_ + 1 not in cards_of.get(note, ()):
            key_of[cid] = None
            continue
        key = key_of[cid] = card_key(*note, ord_ + 1)
        if queue == -1:
            out.suspend.append(key)
    for rid, cid, ease, duration, kind in package.revlog:
        key = key_of.get(cid)
        if key is None:
            if cid in key_of:  # a card of a note that is not ours (or no longer a card)
                out.skipped["of notes or cards not in your decks"] += 1
            continue
        if kind == 4 and rid in known.get(key, ()):
            continue  # (ours, exported: the collection has it)
        if kind not in _REPLAYABLE or not 1 <= ease <= 4:
            out.skipped[_NOT_REPLAYED.get(kind, "of a kind heartcards cannot replay")] += 1
            continue
        out.reviews.append(AnkiReview(key, rid, ease, max(0, duration)))
    return out


def _reason(e: BaseException) -> str:
    text = str(e).strip().rstrip(".")
    return (text[:1].lower() + text[1:]) if text else type(e).__name__
