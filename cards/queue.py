"""Today's queue: learning cards that are due, then due reviews with new cards mixed in.

Limits are per study day (new_per_day, reviews_per_day), counted from the review log.
Siblings (cards of one note) are not shown on the same day: once a note has been
answered today, or one of its cards is already queued, its other new/review cards wait.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cards.config import Settings
from cards.days import from_ms, study_day, to_ms, today_bounds
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
        """(new, learning, review), as Anki shows them: learning counts the cards due
        within the learn-ahead limit too (rslib scheduler/queue/learning.rs: the count is
        of cards due by the learn-ahead cutoff), shown or not yet."""
        return len(self.new), len(self.learning) + len(self.ahead), len(self.review)


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


# -- An index of today's candidates, kept current answer by answer ---------------------------
#
# build() above reads every card state and walks every card: fine for a few thousand
# cards, too slow to run after each answer at 100k. Index keeps the same decision split
# in two: the *candidates* (which cards are new, which are learning and which reviews are
# due today, with their due times) change one card at a time and are updated in place;
# the *selection* (limits, siblings, the learning clock) is redone from the candidates,
# walking only as far as the limits reach. `Index.queue()` equals build() on the same
# states (bench/test_equivalence.py checks this on random collections).

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """An aware datetime as whole microseconds since the epoch (exact, unlike timestamp())."""
    return (moment - _EPOCH) // _US


# (due_ms, position) as one int, due * _POS + position: sorts, bisects and compares as the
# pair does (positions are below _POS), and a list of ints is no work for the garbage
# collector, unlike thousands of tuples.
_POS = 1 << 32


class Index:
    """Today's candidates for the cards of a session, by position in the session's list.

    `rev` and `lrn` are sorted (due_ms, position) pairs packed as ints
    (due_ms * _POS + position), `new` sorted positions: the same three lists build() makes, in the same
    order (build's sorts are stable, so ties fall back to list position). `day` and
    `day_end_ms` are the study day they are for.
    """

    __slots__ = ("rev", "lrn", "new", "day", "day_end_ms")

    def __init__(self, day: date, day_end_ms: int):
        self.rev: list[int] = []
        self.lrn: list[int] = []
        self.new: list[int] = []
        self.day = day
        self.day_end_ms = day_end_ms

    def add_rows(self, rows, offset: int = 0) -> None:
        """Rows of (position, state, due_ms) for the cards that are candidates today, as
        Store.candidates() returns them; state None means no stored state (new)."""
        rev, lrn, new = self.rev, self.lrn, self.new
        for pos, state, due in rows:
            if state is None or state == NEW:
                new.append(pos + offset)
            elif state == REVIEW:
                rev.append(due * _POS + pos + offset)
            else:
                lrn.append(due * _POS + pos + offset)

    def add_placed(self, rows, starts: dict[str, int]) -> None:
        """Rows of (deck, place in the deck, state, due_ms), as Store.placed_candidates()
        returns them; a deck's first position is starts[deck], and decks not in `starts`
        are not the session's."""
        self.add_rows(
            (start + place, state, due)
            for deck, place, state, due in rows
            if (start := starts.get(deck)) is not None
        )

    def finish(self) -> Index:
        self.rev.sort()
        self.lrn.sort()
        self.new.sort()
        return self

    def place(self, s: CardState | None) -> tuple[int, int] | None:
        """Where a card with state `s` belongs today: (0 new | 1 review | 2 learning,
        due_ms), or None when it is not a candidate (suspended, buried, due later)."""
        if s is not None and (s.suspended or (s.buried_until and s.buried_until > self.day)):
            return None
        if s is None or s.state == NEW:
            return (0, 0)
        due = to_ms(s.due)  # what the store holds: ms, rounded
        if s.state == REVIEW:
            return (1, due) if due < self.day_end_ms else None
        return (2, due)

    def move(self, pos: int, old: tuple[int, int] | None, new: tuple[int, int] | None) -> None:
        """Card `pos` moved from place `old` to place `new` (see place())."""
        if old == new:
            return
        if old is not None:
            _discard(self._list(old[0]), pos if old[0] == 0 else old[1] * _POS + pos)
        if new is not None:
            insort(self._list(new[0]), pos if new[0] == 0 else new[1] * _POS + pos)

    def _list(self, which: int) -> list:
        return self.new if which == 0 else self.rev if which == 1 else self.lrn


def _discard(items: list, item) -> None:
    i = bisect_left(items, item)
    if i < len(items) and items[i] == item:
        del items[i]


@dataclass
class Selection:
    """Today's queue as positions: what build() would put in each list of a Queue."""

    learning: list[int]
    review: list[int]
    new: list[int]
    ahead: list[int]
    later_ms: int | None

    def first(self) -> int | None:
        """Position of Queue.next()."""
        if self.learning:
            return self.learning[0]
        if self.review or self.new:
            if not self.new:
                return self.review[0]
            upto = round(len(self.review) / (len(self.new) + 1))  # as _spread does
            return self.review[0] if upto > 0 else self.new[0]
        return self.ahead[0] if self.ahead else None

    @property
    def counts(self) -> tuple[int, int, int]:
        """As Queue.counts."""
        return len(self.new), len(self.learning) + len(self.ahead), len(self.review)

    def queue(self, card) -> Queue:
        """The Queue, with `card(position)` giving each Card."""
        return Queue(
            learning=[card(p) for p in self.learning],
            review=[card(p) for p in self.review],
            new=[card(p) for p in self.new],
            ahead=[card(p) for p in self.ahead],
            later=from_ms(self.later_ms),
        )


def select(
    index: Index,
    busy: set,
    note_of,
    new_done: int,
    reviews_done: int,
    settings: Settings,
    now: datetime,
) -> Selection:
    """build()'s walk over the candidates. `busy` holds the notes answered today (it is
    not changed); `note_of(position)` gives a card's note, as Card.note_key does."""
    review, new = select_due(index, busy, note_of, new_done, reviews_done, settings)
    learning, ahead, later = select_learning(index, settings, now)
    return Selection(learning, review, new, ahead, later)


def select_due(
    index: Index, busy: set, note_of, new_done: int, reviews_done: int, settings: Settings
) -> tuple[list[int], list[int]]:
    """The review and new lists of the queue: the limits and the siblings. They do not
    depend on the time of day, only on the candidates and today's counts."""
    busy = set(busy) if settings.bury_siblings else set()
    claim = settings.bury_siblings
    review: list[int] = []
    review_left = max(settings.reviews_per_day - reviews_done, 0)
    if review_left:
        for item in index.rev:
            pos = item % _POS
            note = note_of(pos)
            if note not in busy:
                review.append(pos)
                if claim:
                    busy.add(note)
                if len(review) >= review_left:
                    break
    new: list[int] = []
    new_left = max(settings.new_per_day - new_done, 0)
    if new_left:
        for pos in index.new:
            note = note_of(pos)
            if note not in busy:
                new.append(pos)
                if claim:
                    busy.add(note)
                if len(new) >= new_left:
                    break
    return review, new


def select_learning(
    index: Index, settings: Settings, now: datetime
) -> tuple[list[int], list[int], int | None]:
    """(learning due now, learning due within learn-ahead, the next due after that)."""
    now_us = micros(now)
    ahead_us = now_us + settings.learn_ahead_minutes * 60_000_000
    learning: list[int] = []
    ahead: list[int] = []
    for item in index.lrn:
        due, pos = divmod(item, _POS)
        if due * 1000 <= now_us:
            learning.append(pos)
        elif due * 1000 <= ahead_us:
            ahead.append(pos)
        else:
            return learning, ahead, due
    return learning, ahead, None
