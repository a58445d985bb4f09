"""Schedules set by hand, as Anki's browser sets them (rslib/src/scheduler/new.rs
reschedule_cards_as_new, reviews.rs set_due_date): Forget makes a card new again, Set due
date makes it a review due in N days. Both keep the card's history (the log gains a row
saying what was set, Store.set_by_hand) and, as in Anki, both take the card out of
suspension and burying (Anki moves it to the new or review queue). Pure functions.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cards.state import NEW, REVIEW, CardState

MAX_DAYS = 36_500  # a hundred years: the spec's numbers are days from today


class DueSpecError(ValueError):
    """A due date that is not Anki's form: N, N-M or either with ! after it."""


@dataclass(frozen=True)
class DueSpec:
    low: int
    high: int  # each card gets a day from low to high, both counted

    def days(self, rng: random.Random) -> int:
        return self.low if self.low == self.high else rng.randint(self.low, self.high)


_SPEC = re.compile(r"(\d+)(?:-(\d+))?(!)?")


def parse_due(text: str) -> DueSpec:
    """Anki's Set due date form: "0" today, "1" tomorrow, "3-7" a day from 3 to 7 (each
    card its own), "!" after either accepted (in Anki it also resets the interval, which
    FSRS does not keep: the card's memory is kept either way)."""
    m = _SPEC.fullmatch(text.strip())
    if m is None:
        raise DueSpecError(f"{text.strip()!r}: days from today, as 0, 1, 3-7 or 7!")
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) is not None else low
    low, high = min(low, high), max(low, high)
    if high > MAX_DAYS:
        raise DueSpecError(f"{high} days: at most {MAX_DAYS}")
    return DueSpec(low, high)


def forget(state: CardState, reset_counts: bool = False) -> CardState:
    """The card as new, its memory gone (its last review time kept, as Anki keeps it);
    its repetition and lapse counts kept unless `reset_counts`."""
    return state.with_(
        state=NEW,
        step=None,
        stability=None,
        difficulty=None,
        due=None,
        reps=0 if reset_counts else state.reps,
        lapses=0 if reset_counts else state.lapses,
        suspended=False,
        buried_until=None,
    )


def set_due(state: CardState, days: int, now: datetime) -> CardState:
    """The card as a review due `days` study days from now (0: due now), its memory
    (stability, difficulty, last review) kept, as Anki keeps it with FSRS on."""
    return state.with_(
        state=REVIEW,
        step=None,
        due=now + timedelta(days=days),
        suspended=False,
        buried_until=None,
    )


def changed(before: CardState, after: CardState) -> bool:
    """Whether setting `after` changes anything (forgetting a card never studied does not)."""
    return before != after
