"""A cache of parsed decks, so that start-up does not parse and validate unchanged files.

One file per deck file in the cache folder (the caller names it, e.g. <home>/cache/decks),
keyed by the deck file's resolved path and checked against its mtime (ns), size and
inode, and against the code that parses decks (a new heartcards parses again). It holds
the parse result exactly: the errors, the deck header and sources, each note, and the
card index (keys, note of each card, ordinals) in deck order.

What comes back is a CachedDeck: a Deck whose notes are decoded one by one when first
used, and whose `cards` is a CardList that makes Card objects only when asked for one.
A session over 100,000 cards reads their keys and never builds the other 99,990 cards.

Writing the cache is best effort: a read-only or full disk only costs the parse.
Only `marshal` is used (fast, no code execution on load, unlike pickle).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from itertools import chain
from pathlib import Path

from cards.model import Card, Deck, Note, Source
from cards.today import Segment, json_list

FORMAT = 5
_NOTE_FIELDS = Note.FIELDS
_SOURCE_FIELDS = Source._fields
_COMPARED = Deck.COMPARED
_fingerprint: str | None = None


def _code_fingerprint() -> str:
    """The cache is only as good as the code that filled it: a change to any module of the
    core (a new version, an edited checkout, a new kind) makes every entry stale. Every
    module, not a list of the parser's: a list is one more thing to forget."""
    global _fingerprint
    if _fingerprint is None:
        parts = [str(FORMAT)]
        top = Path(__file__).parent
        for folder, subfolders, files in os.walk(top):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(f for f in files if f.endswith(".py")):
                st = os.stat(os.path.join(folder, name))
                parts.append(f"{folder[len(str(top)) :]}/{name}:{st.st_mtime_ns}:{st.st_size}")
        _fingerprint = "|".join(parts)
    return _fingerprint


def entry_path(cache_dir: Path, path: Path) -> Path:
    # A name per deck path (the entry also holds the path: a collision is just a miss).
    raw = str(path).encode("utf-8", "surrogatepass")
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in path.stem)[:40]
    return cache_dir / f"{stem}-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.deck"


# An entry is two files: NAME.deck, a marshal record with everything but the notes' text,
# and NAME.notes, the notes one after the other (marshal each), mapped into memory rather
# than read: start-up touches only the pages of the notes it shows. Both carry a token so
# that a .deck is never paired with the .notes of another write. Neither is trusted: the
# record is stored behind its CRC-32, and each note is checked against its own CRC-32 when
# it is first decoded; a damaged entry is parsed again from the deck file (and rewritten).
_TOKEN_LEN = 16
_CRC_LEN = 4


