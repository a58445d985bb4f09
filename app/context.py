"""What every command needs, resolved from the command line and the environment:
where data lives, the clock, the settings and the decks."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from cards import config
from cards.library import Library, load_library


class UserError(Exception):
    """A problem the user can fix; shown as one line, exit code 1."""


class UsageError(Exception):
    """Wrong use of the command line: exit code 2."""


def default_home() -> Path:
    if env := os.environ.get("HEARTCARDS_HOME"):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("heartcards", appauthor=False))


# Times the scheduler can work with: after the epoch (Anki's ids are ms since it), before a
# time a century of intervals can still be added to.
CLOCK_RANGE = (datetime(1971, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC))


def check_home(home: Path) -> None:
    """A UserError if `home` cannot be a folder: it, or the nearest part of it that
    exists, is a file."""
    for part in (home, *home.parents):
        if part.exists():
            if not part.is_dir():
                raise UserError(
                    f"{part} is a file, not a folder: --home (or HEARTCARDS_HOME) names the "
                    "folder heartcards keeps its collection and settings in"
                )
            return


def make_clock():
    """The real clock, or the fixed time in $HEARTCARDS_NOW (ISO 8601) for scripts and demos."""
    fixed = os.environ.get("HEARTCARDS_NOW")
    if not fixed:
        return lambda: datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise UserError(
            f"HEARTCARDS_NOW={fixed!r} is not an ISO 8601 time like 2026-01-05T09:30"
        ) from None
    try:
        moment = moment.astimezone()  # naive means local
        ok = CLOCK_RANGE[0] <= moment < CLOCK_RANGE[1]
    except (OverflowError, OSError, ValueError):
        ok = False
    if not ok:
        first, end = (d.year for d in CLOCK_RANGE)
        raise UserError(
            f"HEARTCARDS_NOW={fixed!r} is out of range: use a time from {first} to {end - 1}"
        )
    return lambda: moment


class Context:
    """What a command works with: the home folder, the decks to load, and (made when
    first asked for) the settings, the collection and the library."""

    def __init__(
        self,
        home: Path,
        builtin: bool = True,
        extra_decks: list[Path] | None = None,
        # how long a write waits for another process's lock before it fails (and the TUI
        # says so and tries again): a command can wait; a screen should not freeze
        busy_timeout: float = 5.0,
        # a command that only reads (list, stats, export, optimize): on a home with no
        # collection yet it says so and reads an empty one, instead of creating the file
        read_only: bool = False,
    ):
        self.home = home
        self.builtin = builtin
        self.extra_decks = [] if extra_decks is None else extra_decks
        self.busy_timeout = busy_timeout
        self.read_only = read_only
        self.no_collection = False  # a read-only command found none (and made none)

    @cached_property
    def clock(self):
        return make_clock()

    @cached_property
    def settings(self) -> config.Settings:
        try:
            return config.load(self.home)
        except config.ConfigError as e:
            raise UserError(str(e)) from None

    def reload_settings(self) -> None:
        """Read config.toml again at the next use (after a command has written it)."""
        self.__dict__.pop("settings", None)

    @cached_property
    def library(self) -> Library:
        # Unchanged deck files come from <home>/cache/decks instead of being parsed again
        # (cards.deckcache); `heartcards check` parses for real (load_library, no cache).
        return load_library(
            builtin=self.builtin,
            home=self.home,
            extra=self.extra_decks,
            cache_dir=self.home / "cache" / "decks",
        )

    @cached_property
    def store(self):
        from cards.store import DB_FILE, Store, StoreError

        if self.read_only and not (self.home / DB_FILE).exists():
            self.no_collection = True  # (said once the command has done its work)
            return Store(Path(":memory:"))
        try:
            store = Store.open(self.home, busy_timeout=self.busy_timeout)
        except StoreError as e:
            raise UserError(str(e)) from None
        if store.replay_pending():  # written by an earlier version: schedule as Anki does
            from cards.replay import replay_if_pending

            replay_if_pending(store, self.settings)
        return store

    def session(self, deck_ids: list[str] | None = None):
        from cards.session import Session

        if deck_ids:
            unknown = [d for d in deck_ids if self.library.deck(d) is None]
            if unknown:
                known = ", ".join(d.id for d in self.library.decks) or "none"
                raise UserError(f"no deck {unknown[0]!r} (decks: {known})")
        return Session(self.store, self.library.cards(deck_ids), self.settings, self.clock)


def warn_deck_problems(ctx: Context) -> None:
    """The decks' problems on stderr, one line each, before a command does its work: the
    other decks load all the same. Printed safely (no control characters reach the
    terminal from a deck or a path)."""
    from cards.text import printable

    for err in ctx.library.errors:
        print(printable(str(err) if err.warning else f"warning: {err}"), file=sys.stderr)
