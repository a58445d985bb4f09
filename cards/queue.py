"""Today's queue: learning cards that are due, then due reviews with new cards mixed in.

Limits are per study day (new_per_day, reviews_per_day), counted from the review log, as
Anki's v3 scheduler applies them (rslib decks/limits.rs): each deck has its own, from its
[decks.ID] table or the collection's settings, and a queue over several decks is also held
to the collection's limits, as Anki holds a deck's subdecks to the deck's (our decks are
the subdecks of "heartcards" in Anki). New cards count against the review limit too
(Anki's default: "new cards ignore review limit" off).
Siblings (cards of one note) are not shown on the same day: once a note has been
answered today, or one of its cards is already queued, its other new/review cards wait.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple
from zlib import crc32

from cards.config import Settings
from cards.days import (
    day_start,
    day_zone,
    from_ms,
    interday_learning,
    study_day,
    to_ms,
    today_bounds,
)
from cards.model import Card, deck_of
from cards.state import NEW, REVIEW, CardState

_NONE: Mapping = MappingProxyType({})


class Limits(NamedTuple):
    """What today's queue may still take: `review` and `new` in all; `decks`: deck ->
    [review, new] for the decks whose own limits are tighter than those; `bury`: deck ->
    whether it buries siblings, for decks that differ from the collection."""

    review: int
    new: int
    decks: Mapping[str, tuple[int, int]] = _NONE
    bury: Mapping[str, bool] = _NONE
    bury_default: bool = True


def mix_rank(day: date, note_key: str) -> int:
    """Where a new card of note `note_key` comes on study day `day` when new cards are
    mixed (new_order = "mixed"): a hash of the two, so the order is the same all day, new
    each day, interleaves notes and decks, and keeps a note's cards together."""
    return crc32(f"{day.toordinal()}:{note_key}".encode())


def _remaining(settings: Settings, new_done: int, reviews_done: int) -> tuple[int, int]:
    review = settings.reviews_per_day - reviews_done - new_done
    return max(review, 0), max(min(settings.new_per_day - new_done, review), 0)


def remaining_today(
    settings: Settings, new_done: int, reviews_done: int, extended: tuple[int, int] | None
) -> tuple[int, int]:
    """(reviews, new cards) left today under `settings`' limits, after `new_done` and
    `reviews_done`, with custom study's `extended` (new, reviews) added to the limits."""
    more_new, more_reviews = extended or (0, 0)
    return _remaining(settings, new_done - more_new, reviews_done - more_reviews)


def limits(
    settings: Settings,
    decks,
    new_done: dict[str, int],
    reviews_done: dict[str, int],
    extended: dict[str, tuple[int, int]] | None = None,
) -> Limits:
    """Today's limits for a queue over `decks` (deck ids), from the cards done today by
    deck (Store.today_counts) and what custom study added (Store.extensions: by deck id,
    "*" for the collection). One deck: its own limits. Several: the collection's, over
    everything done today, and each deck's own where it has its own."""
    decks = set(decks)
    extended = extended or {}

    def remaining(s: Settings, scope: str, new: int, reviews: int) -> tuple[int, int]:
        return remaining_today(s, new, reviews, extended.get(scope))

    if len(decks) == 1:
        (deck,) = decks
        own = settings.for_deck(deck)
        review, new = remaining(own, deck, new_done.get(deck, 0), reviews_done.get(deck, 0))
        return Limits(review, new, bury_default=own.bury_siblings)
    review, new = remaining(settings, "*", sum(new_done.values()), sum(reviews_done.values()))
    tighter, bury = {}, {}
    for deck in decks:
        own = settings.for_deck(deck)
        if own is settings:
            continue
        if own.bury_siblings != settings.bury_siblings:
            bury[deck] = own.bury_siblings
        if (own.new_per_day, own.reviews_per_day) != (
            settings.new_per_day,
            settings.reviews_per_day,
        ):
            tighter[deck] = remaining(own, deck, new_done.get(deck, 0), reviews_done.get(deck, 0))
    return Limits(review, new, tighter, bury, settings.bury_siblings)


