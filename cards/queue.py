"""Today's queue: learning cards that are due, then due reviews with new cards mixed in.

Limits are per study day (new_per_day, reviews_per_day), counted from the review log.
Siblings (cards of one note) are not shown on the same day: once a note has been
answered today, or one of its cards is already queued, its other new/review cards wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cards.config import Settings
from cards.days import study_day, today_bounds
from cards.model import Card
from cards.state import NEW, REVIEW, CardState


@dataclass
class Queue:
    learning: list[Card] = field(default_factory=list)  # due now, by due time
    review: list[Card] = field(default_factory=list)  # due today, limited
    new: list[Card] = field(default_factory=list)  # in deck order, limited
    ahead: list[Card] = field(default_factory=list)  # learning, due within learn-ahead
    later: datetime | None = None  # next learning card due after that

    def order(self) -> list[Card]:
        """The order cards are shown in: learning, then reviews with new spread through."""
        mixed = _spread(self.review, self.new)
        return self.learning + mixed if (self.learning or mixed) else list(self.ahead)

    def next(self) -> Card | None:
        order = self.order()
        return order[0] if order else None

    @property
    def counts(self) -> tuple[int, int, int]:
        """(new, learning, review), as Anki shows them."""
        learning = self.learning if (self.learning or self.review or self.new) else self.ahead
        return len(self.new), len(learning), len(self.review)


def build(
    cards: list[Card],
    states: dict[str, CardState],
    today: tuple[int, int, set[str]],
    settings: Settings,
    now: datetime,
) -> Queue:
    """Today's queue for `cards`. `today` is Store.today_counts() for this study day."""
    new_done, reviews_done, answered = today
    _, day_end = today_bounds(now, settings.day_starts_at)
    day = study_day(now, settings.day_starts_at)
    ahead_until = now + timedelta(minutes=settings.learn_ahead_minutes)
    note_of = {c.key: c.note_key for c in cards}
    busy_notes = {note_of[k] for k in answered if k in note_of} if settings.bury_siblings else set()

    q = Queue()
    reviews: list[tuple[datetime, Card]] = []
    learning: list[tuple[datetime, Card]] = []
    new: list[Card] = []
    for card in cards:
        s = states.get(card.key)
        if s is not None and (s.suspended or (s.buried_until and s.buried_until > day)):
            continue
        if s is None or s.state == NEW:
            new.append(card)
        elif s.state == REVIEW:
            if s.due < day_end:
                reviews.append((s.due, card))
        else:
            learning.append((s.due, card))

    # Reviews first (most overdue first), then new cards in deck order; one card per note.
    reviews.sort(key=lambda x: x[0])
    review_left = max(settings.reviews_per_day - reviews_done, 0)
    for _, card in reviews:
        if len(q.review) >= review_left:
            break
        if card.note_key not in busy_notes:
            q.review.append(card)
            _claim(busy_notes, card, settings)
    new_left = max(settings.new_per_day - new_done, 0)
    for card in new:
        if len(q.new) >= new_left:
            break
        if card.note_key not in busy_notes:
            q.new.append(card)
            _claim(busy_notes, card, settings)

    learning.sort(key=lambda x: x[0])
    for due, card in learning:
        if due <= now:
            q.learning.append(card)
        elif due <= ahead_until:
            q.ahead.append(card)
        elif q.later is None:
            q.later = due
    return q


def _claim(busy_notes: set[str], card: Card, settings: Settings) -> None:
    if settings.bury_siblings:
        busy_notes.add(card.note_key)


def _spread(reviews: list[Card], new: list[Card]) -> list[Card]:
    """Mix new cards evenly among the reviews (Anki's "mix with reviews")."""
    out: list[Card] = []
    taken = 0
    for k, card in enumerate(new):
        upto = round((k + 1) * len(reviews) / (len(new) + 1))
        out += reviews[taken:upto]
        taken = upto
        out.append(card)
    return out + reviews[taken:]