def _sealed(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(_CRC_LEN, "big") + data


def _unsealed(data: bytes) -> memoryview:
    body = memoryview(data)[_CRC_LEN:]  # (no copy: records run to megabytes)
    if len(data) < _CRC_LEN or zlib.crc32(body) != int.from_bytes(data[:_CRC_LEN], "big"):
        raise ValueError("damaged cache entry")
    return body


def load(path: Path, display: str, cache_dir: Path):
    """deckfile.load(path, display), from the cache when the file is unchanged.
    Returns (CachedDeck | Deck | None, errors)."""
    try:
        resolved = path.resolve()
        st = os.stat(resolved)
    except OSError:
        from cards import deckfile

        return deckfile.load(path, display=display)
    # ctime too: an edit that keeps the size and puts the mtime back still changes it
    stamp = (str(resolved), st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    entry = entry_path(cache_dir, resolved)
    try:
        record = marshal.loads(_unsealed(entry.read_bytes()))
        if record[0] == _code_fingerprint() and tuple(record[1]) == stamp:
            found = _from_record(record, path, display, entry)
            if found is not None:
                return found
    except (OSError, ValueError, EOFError, TypeError, IndexError, KeyError):
        pass  # no entry, or an unreadable one: parse
    from cards import deckfile

    deck, errors = deckfile.load(path, display=display)
    try:
        token = os.urandom(_TOKEN_LEN)
        record, notes = _to_record(deck, errors, stamp, token)
        blob = _sealed(marshal.dumps(record))
    except (ValueError, TypeError):  # a value marshal cannot hold: do without the cache
        return deck, errors
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for target, data in ((entry.with_suffix(".notes"), notes), (entry, blob)):
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        found = _from_record(record, path, display, entry)
        if found is not None:
            return found
    except (OSError, ValueError):
        pass
    return deck, errors


def _to_record(deck: Deck | None, errors, stamp, token: bytes) -> tuple[tuple, bytes]:
    errs = tuple((e.line, e.col, e.message, e.warning) for e in errors)
    if deck is None:
        return (_code_fingerprint(), stamp, errs, None), token
    index = {id(n): i for i, n in enumerate(deck.notes)}
    keys, notes, ords = [], array("I"), array("I")
    for card in deck.cards:  # model.Deck.cards decides which cards a note has
        keys.append(card.key)
        notes.append(index[id(card.note)])
        ords.append(card.ord)
    ends, crcs = array("Q"), array("I")
    parts = [token]
    total = _TOKEN_LEN
    for n in deck.notes:
        b = marshal.dumps(tuple(getattr(n, f) for f in _NOTE_FIELDS))
        parts.append(b)
        total += len(b)
        ends.append(total)
        crcs.append(zlib.crc32(b))
    keys_json = json_list(keys)
    header = (
        deck.id,
        deck.name,
        deck.description,
        tuple(tuple(getattr(s, f) for f in _SOURCE_FIELDS) for s in deck.sources),
        token,
        ends.tobytes(),
        crcs.tobytes(),
        tuple(keys),
        notes.tobytes(),
        ords.tobytes(),
        _list_fingerprint(keys_json),
    )
    return (_code_fingerprint(), stamp, errs, header), b"".join(parts)


def _list_fingerprint(keys_json: str) -> str:
    """A name for this list of keys, for Store.place_deck()."""
    import hashlib

    return hashlib.blake2b(keys_json.encode(), digest_size=16).hexdigest()


def _from_record(record, path: Path, display: str, entry: Path):
    """The (deck, errors) an entry holds, or None when its notes file does not match."""
    errs = record[2]
    errors = []
    if errs:
        from cards.deckfile import DeckError

        errors = [DeckError(display, *err) for err in errs]
    data = record[3]
    if data is None:
        return None, errors
    (deck_id, name, description, sources, token, ends, crcs, keys, notes, ords,
     keys_fingerprint) = data  # fmt: skip
    blob = _map(entry.with_suffix(".notes"))
    ends = array("Q", ends)
    if blob[:_TOKEN_LEN] != token or (ends and len(blob) < ends[-1]):  # another write; cut
        return None
    deck = CachedDeck.__new__(CachedDeck)
    for field_name, value in (
        ("id", deck_id),
        ("name", name),
        ("description", description),
        ("sources", tuple(Source(*s) for s in sources)),
        ("path", path),
    ):
        object.__setattr__(deck, field_name, value)
    d = deck.__dict__
    d["_blobs"] = blob
    d["_ends"] = ends
    d["_crcs"] = array("I", crcs)
    d["_entry"] = entry
    d["_notes"] = [None] * len(d["_ends"])
    d["_keys"] = keys
    d["_note_of"] = array("I", notes)
    d["_ords"] = array("I", ords)
    d["_keys_fingerprint"] = keys_fingerprint
    d["_cards"] = [None] * len(keys)
    d["_positions"] = None
    return deck, errors


def _map(path: Path):
    """The file's bytes: mapped read-only (pages are read when touched), else read."""
    import mmap

    with open(path, "rb") as f:
        try:
            return memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):
            return f.read()


class CachedDeck(Deck):
    """A Deck from the cache. It is equal to the Deck the file parses to; its notes are
    decoded when first used and `cards` is a lazy CardList."""

    @property
    def notes(self) -> tuple[Note, ...]:
        d = self.__dict__
        if "_all_notes" not in d:
            d["_all_notes"] = tuple(self.note(i) for i in range(len(d["_ends"])))
        return d["_all_notes"]

    @property
    def lazy(self) -> bool:
        """True while notes and cards are still decoded on demand."""
        return self.__dict__.get("_blobs") is not None

    def note(self, i: int) -> Note:
        """The i-th note, decoded on first use."""
        d = self.__dict__
        if d.get("_blobs") is None:
            return d["_all_notes"][i]
        note = d["_notes"][i]
        if note is None:
            ends = d["_ends"]
            blob = d["_blobs"][ends[i - 1] if i else _TOKEN_LEN : ends[i]]
            if zlib.crc32(blob) != d["_crcs"][i]:
                return self._reparsed().notes[i]
            note = d["_notes"][i] = Note(*marshal.loads(blob))
        return note

    def _reparsed(self) -> Deck:
        """A damaged note in the cache: the deck parsed from its file instead, for good (and
        the entry removed, so the next start-up writes a sound one)."""
        from cards import deckfile

        d = self.__dict__
        with contextlib.suppress(OSError):
            d["_entry"].unlink()
        deck, _ = deckfile.load(self.path)
        if deck is None or len(deck.notes) != len(d["_ends"]):
            raise RuntimeError(f"{self.path} changed while it was being read")
        d["_all_notes"] = tuple(deck.notes)  # every note from here on comes from the parse
        d["_blobs"] = None
        d["_cards"] = [None] * len(d["_keys"])
        return deck

    @property
    def cards(self) -> list[Card]:
        if self.__dict__.get("_blobs") is None:
            return Deck.cards.fget(self)
        return CardList([self])

    def card(self, i: int) -> Card:
        """The i-th card of the deck, made on first use (then always the same object)."""
        d = self.__dict__
        card = d["_cards"][i]
        if card is None:
            card = d["_cards"][i] = Card(self.id, self.note(d["_note_of"][i]), d["_ords"][i])
        return card

    def positions(self) -> dict[str, int]:
        d = self.__dict__
        if d["_positions"] is None:
            d["_positions"] = {k: i for i, k in enumerate(d["_keys"])}
        return d["_positions"]

    def __eq__(self, other):
        if isinstance(other, Deck):
            return all(getattr(self, f) == getattr(other, f) for f in _COMPARED)
        return NotImplemented

    __hash__ = Deck.__hash__

    def __reduce__(self):  # pickle/copy as the plain Deck it stands for
        return Deck, tuple(getattr(self, f) for f in Deck.FIELDS)


class CardList(Sequence):
    """The cards of cached decks, in order, made one by one when asked for. Compares equal
    to the list of the same cards; `+` gives a list."""

    def __init__(self, decks: list[CachedDeck]):
        self._decks = decks
        self._starts: list[int] = []
        n = 0
        for deck in decks:
            self._starts.append(n)
            n += len(deck.__dict__["_keys"])
        self._len = n

    def __len__(self) -> int:
        return self._len

    def _locate(self, i: int) -> tuple[CachedDeck, int]:
        k = bisect_right(self._starts, i) - 1
        return self._decks[k], i - self._starts[k]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("card index out of range")
        if len(self._decks) == 1:
            return self._decks[0].card(i)
        deck, local = self._locate(i)
        return deck.card(local)

    def __iter__(self) -> Iterator[Card]:
        for deck in self._decks:
            for i in range(len(deck.__dict__["_keys"])):
                yield deck.card(i)

    def __eq__(self, other):
        if isinstance(other, CardList | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)

    def __repr__(self) -> str:
        return repr(list(self))

    @property
    def by_key(self) -> Mapping[str, Card]:
        return _ByKey(self)

    def session_source(self) -> _Source:
        if getattr(self, "_source", None) is None:
            self._source = _Source(self)
        return self._source


class _ByKey(Mapping):
    """key -> Card for a CardList, without making every Card."""

    def __init__(self, cards: CardList):
        self._src = cards.session_source()
        self._cards = cards

    def __getitem__(self, key: str) -> Card:
        pos = self._src.position(key)
        if pos is None:
            raise KeyError(key)
        return self._cards[pos]

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self._src.position(key) is not None

    def __iter__(self):
        return iter(self._src.keys)

    def __len__(self) -> int:
        return len(self._src.keys)


class _Source:
    """What a Session needs of its cards, by position: keys, notes, the JSON array of the
    keys for the store, positions of keys, and the Card itself when it is shown."""

    def __init__(self, cards: CardList):
        decks = cards._decks
        self._decks = {d.id: (d, start) for d, start in zip(decks, cards._starts, strict=True)}
        if len(decks) == 1:
            self.keys = decks[0].__dict__["_keys"]
        else:
            self.keys = list(chain.from_iterable(d.__dict__["_keys"] for d in decks))
        keys = self.keys
        self.card = cards.__getitem__

        def note(pos: int) -> str:  # (one call, not two: select_due asks once a candidate)
            key = keys[pos]  # DECK/NOTE or DECK/NOTE/N; ids are slugs: slashes separate
            return key if key.count("/") == 1 else key[: key.rindex("/")]

        self.note = note

    @cached_property
    def json(self) -> str:
        return json_list(self.keys)

    def segments(self) -> list[Segment]:
        """Each deck's cards: the store knows their places by the deck's id and list
        fingerprint (Store.place_deck)."""
        return [
            Segment(start, d.__dict__["_keys"], d.id, d.__dict__["_keys_fingerprint"])
            for d, start in self._decks.values()
            if d.__dict__["_keys"]
        ]

    def position(self, key: str) -> int | None:
        found = self._decks.get(key.split("/", 1)[0])
        if found is None:
            return None
        deck, start = found
        local = deck.positions().get(key)
        return None if local is None else start + local
