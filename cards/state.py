"""The scheduling state of one card, as stored and as FSRS sees it."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum
from typing import NamedTuple

from cards.days import from_ms, to_ms

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class CardState(NamedTuple):
    """A card's scheduling state after its latest review (or as new). A NamedTuple, not a
    frozen dataclass: as immutable, made in a tenth of the time at import, and built
    without a setattr per field (a state is made per card read from the collection)."""

    key: str
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None  # aware, UTC; None while new
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: date | None = None  # hidden while the study day is before this

    @property
    def is_new(self) -> bool:
        return self.state == NEW

    def to_json(self) -> str:
        d = self._asdict()
        d["due"], d["last_review"] = to_ms(self.due), to_ms(self.last_review)
        d["buried_until"] = self.buried_until.isoformat() if self.buried_until else None
        import json  # (schema 2's log and `heartcards` output only)

        return json.dumps(d, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardState:
        d = _loads(text)
        d["due"], d["last_review"] = from_ms(d["due"]), from_ms(d["last_review"])
        d["buried_until"] = date.fromisoformat(d["buried_until"]) if d["buried_until"] else None
        return cls(**d)

    def with_(self, **changes) -> CardState:
        return self._replace(**changes)


_scan = None  # json's C scanner, without loads()' whitespace checks; made on first use


def _loads(text: str) -> dict:
    global _scan
    import json

    if _scan is None:
        _scan = json.JSONDecoder().scan_once
    try:
        d, end = _scan(text, 0)
        if end == len(text) and type(d) is dict:
            return d
    except (StopIteration, ValueError):
        pass
    return json.loads(text)  # anything unusual: loads() accepts or reports it
