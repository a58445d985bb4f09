"""Two-way sync through Anki's own sync server (AnkiWeb, or a self-hosted
`python -m anki.syncserver`), with Anki's engine doing the syncing (the optional `anki`
package: `pip install 'heartcards[sync]'`).

heartcards keeps a mirror, an Anki collection in <home>/sync/collection.anki2 that holds
our decks as an export gives them to Anki. A sync:

1. brings our notes into the mirror (an export without scheduling, imported with Anki's
   "update notes if newer": new notes added, changed ones updated, the rest untouched);
2. writes our cards' schedules, flags and the reviews it lacks into the mirror
   (cards.anki_mirror), each change marked as Anki marks a local one;
3. syncs the mirror with the server (a full upload or download when the server asks for
   one, as `choose` decides);
4. merges the reviews the mirror now has from elsewhere into our log (the import's way:
   Store.merge_reviews leaves out the reviews we have and replays the cards it touches,
   so a card studied on both sides gets both reviews, in time order); and if that changed
   any card, writes those states into the mirror and syncs again, so every side agrees.

Our review log and card states are only written in step 4, in one transaction (step 1's
export keeps its note marks, as any export does): a sync cut short anywhere (offline,
killed) leaves them as they were, and the next sync starts over from them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cards.config import Settings

ANKIWEB = ""  # the endpoint Anki uses when none is given
FOLDER = "sync"
MIRROR = "collection.anki2"
AUTH = "auth.json"
STATE = "state.json"


class SyncError(Exception):
    """A sync that could not be done: one line for the user; our collection unchanged."""


class NeedsChoice(SyncError):
    """The server asks for a full sync and no one chose which side wins."""


@dataclass
class Report:
    pushed: int = 0  # rows of ours sent (cards, reviews)
    merged: int = 0  # reviews from elsewhere merged into our log
    touched: int = 0  # cards those reviews changed
    full: str | None = None  # "upload" or "download" if a full sync was done


def available() -> bool:
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        return False
    return True


def folder(home: Path) -> Path:
    return home / FOLDER


# -- the session key: kept, the password never --------------------------------------------


def saved_auth(home: Path) -> dict | None:
    try:
        data = json.loads((folder(home) / AUTH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("hkey"), str) else None


def login(home: Path, user: str, password: str, server: str) -> dict:
    """Log in to `server` (ANKIWEB: AnkiWeb) and keep the session key, in a file only the
    user can read; SyncError if the server refuses or cannot be reached."""
    col = _open(folder(home) / MIRROR)
    try:
        auth = col.sync_login(user, password, server or None)
    except Exception as e:
        raise SyncError(_why(e, server)) from None
    finally:
        col.close()
    data = {"hkey": auth.hkey, "endpoint": auth.endpoint, "user": user, "server": server}
    _save_auth(home, data)
    return data


def _save_auth(home: Path, data: dict) -> None:
    path = folder(home) / AUTH
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def forget_login(home: Path) -> None:
    (folder(home) / AUTH).unlink(missing_ok=True)


# -- the sync -------------------------------------------------------------------------------


def sync(
    home: Path,
    store,
    decks: list,
    settings: Settings,
    clock: Callable[[], datetime],
    auth: dict,
    choose: Callable[[str], str | None],
) -> Report:
    """Sync our collection with the server through the mirror (see the module's doc).
    `choose(required)`, required being "upload", "download" or "either", says which side
    wins a full sync ("upload": ours, "download": the server's), or None to stop
    (NeedsChoice)."""
    from anki.sync_pb2 import SyncAuth

    from cards import anki_mirror
    from cards.anki import note_guid

    report = Report()
    mirror = folder(home) / MIRROR
    guid_keys = {note_guid(f"{d.id}/{n.id}"): (d.id, n.id) for d in decks for n in d.notes}
    key = SyncAuth(hkey=auth["hkey"], endpoint=auth.get("endpoint") or None)

    state = _state(home)
    digest = _digest(decks, settings)

    def bring_ours(everything: bool = False, also: set[str] = frozenset()) -> int:
        col = _open(mirror)
        try:
            if everything or state.get("decks") != digest:  # (the notes, when they changed)
                _import_ours(col, decks, store, settings, clock())
            today = col.sched.today
        finally:
            col.close()
        state["decks"] = digest
        top = store.last_row_id()
        db = anki_mirror.connect(mirror)
        try:
            since = 0 if everything else state.get("pushed", 0)
            changed = anki_mirror.push(db, guid_keys, store, settings, clock(), today, since,
                                       also)  # fmt: skip
        finally:
            db.close()
        state["pushed"] = top
        _save_state(home, state)
        return changed

    fresh = not mirror.exists()
    report.pushed = bring_ours(everything=fresh)
    full = _sync(mirror, key, choose, report)
    if full == "download":  # the server's collection is the mirror now: ours into it
        state.pop("pulled_usn", None)  # (its usns are the server's: read all it has)
        report.pushed += bring_ours(everything=True)
        _sync(mirror, key, lambda required: "upload", report)  # (our note types: a new schema)
    merged, touched, keys = _pull(mirror, store, decks, settings, state, guid_keys)
    _save_state(home, state)
    report.merged, report.touched = merged, touched
    if touched:  # (their rows are older than the last one sent: named, so they go)
        report.pushed += bring_ours(also=keys)
        _sync(mirror, key, choose, report)
        _note_pulled(mirror, state)
        _save_state(home, state)
    if key.endpoint and key.endpoint != auth.get("endpoint"):
        _save_auth(home, {**auth, "endpoint": key.endpoint})
    return report


def _sync(mirror: Path, key, choose, report: Report) -> str | None:
    """One sync of the mirror; "upload" or "download" if it had to be a full one."""
    from anki.sync_pb2 import SyncCollectionResponse

    needs = SyncCollectionResponse.ChangesRequired
    col = _open(mirror)
    try:
        try:
            out = col.sync_collection(key, False)
        except Exception as e:
            raise SyncError(_why(e, key.endpoint)) from None
        if out.new_endpoint:
            key.endpoint = out.new_endpoint
        required = {needs.FULL_UPLOAD: "upload", needs.FULL_DOWNLOAD: "download",
                    needs.FULL_SYNC: "either"}.get(out.required)  # fmt: skip
        if required is None:
            return None
        side = choose(required)
        if side is None:
            raise NeedsChoice(required)
        if required != "either" and side != required:
            raise SyncError(f"the sync server can only do a full {required} now")
        col.close_for_full_sync()
        try:
            col.full_upload_or_download(auth=key, server_usn=out.server_media_usn or None,
                                        upload=side == "upload")  # fmt: skip
        except Exception as e:
            raise SyncError(_why(e, key.endpoint)) from None
        finally:
            col.reopen(after_full_sync=True)
        report.full = side
        return side
    finally:
        col.close()


def _pull(
    mirror: Path, store, decks, settings: Settings, state: dict, guids: dict
) -> tuple[int, int, set[str]]:
    """Merge the reviews of our cards that the mirror has and we lack, of those the syncs
    since the last pull brought; (merged, cards touched, their keys)."""
    from cards import scheduler
    from cards.anki_import import plan, read_collection

    package = read_collection(mirror, state.get("pulled_usn"))
    _note_pulled(mirror, state)
    known = store.review_times(_keys_of(package, guids, package.revlog))
    ids = set().union(*known.values()) if known else set()
    suspended = {k for k, s, _ in store.hidden() if s}
    if (
        all(r[0] in ids for r in package.revlog)
        and _keys_of(
            package, guids, [(0, cid) for cid, (_, _, q) in package.cards.items() if q == -1]
        )
        <= suspended
    ):
        return 0, 0, set()  # nothing new: the rows the sync brought were ours
    todo = plan(package, decks, known, guids=guids)
    merged, touched = store.merge_reviews(
        [(r.key, r.at_ms, r.rating, r.duration_ms) for r in todo.reviews],
        lambda state, rating, at: scheduler.review(settings, state, rating, at),
        settings.day_starts_at,
        suspend=todo.suspend,
    )
    return merged, touched, {r.key for r in todo.reviews} | set(todo.suspend)


def _keys_of(package, ours: dict, rows) -> set[str]:
    """The card keys of our cards that `rows` ((id, card id, ...) each) are of."""
    from cards.model import card_key

    cards = {row[1] for row in rows}
    out = set()
    for cid in cards:
        nid, ord_, _ = package.cards.get(cid, (None, 0, 0))
        note = ours.get(package.notes.get(nid, ""))
        if note is not None:
            out.add(card_key(*note, ord_ + 1))
    return out


def _note_pulled(mirror: Path, state: dict) -> None:
    """Remember the highest revlog usn the mirror has: the next pull reads what is newer.
    (Rows not yet sent have usn -1; a sync gives them the server's.)"""
    import sqlite3

    db = sqlite3.connect(f"{mirror.resolve().as_uri()}?mode=ro", uri=True)
    try:
        (usn,) = db.execute("SELECT ifnull(max(usn), -1) FROM revlog").fetchone()
    finally:
        db.close()
    state["pulled_usn"] = usn


def _state(home: Path) -> dict:
    """What the last sync left: the decks' digest, the last of our log's rows sent, the
    highest revlog usn pulled."""
    try:
        data = json.loads((folder(home) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(home: Path, state: dict) -> None:
    path = folder(home) / STATE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, path)


def _digest(decks, settings: Settings) -> str:
    """What the notes and presets sent to the mirror depend on: the deck files' bytes and
    the settings (a change of either imports the notes again)."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps(settings.as_dict(), sort_keys=True, default=str).encode())
    for deck in sorted(decks, key=lambda d: d.id):
        h.update(deck.id.encode() + b"\0")
        try:
            h.update(Path(deck.path).read_bytes() if deck.path else b"")
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def _import_ours(col, decks, store, settings: Settings, now: datetime) -> None:
    """Our notes into the mirror: an export of them, imported as Anki's import dialog does
    by default (notes and note types updated if newer), with our deck presets."""
    from anki.import_export_pb2 import (
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
        ImportAnkiPackageUpdateCondition,
    )

    from cards.anki import export_apkg

    newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    with tempfile.TemporaryDirectory(prefix="heartcards-sync-") as tmp:
        package = Path(tmp) / "ours.apkg"
        export_apkg(decks, package, store=store, settings=settings, now=now)
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=True,
                                           update_notes=newer, update_notetypes=newer)  # fmt: skip
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                         options=options))  # fmt: skip


def _open(path: Path):
    from anki.collection import Collection

    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    try:
        col = Collection(str(path))
    except Exception as e:
        raise SyncError(f"cannot open the sync mirror {path}: {e}") from None
    if fresh:
        col.set_config("fsrs", True)
    return col


def _why(e: Exception, server: str | None) -> str:
    """A sync error as one line: Anki's message, first line, and where."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    where = server or "AnkiWeb"
    name = type(e).__name__
    if name == "NetworkError":
        return f"cannot reach the sync server ({where}): offline, or the server is down"
    if name == "SyncError" and "password" in text.lower():
        return f"the sync server ({where}) refused the user name or password"
    return f"sync with {where} failed: {text}"
