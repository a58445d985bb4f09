"""Deck files (TOML, format 1): parse, validate, and write back.

Every problem is reported with its file, line and column, not just the first one.
A problem in the deck header or the TOML itself rejects the file; a problem in one
note skips that note and keeps the rest, so one typo never hides a whole deck.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cards import kinds
from cards.model import Deck, Note, Source
from cards.text import CONTROLS, without_controls
from cards.tomlpos import lookup, positions

FORMAT = 1
# \Z, not $: "$" also matches before a final newline, and `id = "t\n"` is not a slug
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*\Z")

# Field name -> (type, required): the fields of every note; each kind adds its own.
COMMON = {
    "id": (str, True),
    "kind": (str, True),
    "tags": (list, False),
    "source": ((str, list), False),
    "evidence": (list, False),
    "extra": (str, False),
}
DECK_FIELDS = {"id": (str, True), "name": (str, True), "description": (str, False)}
SOURCE_FIELDS = {
    "id": (str, True),
    "title": (str, True),
    "author": (str, False),
    "year": (int, False),
    "venue": (str, False),
    "url": (str, False),
    "doi": (str, False),
    "note": (str, False),
}
TOP_LEVEL = ("format", "deck", "sources", "notes")


@dataclass(frozen=True, order=True)
class DeckError:
    path: str
    line: int
    col: int
    message: str
    warning: bool = False  # reported, but the deck or note still loads

    def __str__(self) -> str:
        message = f"warning: {self.message}" if self.warning else self.message
        if self.line == 0:  # about the whole file or folder, e.g. it does not exist
            return f"{self.path}: {message}"
        return f"{self.path}:{self.line}:{self.col}: {message}"


MAX_BYTES = 64 * 1024 * 1024  # a deck of 100,000 notes is about 20 MB


def load(path: Path, display: str | None = None) -> tuple[Deck | None, list[DeckError]]:
    """Read and validate one deck file. `display` is how the path is shown in errors."""
    shown = display or str(path)
    try:
        raw = read_regular_file(path, MAX_BYTES)
    except OSError as e:
        return None, [DeckError(shown, 1, 1, f"cannot read: {e.strerror or e}")]
    except ValueError as e:
        return None, [DeckError(shown, 1, 1, str(e))]
    try:
        text = raw.decode("utf-8")
        if text.startswith("\ufeff"):  # a byte-order mark, as some Windows editors write
            text = text[1:]
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        return None, [DeckError(shown, line, col, "not valid UTF-8 text")]
    return parse(text, shown, path)


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A FIFO, a device (a link to
    /dev/zero) or a folder is a ValueError at once, never a read that hangs or never ends."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise ValueError(f"cannot read: {kind}")
        if st.st_size > limit:
            raise ValueError(f"cannot read: larger than {limit // (1024 * 1024)} MB")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise ValueError(f"cannot read: larger than {limit // (1024 * 1024)} MB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse(text: str, shown: str = "<deck>", path: Path | None = None):
    """Validate deck text. Returns (deck or None, errors)."""
    try:
        return _parse(text, shown, path)
    except RecursionError:  # arrays or tables nested hundreds deep
        return None, [DeckError(shown, 1, 1, "TOML nested too deeply to read")]
    except MemoryError:
        return None, [DeckError(shown, 1, 1, "too large to read")]


def _parse(text: str, shown: str, path: Path | None):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, col = _decode_error_position(e, text)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(e))
        return None, [DeckError(shown, line, col, f"TOML syntax: {message}")]
    v = _Validator(shown, _Positions(text))
    if "\\" in text or CONTROLS.search(text):  # raw, or written as escapes (\u001b, \b)
        data = v.without_controls(data, ())
    deck = v.deck(data, path)
    return deck, sorted(v.errors + v.warnings)


def _decode_error_position(e: tomllib.TOMLDecodeError, text: str) -> tuple[int, int]:
    if m := re.search(r"at line (\d+), column (\d+)", str(e)):
        return int(m[1]), int(m[2])
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


_NOTES_HEADER = re.compile(r"\n[ \t]*\[\[[ \t]*notes[ \t]*\]\]")  # run on "\n" + text


class _Positions:
    """tomlpos.positions(text), computed only when a position is asked for: a valid deck
    (the common case) needs none but the line of each note, found with one regex scan.
    Behaves as the dict positions() returns, for tomlpos.lookup()."""

    def __init__(self, text: str):
        self.text = text
        self._found: dict | None = None
        self._note_lines: list[int] | None = None

    @property
    def found(self) -> dict:
        if self._found is None:
            self._found = positions(self.text)
        return self._found

    def __contains__(self, path) -> bool:
        return path in self.found

    def __getitem__(self, path):
        return self.found[path]

    def note_line(self, i: int) -> int:
        """lookup(positions(text), ("notes", i))[0], the line of the i-th [[notes]]."""
        if self._note_lines is None:
            self._note_lines = self._scan_note_lines()
        if i < len(self._note_lines):
            return self._note_lines[i]
        return lookup(self.found, ("notes", i))[0]

    def _scan_note_lines(self) -> list[int]:
        text = self.text
        # positions() skips headers inside multi-line strings: with those, ask it.
        if '"""' in text or "'''" in text:
            found = self.found
            return [found[("notes", i)][0] for i in range(len(found)) if ("notes", i) in found]
        lines, line, at = [], 1, 0
        for m in _NOTES_HEADER.finditer("\n" + text):
            start = m.start()  # in `text`, where the header's line starts
            line += text.count("\n", at, start)
            at = start
            lines.append(line)
        return lines