class Queue:
    """The cards left to study today, by queue. (A plain class, not a dataclass: defining
    a dataclass costs ~0.5 ms at import, on every start-up; nothing compares queues.)"""

    def __init__(
        self,
        learning: list[Card] | None = None,  # due now, by due time
        review: list[Card] | None = None,  # due today, limited
        new: list[Card] | None = None,  # in deck order, limited
        ahead: list[Card] | None = None,  # learning, due within learn-ahead
        later: datetime | None = None,  # next learning card due after that
    ):
        self.learning = [] if learning is None else learning
        self.review = [] if review is None else review
        self.new = [] if new is None else new
        self.ahead = [] if ahead is None else ahead
        self.later = later

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
    today: tuple[dict, dict, set[str]],
    settings: Settings,
    now: datetime,
) -> Queue:
    """Today's queue for `cards`. `today` is Store.today_counts() for this study day."""
    new_done, reviews_done, answered = today
    lim = limits(settings, {c.deck_id for c in cards}, new_done, reviews_done)
    _, day_end = today_bounds(now, settings.day_starts_at)
    day = study_day(now, settings.day_starts_at)
    ahead_until = now + timedelta(minutes=settings.learn_ahead_minutes)
    note_of = {c.key: c.note_key for c in cards}
    zone = day_zone(now)

    def buries(note: str) -> bool:
        return lim.bury.get(deck_of(note), lim.bury_default)

    busy_notes = {note_of[k] for k in answered if k in note_of and buries(note_of[k])}
    left = {d: list(v) for d, v in lim.decks.items()}

    q = Queue()
    reviews: list[tuple[datetime, Card]] = []
    learning: list[tuple[datetime, Card]] = []
    day_learning: list[tuple[datetime, Card]] = []  # interday: due on a later day
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
        elif not interday_learning(s.due, s.last_review, settings.day_starts_at, zone):
            learning.append((s.due, card))
        elif study_day(s.due, settings.day_starts_at, zone) <= day:
            day_learning.append((s.due, card))

    # Learning cards mark their notes (their new and review siblings wait); interday
    # learning within the review limit, not held back by siblings; then reviews (most
    # overdue first), then new cards in deck order; one card per note. What is taken
    # counts against the new limits too (Anki's review limit caps new).
    for _, card in (*learning, *day_learning):
        if buries(card.note_key):
            busy_notes.add(card.note_key)
    day_learning.sort(key=lambda x: x[0])
    taken: list[Card] = []
    for _, card in day_learning:
        if len(taken) >= lim.review:
            break
        own = left.get(card.deck_id)
        if own is not None:
            if own[0] <= 0:
                continue
            own[0] -= 1
            own[1] = min(own[1], own[0])
        taken.append(card)
    review_left = lim.review - len(taken)
    reviews.sort(key=lambda x: x[0])
    for _, card in reviews:
        if len(q.review) >= review_left:
            break
        own = left.get(card.deck_id)
        if card.note_key not in busy_notes and (own is None or own[0] > 0):
            q.review.append(card)
            if own is not None:
                own[0] -= 1
                own[1] = min(own[1], own[0])
            if buries(card.note_key):
                busy_notes.add(card.note_key)
    if settings.new_order == "mixed":
        new.sort(key=lambda c: mix_rank(day, c.note_key))  # (stable: ties keep deck order)
    new_left = min(lim.new, review_left - len(q.review))
    for card in new:
        if len(q.new) >= new_left:
            break
        own = left.get(card.deck_id)
        if card.note_key not in busy_notes and (own is None or own[1] > 0):
            q.new.append(card)
            if own is not None:
                own[1] -= 1
            if buries(card.note_key):
                busy_notes.add(card.note_key)

    learning.sort(key=lambda x: x[0])
    for due, card in learning:
        if due <= now:
            q.learning.append(card)
        elif due <= ahead_until and due <= day_end:  # (Anki gathers them up to the rollover)
            q.ahead.append(card)
        elif q.later is None:
            q.later = due
    q.learning += taken
    return q


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
_WHOLE = 62  # a shift that leaves any position whole (add_rows: no slots)


def available_from(
    due: datetime, last_review: datetime | None, state: int, starts_at: int, now: datetime
) -> datetime:
    """When a card not in today's queue, due at `due` (after `now`), can next be studied:
    a review, or an interday learning card (see Index), from the start of its study day
    (tomorrow's, if that day is today: something holds it back today); an intraday
    learning card at `due` itself."""
    zone = day_zone(now)
    if state != REVIEW and not interday_learning(due, last_review, starts_at, zone):
        return due  # (intraday learning)
    tomorrow = study_day(now, starts_at, zone) + timedelta(days=1)
    day = max(study_day(due, starts_at, zone), tomorrow)
    return day_start(day, starts_at, zone)


