"""Settings: <home>/config.toml, read with tomllib, written with tomli-w.

Defaults are Anki's. Every key is checked: an unknown key or a bad value is an error
that names the key, never a silent fallback.
"""

from __future__ import annotations

import math
import os
import re
from datetime import timedelta
from pathlib import Path

from cards.frozen import Frozen

CONFIG_FILE = "config.toml"
_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
MAX_STEP = timedelta(days=365)
FSRS_PARAMS = 21  # FSRS-6  # a learning step of a year; longer is an interval
# What a deck may set for itself in a [decks.ID] table: what an Anki preset holds. The
# rest (the day's start, learn-ahead, fuzz, the TUI's) is the collection's, as in Anki.
DECK_SETTINGS = (
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "new_per_day",
    "reviews_per_day",
    "bury_siblings",
    "fsrs_params",
    "leech_threshold",
    "leech_action",
)
_DECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # as deck files spell ids


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the key."""


class Settings(Frozen):
    """The settings of config.toml, each with its default (see DESIGN.md)."""

    def __init__(
        self,
        desired_retention: float = 0.9,
        learning_steps: tuple[str, ...] = ("1m", "10m"),
        relearning_steps: tuple[str, ...] = ("10m",),
        maximum_interval: int = 36500,
        fuzz: bool = True,
        new_per_day: int = 20,
        reviews_per_day: int = 200,
        day_starts_at: int = 4,
        learn_ahead_minutes: int = 20,
        bury_siblings: bool = True,
        theme: str = "textual-dark",
        fsrs_params: tuple[float, ...] = (),  # FSRS-6's 21 parameters; empty: the defaults
        new_order: str = "mixed",  # new cards interleaved across notes and decks; "file": in order
        leech_threshold: int = 8,  # lapses that make a card a leech (then every half that); 0 never
        leech_action: str = "suspend",  # or "tag": a leech is tagged "leech" either way
        sync_server: str = "",  # an Anki sync server's URL; empty: AnkiWeb
        sync_user: str = "",  # the account's name (its password is never kept)
        keys: dict | None = None,  # binding id -> keys, for the TUI
        # deck id -> {setting: value}: what [decks.ID] tables override, checked
        decks: dict | None = None,
    ):
        d = self.__dict__
        d.update(locals())  # the arguments, by name: the fields (FIELDS, below)
        del d["self"], d["d"]
        d["keys"] = {} if keys is None else keys
        d["decks"] = {} if decks is None else decks
        d["_per_deck"] = {}  # for_deck's, one object per deck

    FIELDS = __init__.__code__.co_varnames[1 : __init__.__code__.co_argcount]
    COMPARED = FIELDS

    def __hash__(self):  # without the dicts, keys and decks
        d = self.__dict__
        return hash(tuple(d[f] for f in self.FIELDS[:-2]))

    def for_deck(self, deck_id: str) -> Settings:
        """The settings a deck's cards are scheduled with: these, with its [decks.ID]
        table on top. The same object each time (queues compare settings by identity).
        Call it on the collection's settings, not on a deck's."""
        over = self.decks.get(deck_id)
        if not over:
            return self
        cached = self._per_deck.get(deck_id)
        if cached is None:
            cached = self._per_deck[deck_id] = self.replace(decks={}, **over)
        return cached

    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.learning_steps)

    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.relearning_steps)


HELP = {
    "desired_retention": "chance of recall FSRS aims for when a card is due (0.70-0.99)",
    "learning_steps": 'steps for new cards, e.g. ["1m", "10m"]',
    "relearning_steps": 'steps after a lapse, e.g. ["10m"]',
    "maximum_interval": "longest interval in days",
    "fuzz": "spread intervals a little so cards learned together are not due together",
    "new_per_day": "new cards introduced per day",
    "reviews_per_day": "reviews shown per day",
    "day_starts_at": "hour (0-23, local time) at which a new day starts",
    "learn_ahead_minutes": "show learning cards this early when nothing else is due",
    "bury_siblings": "keep other cards of a note until the next day",
    "theme": "Textual theme of the TUI",
    "leech_threshold": "lapses that make a card a leech (and every half that again); 0: never",
    "leech_action": 'what a leech gets besides the tag "leech": "suspend" or "tag" (only)',
    "new_order": 'order of new cards: "mixed" across notes and decks (a new mix each day) or "file"',
    "fsrs_params": "FSRS-6 parameters fitted to your reviews (heartcards optimize); [] = defaults",
    "sync_server": "Anki sync server for heartcards sync (a URL); empty: AnkiWeb",
    "sync_user": "the sync account's user name or email (the password is asked, never kept)",
    "keys": 'key remapping for the TUI: binding id = "keys"',
    "decks": "per-deck settings: [decks.ID] tables of " + ", ".join(DECK_SETTINGS),
}


def parse_step(step: str) -> timedelta:
    m = _STEP.match(step) if isinstance(step, str) else None
    if not m:
        raise ValueError(f"{step!r} is not a step like 30s, 10m, 1h or 1d")
    try:
        delta = timedelta(**{_UNITS[m[2]]: float(m[1])})
    except OverflowError:
        delta = None
    if delta is None or delta > MAX_STEP:
        raise ValueError(f"{step!r} is longer than a step can be ({MAX_STEP.days} days)")
    return delta


def validate(key: str, value):
    """Check one setting and return it in its stored type; ConfigError names the key."""
    names = Settings.FIELDS
    if key not in names:
        raise ConfigError(f"unknown setting {key!r} (known: {', '.join(names)})")
    bad = ConfigError

    def need(ok: bool, what: str):
        if not ok:
            raise bad(f"{key}: {what}, got {value!r}")

    if key == "desired_retention":
        need(type(value) in (int, float) and 0.7 <= value <= 0.99, "a number from 0.70 to 0.99")
        return float(value)
    if key in ("learning_steps", "relearning_steps"):
        need(
            isinstance(value, list | tuple) and all(isinstance(s, str) for s in value),
            'a list of steps like ["1m", "10m"]',
        )
        for s in value:
            try:
                d = parse_step(s)
            except ValueError as e:
                raise bad(f"{key}: {e}") from None
            need(d > timedelta(0), "steps longer than zero")
        return tuple(value)
    if key == "maximum_interval":
        need(type(value) is int and 1 <= value <= 36500, "a whole number of days from 1 to 36500")
        return value
    if key in ("fuzz", "bury_siblings"):
        need(type(value) is bool, "true or false")
        return value
    if key in ("new_per_day", "reviews_per_day"):
        need(type(value) is int and 0 <= value <= 9999, "a whole number from 0 to 9999")
        return value
    if key == "day_starts_at":
        need(type(value) is int and 0 <= value <= 23, "an hour from 0 to 23")
        return value
    if key == "learn_ahead_minutes":
        need(type(value) is int and 0 <= value <= 1440, "minutes from 0 to 1440")
        return value
    if key == "fsrs_params":
        need(
            isinstance(value, list | tuple)
            and len(value) in (0, FSRS_PARAMS)
            and all(type(v) in (int, float) and math.isfinite(v) for v in value),
            f"a list of {FSRS_PARAMS} numbers (or [] for the defaults)",
        )
        return tuple(float(v) for v in value)
    if key == "leech_threshold":
        need(type(value) is int and 0 <= value <= 99, "a whole number of lapses from 0 to 99")
        return value
    if key == "leech_action":
        need(value in ("suspend", "tag"), '"suspend" or "tag"')
        return value
    if key == "new_order":
        need(value in ("mixed", "file"), '"mixed" or "file"')
        return value
    if key == "theme":
        need(isinstance(value, str) and value.strip() != "", "a theme name")
        return value
    if key == "sync_server":
        need(isinstance(value, str) and (value == "" or re.match(r"https?://[^\s/]+", value)),
             'a URL like "http://192.168.1.5:8080/" (or "" for AnkiWeb)')  # fmt: skip
        return value
    if key == "sync_user":
        need(isinstance(value, str) and "\n" not in value, "a user name")
        return value
    if key == "keys":
        need(
            isinstance(value, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()),
            'a table of binding id = "keys"',
        )
        return dict(value)
    if key == "decks":
        need(isinstance(value, dict), "tables like [decks.advice]")
        return {deck: validate_deck(deck, table) for deck, table in value.items()}
    raise AssertionError(key)  # every field is handled above


def validate_deck(deck: str, table) -> dict:
    """One [decks.ID] table, checked: ConfigError names decks.ID.KEY."""
    if not _DECK_ID.match(deck):
        raise ConfigError(f"decks.{deck}: not a deck id (lower-case letters, digits and -)")
    if not isinstance(table, dict):
        raise ConfigError(f"decks.{deck}: a table of settings, got {table!r}")
    out = {}
    for key, value in table.items():
        _deck_key(f"decks.{deck}.{key}")
        try:
            out[key] = validate(key, value)
        except ConfigError as e:
            raise ConfigError(f"decks.{deck}.{e}") from None
    return out


def from_dict(data: dict) -> Settings:
    return Settings(**{k: validate(k, v) for k, v in data.items()})


def lookup(settings: Settings, key: str):
    """The value of a setting by its name, `decks.ID.KEY` for a deck's (the collection's
    value when the deck does not override it). ConfigError for an unknown name."""
    if key.startswith("decks."):
        deck, name = _deck_key(key)
        return getattr(settings.for_deck(deck), name)
    if key not in Settings.FIELDS:
        validate(key, None)  # raises, naming the known settings
    return getattr(settings, key)


def _deck_key(key: str) -> tuple[str, str]:
    parts = key.split(".")
    if len(parts) != 3:
        raise ConfigError(f"{key!r}: a deck's setting is named decks.ID.KEY")
    _, deck, name = parts
    if not _DECK_ID.match(deck):
        raise ConfigError(f"decks.{deck}: not a deck id (lower-case letters, digits and -)")
    if name not in DECK_SETTINGS:
        raise ConfigError(f"{key}: not a deck setting (a deck may set: {', '.join(DECK_SETTINGS)})")
    return deck, name


def _read(path: Path) -> dict | None:
    """The table config.toml holds, or None when there is no file. ConfigError, naming the
    file (and where), for one that cannot be read as UTF-8 TOML. (The table comes from
    cache/config beside it when that was made from the same text: see _parsed.)"""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8 text") from None
    return _parsed(text, path)


def _parsed(text: str, path: Path) -> dict:
    """tomllib.loads(text), kept in <home>/cache/config with the text it was read from and
    taken from there while config.toml holds that same text: importing tomllib (its
    regular expressions) costs more than the rest of reading the settings, ~2-4 ms of
    every start-up that has a config file. A cache that cannot be read or written is
    passed by; it is never trusted for another text."""
    import marshal

    cache = path.parent / "cache" / "config"
    try:
        kept, data = marshal.loads(cache.read_bytes())
        if kept == text and type(data) is dict:
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none yet, or unreadable: parse
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from None
    except RecursionError:
        raise ConfigError(f"{path}: TOML nested too deeply to read") from None
    try:  # (a TOML date is a value marshal cannot hold: no cache then)
        blob = marshal.dumps((text, data))
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"config.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cache)
    except (OSError, ValueError):
        pass
    return data


def load(home: Path) -> Settings:
    """Settings from <home>/config.toml; defaults when there is no file."""
    path = home / CONFIG_FILE
    data = _read(path)
    if data is None:
        return Settings()
    try:
        return from_dict(data)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None


def parse_value(key: str, text: str):
    """A value typed on the command line: TOML syntax, or a bare word as a string."""
    import tomllib

    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text
    if key.startswith("decks."):
        deck, name = _deck_key(key)
        return validate_deck(deck, {name: value})[name]
    return validate(key, value)


def save(home: Path, settings: Settings) -> Path:
    """Write the settings that differ from the defaults, atomically, into the file as it
    is: its comments, order and layout stay (tomlkit edits it in place); a setting back at
    its default leaves the file."""
    import tomlkit

    path = home / CONFIG_FILE
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError):
        doc = tomlkit.document()  # (none yet; one that cannot be read set_value put aside)
    defaults = Settings().as_dict()
    values = {k: _toml(v) for k, v in settings.as_dict().items() if k != "decks"}
    _sync(doc, {k: v for k, v in values.items() if v != _toml(defaults[k])}, nested=("keys",))
    decks = {d: {k: _toml(v) for k, v in t.items()} for d, t in settings.decks.items() if t}
    if not decks:
        doc.pop("decks", None)
    else:
        if not isinstance(doc.get("decks"), dict):
            doc["decks"] = tomlkit.table(is_super_table=True)
        _sync(doc["decks"], decks, nested=tuple(decks))
    home.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _sync(table, values: dict, nested: tuple = ()) -> None:
    """Make tomlkit `table` hold exactly `values`, touching only what differs (so the
    comments around what stays stay); the `nested` keys' tables are synced entry by entry."""
    for key in [k for k in table if k not in values]:
        del table[key]
    for key, value in values.items():
        have = table.get(key)
        if key in nested and isinstance(value, dict) and isinstance(have, dict):
            _sync(have, value)
        elif have is None or _plain(have) != value:
            table[key] = value


