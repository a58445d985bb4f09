"""The Session as it was before the queue index (commit 6fb4168 + unsuspend/unbury): every
change rebuilds the whole queue with queue.build() from every stored state. Kept as the
reference that bench/test_equivalence.py compares the indexed Session against. Undo is
the Session's own (cards.session.Step, Store.undo by log id): it is not the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from cards import queue as queue_mod
from cards import scheduler
from cards.config import Settings
from cards.days import study_day, today_bounds
from cards.model import Card
from cards.session import Answered, Step
from cards.state import CardState, Rating
from cards.store import Review, Store


class RefSession:
    def __init__(
        self, store: Store, cards: list[Card], settings: Settings, clock: Callable[[], datetime]
    ):
        self.store = store
        self.cards = cards
        self.by_key = {c.key: c for c in cards}
        self.settings = settings
        self.clock = clock
        self.history: list[Step] = []
        self._queue: queue_mod.Queue | None = None
        self._built_at: datetime | None = None

    def queue(self) -> queue_mod.Queue:
        now = self.clock()
        if self._queue is None or abs(now - self._built_at) >= timedelta(seconds=1):
            self._built_at = now
            start, end = today_bounds(now, self.settings.day_starts_at)
            states = self.store.states(self.by_key)
            today = self.store.today_counts(start, end, self.settings.day_starts_at)
            self._queue = queue_mod.build(self.cards, states, today, self.settings, now)
        return self._queue

    def _changed(self) -> None:
        self._queue = None

    def next_card(self) -> Card | None:
        return self.queue().next()

    def counts(self) -> tuple[int, int, int]:
        return self.queue().counts

    def card(self, key: str) -> Card | None:
        return self.by_key.get(key)

    def state(self, card: Card) -> CardState:
        return self.store.get(card.key)

    @property
    def answered(self) -> list[Answered]:
        return [Answered(s.card, s.review) for s in self.history if s.what == "answer"]

    def answer(self, card: Card, rating: Rating, duration_ms: int = 0) -> Review:
        now = self.clock()
        rating = Rating(rating)
        review = self.store.answer(
            card.key, rating, now, duration_ms,
            lambda before: scheduler.review(self.settings, before, rating, now),
        )  # fmt: skip
        self.history.append(Step("answer", card, review))
        self._changed()
        return review

    def undo(self) -> Step | None:
        if not self.history:
            return None
        step = self.history.pop()
        self._changed()
        if step.what == "answer":
            self.store.undo(step.review.id, self.clock())  # UndoRefused: the step is gone
        elif step.what == "bury":
            self.store.bury(step.card.key, None)
        else:
            self.store.set_suspended(step.card.key, False)
        return step

    def suspend(self, card: Card) -> None:
        self.store.set_suspended(card.key, True)
        self.history.append(Step("suspend", card))
        self._changed()

    def bury(self, card: Card) -> None:
        day = study_day(self.clock(), self.settings.day_starts_at)
        self.store.bury(card.key, day + timedelta(days=1))
        self.history.append(Step("bury", card))
        self._changed()

    def unsuspend(self, card: Card) -> None:
        self.store.set_suspended(card.key, False)
        self._changed()

    def unbury(self, card: Card) -> None:
        self.store.bury(card.key, None)
        self._changed()

    def next_due(self) -> datetime | None:
        q = self.queue()
        if q.later:
            return q.later
        states, now = self.store.states(self.by_key), self.clock()
        starts_at = self.settings.day_starts_at
        dues = [
            queue_mod.available_from(s.due, s.last_review, s.state, starts_at, now)
            for s in states.values()
            if s.due and not s.suspended and s.due > now and s.state != 0
        ]
        return min(dues) if dues else None