class Index:
    """Today's candidates for the cards of a session, by position in the session's list.

    `rev`, `lrn` and `dlrn` are sorted (due_ms, position) pairs packed as ints
    (due_ms * _POS + position), `new` sorted positions, or (rank, position) pairs when
    `rank(position)` orders them (mix_rank): the same lists build() makes, in the same
    order (build's sorts are stable, so ties fall back to list position). `lrn` holds the
    learning cards due within their day, `dlrn` those whose step ran past a rollover
    (Anki's interday learning, rslib scheduler/states/interval_kind.rs maybe_as_days: due
    from the start of their day, taking review limit) due on a day up to `day_end_ms`'s.
    `day` and `day_end_ms` are the study day they are for, whose days start at
    `starts_at` in `zone`. A list's item % _POS is its position.
    """

    __slots__ = ("rev", "lrn", "dlrn", "new", "day", "day_end_ms", "rank", "_days", "_last")

    def __init__(self, day: date, day_end_ms: int, starts_at: int, zone, rank=None):
        self.rev: list[int] = []
        self.lrn: list[int] = []
        self.dlrn: list[int] = []
        self.new: list[int] = []
        self.day = day
        self.day_end_ms = day_end_ms
        self.rank = rank
        self._days = (starts_at, zone)
        self._last = study_day(from_ms(day_end_ms - 1), starts_at, zone)  # (the last one)

    def _new_item(self, pos: int) -> int:
        return pos if self.rank is None else self.rank(pos) * _POS + pos

    def add_rows(self, rows, offset: int = 0) -> None:
        """Rows of (position, state, due_ms, last_review_ms) for the cards that are
        candidates today, as Store.candidates() returns them; state None means no stored
        state (new)."""
        self._add(rows, {0: offset}, _WHOLE)  # (every position: slot 0, its own place)

    def _learning(self, due: int, last: int | None) -> list[int] | None:
        """The list a learning card due at `due` (ms), last reviewed at `last`, belongs in
        today, if any."""
        starts_at, zone = self._days
        due_at = from_ms(due)
        if not interday_learning(due_at, from_ms(last), starts_at, zone):
            return self.lrn
        return self.dlrn if study_day(due_at, starts_at, zone) <= self._last else None

    def add_placed(self, rows, starts: dict[int, int], shift: int) -> None:
        """Rows of (slot << shift | place in the deck, state, due_ms, last_review_ms), as
        Store.placed_candidates() returns them (shift: Store's SLOT_SHIFT); the first
        position of the deck in slot s is starts[s], and decks not in `starts` are not the
        session's."""
        self._add(rows, starts, shift)

    def _add(self, rows, starts: dict[int, int], shift: int) -> None:
        # One loop that works out each row's position as it goes (at 100k cards, ~7k due
        # reviews: half the time of a generator of positions feeding a second loop).
        mask = (1 << shift) - 1
        rev, new, slot_start = self.rev, self.new, starts.get
        item = self._new_item
        for place, state, due, last in rows:
            start = slot_start(place >> shift)
            if start is None:
                continue
            pos = start + (place & mask)
            if state == REVIEW:
                rev.append(due * _POS + pos)
            elif state is None or state == NEW:
                new.append(item(pos))
            elif (where := self._learning(due, last)) is not None:
                where.append(due * _POS + pos)

    def finish(self) -> Index:
        self.rev.sort()
        self.lrn.sort()
        self.dlrn.sort()
        self.new.sort()
        return self

    def place(self, s: CardState | None) -> tuple[int, int] | None:
        """Where a card with state `s` belongs today: (0 new | 1 review | 2 learning |
        3 interday learning, due_ms), or None when it is not a candidate (suspended,
        buried, due later)."""
        if s is not None and (s.suspended or (s.buried_until and s.buried_until > self.day)):
            return None
        if s is None or s.state == NEW:
            return (0, 0)
        due = to_ms(s.due)  # what the store holds: ms, rounded
        if s.state == REVIEW:
            return (1, due) if due < self.day_end_ms else None
        where = self._learning(due, to_ms(s.last_review))
        return None if where is None else (2 if where is self.lrn else 3, due)

    def move(self, pos: int, old: tuple[int, int] | None, new: tuple[int, int] | None) -> None:
        """Card `pos` moved from place `old` to place `new` (see place())."""
        if old == new:
            return
        if old is not None:
            _discard(
                self._list(old[0]), self._new_item(pos) if old[0] == 0 else old[1] * _POS + pos
            )
        if new is not None:
            insort(self._list(new[0]), self._new_item(pos) if new[0] == 0 else new[1] * _POS + pos)

    def _list(self, which: int) -> list:
        return (self.new, self.rev, self.lrn, self.dlrn)[which]


def _discard(items: list, item) -> None:
    i = bisect_left(items, item)
    if i < len(items) and items[i] == item:
        del items[i]