def _plain(item):
    return item.unwrap() if hasattr(item, "unwrap") else item


def _toml(value):
    return list(value) if isinstance(value, tuple) else value


def set_value(home: Path, key: str, text: str) -> Settings:
    """Set one setting, keeping the others; `decks.ID.KEY` sets a deck's, and for a deck's
    the value `default` removes it (the deck then follows the collection's). This is also
    how a broken config.toml is repaired: the key being set is not checked in the file,
    and a file that cannot be read at all is kept as config.toml.bad and replaced."""
    deck = _deck_key(key) if key.startswith("decks.") else None
    value = None if deck and text.strip() == "default" else parse_value(key, text)
    path = home / CONFIG_FILE
    try:
        data = _read(path) or {}
    except ConfigError:
        os.replace(path, path.with_name(CONFIG_FILE + ".bad"))
        data = {}
    if deck:
        tables = data.get("decks") if isinstance(data.get("decks"), dict) else {}
        table = tables.get(deck[0]) if isinstance(tables.get(deck[0]), dict) else {}
        table.pop(deck[1], None)
        if value is not None:
            table[deck[1]] = value
        data["decks"] = {**tables, deck[0]: table}
    else:
        data.pop(key, None)
    try:
        settings = from_dict(data) if deck else from_dict(data).replace(**{key: value})
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
    save(home, settings)
    return settings
