"""Cram: going through cards without scheduling them, as Anki's filtered decks do with
"Reschedule cards based on my answers" off (its preview mode): each card is shown until it
is answered Good or Easy; Again brings it back a minute later, Hard ten minutes later.

Nothing of a card's schedule changes: the answers go into the log as cram rows (kind 3,
Store.log_cram), which neither FSRS, nor today's counts, nor the export read.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from cards.config import Settings
from cards.model import Card
from cards.session import Step
from cards.state import CardState, Rating
from cards.store import Review, Store

AGAIN_DELAY = timedelta(minutes=1)  # Anki's preview delays (deck options: "Again", "Hard")
HARD_DELAY = timedelta(minutes=10)
DONE = "done"  # what Good and Easy do: the card leaves the session


class CramSession:
    """A cram session over `cards` (in a shuffled order: `seed`), with the Session's
    interface as the review screen uses it."""

    filtered = True
    cram = True

    def __init__(
        self,
        store: Store,
        cards: Sequence[Card],
        settings: Settings,
        clock: Callable[[], datetime],
        seed: int | None = None,
    ):
        self.store, self.settings, self.clock = store, settings, clock
        unique = list({c.key: c for c in cards}.values())
        random.Random(seed).shuffle(unique)
        self._fresh = unique  # not shown yet
        self._back: list[tuple[datetime, int, Card]] = []  # (when, order, card): again
        self._order = 0
        self.history: list[Step] = []
        self._undo: list[tuple[int, list, list]] = []  # (log row, fresh, back) per answer

    def next_card(self) -> Card | None:
        """A card whose delay is over, else the next fresh one, else the next to come
        back (there is nothing else to study meanwhile)."""
        now = self.clock()
        if self._back and self._back[0][0] <= now:
            return self._back[0][2]
        if self._fresh:
            return self._fresh[0]
        return self._back[0][2] if self._back else None

    def counts(self) -> tuple[int, int, int]:
        """(0, cards coming back, cards not shown yet): as (new, learning, review)."""
        return 0, len(self._back), len(self._fresh)

    def pending_keys(self) -> list[str]:
        return [c.key for c in self._fresh] + [b[2].key for b in self._back]

    def state(self, card: Card) -> CardState:
        return self.store.get(card.key)

    def intervals(self, card: Card) -> dict[Rating, timedelta | str]:
        return {Rating.AGAIN: AGAIN_DELAY, Rating.HARD: HARD_DELAY, Rating.GOOD: DONE,
                Rating.EASY: DONE}  # fmt: skip

    def answer(self, card: Card, rating: Rating, duration_ms: int = 0) -> Review:
        now = self.clock()
        rating = Rating(rating)
        state = self.store.get(card.key)
        row = self.store.log_cram(card.key, rating, now, duration_ms)
        self._undo.append((row, list(self._fresh), list(self._back)))
        self._fresh = [c for c in self._fresh if c.key != card.key]
        self._back = [b for b in self._back if b[2].key != card.key]
        if rating in (Rating.AGAIN, Rating.HARD):
            self._order += 1
            delay = AGAIN_DELAY if rating == Rating.AGAIN else HARD_DELAY
            self._back.append((now + delay, self._order, card))
            self._back.sort(key=lambda b: (b[0], b[1]))
        review = Review(row, card.key, now, rating, duration_ms, state, state)
        self.history.append(Step("answer", card, review))
        return review

    @property
    def answered(self):
        from cards.session import Answered

        return [Answered(s.card, s.review) for s in self.history]

    def undo(self) -> Step | None:
        if not self.history:
            return None
        row, fresh, back = self._undo[-1]
        self.store.undo_cram(row, self.clock())
        self._undo.pop()
        self._fresh, self._back = fresh, back
        return self.history.pop()

    def next_due(self) -> datetime | None:
        return None