class Selection:
    """Today's queue as positions: what build() would put in each list of a Queue."""

    __slots__ = ("learning", "review", "new", "ahead", "later_ms", "day_learning")

    def __init__(
        self,
        learning: list[int],
        review: list[int],
        new: list[int],
        ahead: list[int],
        later_ms: int | None,
        day_learning: Sequence[int] = (),  # interday, shown after `learning`
    ):
        self.learning = learning
        self.review = review
        self.new = new
        self.ahead = ahead
        self.later_ms = later_ms
        self.day_learning = day_learning

    def first(self) -> int | None:
        """Position of Queue.next()."""
        if self.learning:
            return self.learning[0]
        if self.day_learning:
            return self.day_learning[0]
        if self.review or self.new:
            if not self.new:
                return self.review[0]
            upto = round(len(self.review) / (len(self.new) + 1))  # as _spread does
            return self.review[0] if upto > 0 else self.new[0]
        return self.ahead[0] if self.ahead else None

    @property
    def counts(self) -> tuple[int, int, int]:
        """As Queue.counts."""
        learning = len(self.learning) + len(self.day_learning) + len(self.ahead)
        return len(self.new), learning, len(self.review)

    def queue(self, card) -> Queue:
        """The Queue, with `card(position)` giving each Card."""
        return Queue(
            learning=[card(p) for p in (*self.learning, *self.day_learning)],
            review=[card(p) for p in self.review],
            new=[card(p) for p in self.new],
            ahead=[card(p) for p in self.ahead],
            later=from_ms(self.later_ms),
        )


def select(
    index: Index, busy: set, note_of, lim: Limits, settings: Settings, now: datetime
) -> Selection:
    """build()'s walk over the candidates. `busy` holds the notes answered today (it is
    not changed); `note_of(position)` gives a card's note, as Card.note_key does."""
    due = select_due(index, busy, note_of, lim)
    learning, ahead, later = select_learning(index, settings, now)
    return Selection(learning, due.review, due.new, ahead, later, due.day_learning)


class Due(NamedTuple):
    """The review and new lists of today's queue (positions), and whether a limit kept
    cards out of each (rather than siblings, or there being no more)."""

    review: list[int]
    new: list[int]
    reviews_held: bool = False
    new_held: bool = False
    day_learning: Sequence[int] = ()


def select_due(index: Index, busy: set, note_of, lim: Limits) -> Due:
    """The interday learning, review and new lists of the queue: the limits and the
    siblings. They do not depend on the time of day, only on the candidates and today's
    counts. As Anki gathers them (rslib scheduler/queue/builder/gathering.rs): learning
    cards first, each marking its note seen (its new and review siblings wait); then
    interday learning within the review limit, never held back by a sibling; then
    reviews; then new cards, within what is left of the review limit too."""
    busy = set(busy)
    busy.update(note_of(item % _POS) for item in index.lrn)
    busy.update(note_of(item % _POS) for item in index.dlrn)
    if lim.bury:
        busy = {n for n in busy if lim.bury.get(deck_of(n), lim.bury_default)}
    elif not lim.bury_default:
        busy = set()
    left = {d: list(v) for d, v in lim.decks.items()}
    day_learning: list[int] = []
    for item in index.dlrn:
        if len(day_learning) >= lim.review:
            break
        pos = item % _POS
        own = left.get(deck_of(note_of(pos))) if left else None
        if own is not None:
            if own[0] <= 0:
                continue
            own[0] -= 1
            own[1] = min(own[1], own[0])
        day_learning.append(pos)

    def walk(items: list[int], taking: int, limit: int) -> tuple[list[int], bool]:
        """Take up to `limit` cards of `items` (index.rev's or index.new's: `taking` 0
        or 1, as in lim.decks' pairs)."""
        out: list[int] = []
        held = False
        if limit <= 0:
            return out, bool(items)
        last = len(items) - 1
        per_deck = bool(left or lim.bury)  # (else one limit and one bury setting for all)
        bury = lim.bury_default
        for i, item in enumerate(items):
            pos = item % _POS
            note = note_of(pos)
            if note in busy:
                continue
            if per_deck:
                deck = deck_of(note)
                own = left.get(deck) if left else None
                if own is not None:
                    if own[taking] <= 0:
                        held = True
                        continue
                    own[taking] -= 1
                    own[1] = min(own[1], own[0])
                bury = lim.bury.get(deck, lim.bury_default)
            out.append(pos)
            if bury:
                busy.add(note)
            if len(out) >= limit:
                return out, i < last  # (a card left may be a sibling: near enough)
        return out, held

    review_left = lim.review - len(day_learning)
    review, reviews_held = walk(index.rev, 0, review_left)
    new, new_held = walk(index.new, 1, min(lim.new, review_left - len(review)))
    return Due(review, new, reviews_held, new_held, day_learning)


def select_learning(
    index: Index, settings: Settings, now: datetime
) -> tuple[list[int], list[int], int | None]:
    """(learning due now, learning due within learn-ahead, the next due after that).
    Learn-ahead stops at the rollover: Anki gathers today's learning cards up to the next
    day's start (rslib scheduler/queue/builder/gathering.rs, intraday learning)."""
    now_us = micros(now)
    ahead_us = min(now_us + settings.learn_ahead_minutes * 60_000_000, index.day_end_ms * 1000)
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