def _as_toml(value) -> str:
    """A value as it was written in the file (true, not Python's True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


_REQUIRED: dict[int, tuple[dict, tuple[str, ...]]] = {}


def _required(spec: dict) -> tuple[str, ...]:
    """The required keys of a field spec, in its order (worked out once per spec)."""
    found = _REQUIRED.get(id(spec))
    if found is None or found[0] is not spec:
        found = _REQUIRED[id(spec)] = (spec, tuple(k for k, (_, req) in spec.items() if req))
    return found[1]


_SPECS: dict[str, dict] = {}


def _spec(kind: kinds.Kind) -> dict:
    """COMMON | kind.fields, merged once rather than for every note."""
    spec = _SPECS.get(kind.name)
    if spec is None:
        spec = _SPECS[kind.name] = COMMON | kind.fields
    return spec


class _Validator:
    def __init__(self, shown: str, found: dict):
        self.shown = shown
        self.found = found
        self.errors: list[DeckError] = []
        self.warnings: list[DeckError] = []

    def without_controls(self, value, where: tuple):
        """`value` (the parsed TOML) with control characters taken out of every string,
        each removal reported as a located warning."""
        if isinstance(value, str):
            found = CONTROLS.findall(value)
            if found:
                line, col = lookup(self.found, where)
                names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
                self.warnings.append(
                    DeckError(self.shown, line, col, f"control characters removed: {names}", True)
                )
                return without_controls(value)
            return value
        if isinstance(value, dict):
            return {k: self.without_controls(v, where + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.without_controls(v, where + (i,)) for i, v in enumerate(value)]
        return value

    def error(self, where: tuple, message: str) -> None:
        line, col = lookup(self.found, where)
        self.errors.append(DeckError(self.shown, line, col, message))

    def deck(self, data: dict, path: Path | None) -> Deck | None:
        fatal = len(self.errors)
        for key in data:
            if key not in TOP_LEVEL:
                self.error((key,), f"unknown top-level key {key!r} (expected {_list(TOP_LEVEL)})")
        if "format" not in data:
            self.error((), "missing 'format = 1' at the top of the deck")
        elif data["format"] != FORMAT or type(data["format"]) is not int:
            self.error(
                ("format",),
                f"unsupported format {_as_toml(data['format'])}: this version reads format 1",
            )
        header = data.get("deck")
        if not isinstance(header, dict):
            self.error(("deck",), "missing [deck] table with id and name")
            header = None
        else:
            self.fields(("deck",), header, DECK_FIELDS, "[deck]")
            if isinstance(header.get("id"), str) and not SLUG.match(header["id"]):
                self.error(("deck", "id"), f"deck id {header['id']!r} must match [a-z0-9-]+")
        sources = self.sources(data.get("sources", []))
        if len(self.errors) > fatal or header is None:
            return None
        notes = self.notes(data.get("notes", []), {s.id for s in sources})
        return Deck(
            id=header["id"],
            name=header["name"],
            description=header.get("description", ""),
            sources=tuple(sources),
            notes=tuple(notes),
            path=path,
        )

    def fields(self, where: tuple, table: dict, spec: dict, label: str) -> bool:
        """Report unknown keys, wrong types and missing keys. True if the known keys are usable."""
        usable = True
        for key, value in table.items():
            entry = spec.get(key)
            if entry is None:
                self.error(where + (key,), f"{label}: unknown key {key!r} (expected {_list(spec)})")
                continue
            want = entry[0]
            if type(value) is not want and not _is(value, want):
                self.error(
                    where + (key,),
                    f"{label}: {key!r} must be {_type_name(want)}, not {_type_name(type(value))}",
                )
                usable = False
            elif isinstance(value, str) and not value.strip() and key != "description":
                self.error(where + (key,), f"{label}: {key!r} is empty")
                usable = False
        for key in _required(spec):
            if key not in table:
                self.error(where, f"{label}: missing {key!r}")
                usable = False
        return usable

    def sources(self, items) -> list[Source]:
        if not _is_tables(items):
            self.error(("sources",), "'sources' must be [[sources]] tables")
            return []
        out, seen = [], set()
        for i, item in enumerate(items):
            where = ("sources", i)
            label = f"source {item.get('id')!r}" if isinstance(item.get("id"), str) else "source"
            if not self.fields(where, item, SOURCE_FIELDS, label):
                continue
            if not SLUG.match(item["id"]):
                self.error(where + ("id",), f"source id {item['id']!r} must match [a-z0-9-]+")
            elif item["id"] in seen:
                self.error(where + ("id",), f"duplicate source id {item['id']!r}")
            else:
                seen.add(item["id"])
                out.append(Source(**{k: v for k, v in item.items() if k in SOURCE_FIELDS}))
        return out

    def notes(self, items, source_ids: set[str]) -> list[Note]:
        if not _is_tables(items):
            self.error(("notes",), "'notes' must be [[notes]] tables")
            return []
        out, seen = [], set()
        for i, item in enumerate(items):
            nid = item.get("id")
            if isinstance(nid, str) and nid in seen:
                self.error(("notes", i, "id"), f"duplicate note id {nid!r}")
                continue
            seen.add(nid)
            if note := self.note(("notes", i), item, source_ids):
                out.append(note)
        return out

    def note(self, where: tuple, item: dict, source_ids: set[str]) -> Note | None:
        before = len(self.errors)
        nid = item.get("id")
        label = f"note {nid!r}" if isinstance(nid, str) else f"note #{where[1] + 1}"
        name = item.get("kind")
        kind = kinds.get(name) if isinstance(name, str) else None
        if kind is None:
            self.error(
                where + ("kind",) if "kind" in item else where,
                f"{label}: kind must be one of {_list(kinds.NAMES)}",
            )
            return None
        if not self.fields(where, item, _spec(kind), label):
            return None
        if not SLUG.match(nid):
            self.error(where + ("id",), f"{label}: id must match [a-z0-9-]+")
        tags = item.get("tags", [])
        for tag in tags:
            if not isinstance(tag, str) or not TAG.match(tag):
                self.error(
                    where + ("tags",),
                    f"{label}: tag {tag!r} must be one word (letters, digits, - _ : .)",
                )
        source = item.get("source", [])
        refs = [source] if isinstance(source, str) else source
        for ref in refs:
            if not isinstance(ref, str) or ref.split("#", 1)[0] not in source_ids:
                self.error(
                    where + ("source",), f"{label}: source {ref!r} names no [[sources]] entry"
                )
        for ref in item.get("evidence", []):
            if not isinstance(ref, str) or ref not in source_ids:
                self.error(
                    where + ("evidence",), f"{label}: evidence {ref!r} names no [[sources]] entry"
                )
        kind.check(
            item,
            lambda key, message: self.error(where + ((key,) if key else ()), f"{label}: {message}"),
        )
        if len(self.errors) > before:
            return None
        # lists become tuples: a note is frozen, and hashable
        fields = {
            k: tuple(v) if type(v) is list else v for k, v in item.items() if k in kind.fields
        }
        values = {
            "id": nid,
            "kind": name,
            "fields": fields,
            "tags": tuple(tags),
            "source": tuple(refs),
            "evidence": tuple(item.get("evidence", [])),
            "extra": item.get("extra"),
            "line": self.found.note_line(where[1])
            if isinstance(self.found, _Positions)
            else lookup(self.found, where)[0],
        }
        if values.keys() == _NOTE_FIELDS:  # Note(**values) without the frozen __init__'s
            note = object.__new__(Note)  # one setattr per field: a note is made per note
            note.__dict__.update(values)
            return note
        return Note(**values)


_NOTE_FIELDS = set(Note.FIELDS)


def _is(value, want) -> bool:
    if type(want) is not tuple:  # the common case, without a generator
        return type(value) is want or (want is not int and isinstance(value, want))
    wants = want
    # bool is an int in Python, but `year = true` is not a year.
    return any(type(value) is w or (w is not int and isinstance(value, w)) for w in wants)


def _is_tables(items) -> bool:
    return isinstance(items, list) and all(isinstance(i, dict) for i in items)


def _type_name(t) -> str:
    names = {
        str: "a string",
        int: "an integer",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        float: "a number",
    }
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def _list(names) -> str:
    return ", ".join(names)


def to_dict(deck: Deck) -> dict:
    """The deck as the dict a deck file holds (inverse of parse)."""

    def clean(d: dict) -> dict:
        return {k: v for k, v in d.items() if v not in (None, (), [])}

    notes = []
    for n in deck.notes:
        fields = {k: list(v) if type(v) is tuple else v for k, v in n.fields.items()}
        source = n.source[0] if len(n.source) == 1 else list(n.source)
        notes.append(
            clean(
                {
                    "id": n.id,
                    "kind": n.kind,
                    **fields,
                    "source": source,
                    "evidence": list(n.evidence),
                    "tags": list(n.tags),
                    "extra": n.extra,
                }
            )
        )
    return {
        "format": FORMAT,
        "deck": clean({"id": deck.id, "name": deck.name, "description": deck.description}),
        "sources": [clean(s._asdict()) for s in deck.sources],
        "notes": notes,
    }


def dumps(deck: Deck) -> str:
    import tomli_w

    return tomli_w.dumps(to_dict(deck), multiline_strings=True)
