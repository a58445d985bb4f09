"""Today, for one session: the candidates of today's queue and today's counts, as the
store last gave them and kept current answer by answer; and the due lists made from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import NamedTuple

from cards.config import Settings
from cards.queue import Index


class Segment:
    """A run of a session's cards, read from the store on its own: from position `start`,
    `keys`. When they are a deck's cards in deck order, `deck` and `fingerprint` name the
    deck and that list, and the store can know each card's place in it (Store.place_deck)
    and read the candidates of every deck at once."""

    def __init__(
        self,
        start: int,
        keys: Sequence[str],
        deck: str | None = None,
        fingerprint: str | None = None,
    ):
        self.start = start
        self.keys = keys
        self.deck = deck
        self.fingerprint = fingerprint

    @cached_property
    def json(self) -> str:
        """The keys as one JSON array (made when the store needs them that way)."""
        return json_list(self.keys)


def json_list(keys: Sequence[str]) -> str:
    """Keys as a JSON array, as the store's queries take them."""
    joined = '","'.join(keys)
    if joined.isascii() and not any(c in joined for c in '\\"') and joined.isprintable():
        return f'["{joined}"]' if keys else "[]"  # slugs need no escaping
    import json

    return json.dumps(list(keys), ensure_ascii=False, separators=(",", ":"))


class Today:
    """Today's candidates (queue.Index, by position in the session's cards) and counts,
    and what they were read for: the store's version and the study day's bounds."""

    def __init__(
        self,
        index: Index,
        version: tuple[int, int],  # Store.version() they are true for
        day: date,
        start_ms: int,
        end_ms: int,
        *,
        mixed: bool = False,  # new cards in queue.mix_rank order (new_order "mixed")
        zone=None,  # the zone its days are counted in (days.day_zone; None: the system's)
    ):
        self.index = index
        self.version = version
        self.day = day
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.mixed = mixed
        self.zone = zone
        self.new_done: dict[str, int] = {}  # new cards started today, by deck
        self.reviews_done: dict[str, int] = {}  # reviews of review cards, by deck
        self.answered: set[str] = set()  # keys answered today
        self.extended: dict[str, tuple[int, int]] = {}  # custom study's
        self.busy: set[str] = set()  # notes of the session's cards answered today

    def includes(self, time_ms: int) -> bool:
        """Whether an answer at `time_ms` counts today."""
        return self.start_ms <= time_ms < self.end_ms


class DueLists(NamedTuple):
    """The review and new lists of today's queue (positions), valid while the candidates
    and counts are those of generation `gen` and the settings are `settings`; and
    whether a limit held cards back (queue.select_due)."""

    review: list[int]
    new: list[int]
    gen: int
    settings: Settings
    reviews_held: bool = False
    new_held: bool = False
    day_learning: Sequence[int] = ()  # interday learning taken

    def valid(self, gen: int, settings: Settings) -> bool:
        return self.gen == gen and self.settings is settings
