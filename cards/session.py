"""A study session: what to show next, answering, undo, suspend and bury.

The session holds no state of its own that matters: every answer is in the store
before `answer()` returns, so the next card is only shown after it is durable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal, NamedTuple, Protocol, runtime_checkable

from cards import queue as queue_mod
from cards import scheduler
from cards.config import Settings
from cards.days import day_zone, from_ms, interday_learning, study_day, to_ms, today_bounds
from cards.model import Card, deck_of
from cards.state import NEW, REVIEW, CardState, Rating
from cards.store import SLOT_SHIFT, Review, Store, UndoRefused, WriteFailed
from cards.today import DueLists, Segment, Today, json_list


class Answered(NamedTuple):
    """An answer of this session and the review it wrote."""

    card: Card
    review: Review


class Step(NamedTuple):
    """One thing this session did, which undo takes back: an answer (with its review in
    the log), a bury or a suspend."""

    what: Literal["answer", "bury", "suspend"]
    card: Card
    review: Review | None = None
    others: tuple[Card, ...] = ()  # a note's other cards, buried or suspended with it


class Held(NamedTuple):
    """Today's limits as the user sees them: whether they keep new cards or reviews back
    now that none of that kind is left in the queue, the day's new cards and reviews so
    far and their limits (of the one deck, or of the collection for several)."""

    new: bool
    reviews: bool
    new_done: int
    new_limit: int  # with what custom study added today
    reviews_done: int
    reviews_limit: int
    scope: str  # what custom study extends for this session: its one deck's id, or "*"


class CardSource(Protocol):
    """What a Session needs of its cards, by position in the session's list: the keys (as
    a list and as one JSON array, for the store), each card's note, the position of a key,
    the Card itself when it is shown, and the runs the store reads on their own."""

    keys: Sequence[str]
    json: str

    def card(self, pos: int) -> Card: ...
    def note(self, pos: int) -> str: ...
    def position(self, key: str) -> int | None: ...
    def segments(self) -> list[Segment]: ...


@runtime_checkable
class SourcedCards(Protocol):
    """A card list that brings its own CardSource (a cached library's CardList does,
    without making every Card)."""

    def session_source(self) -> CardSource: ...


def source_of(cards: Sequence[Card] | SourcedCards) -> CardSource:
    return cards.session_source() if isinstance(cards, SourcedCards) else ListSource(cards)


class ListSource:
    """The CardSource of a plain list of Card objects. A card listed twice is one card:
    its first place counts."""

    def __init__(self, cards: Sequence[Card]):
        positions: dict[str, int] = {}
        unique = []
        for card in cards:
            if card.key not in positions:
                positions[card.key] = len(unique)
                unique.append(card)
        self.card = unique.__getitem__
        self.keys = list(positions)
        self.notes = [c.note_key for c in unique]
        self.note = self.notes.__getitem__
        self.position = positions.get

    @cached_property
    def json(self) -> str:
        return json_list(self.keys)

    def segments(self) -> list[Segment]:
        """One run, read by its keys (the cards may come from anywhere, in any order)."""
        return [Segment(0, self.keys)]


class Session:
    def __init__(
        self,
        store: Store,
        cards: list[Card],
        settings: Settings,
        clock: Callable[[], datetime],
        *,
        ahead_days: int = 0,
        filtered: bool = False,
    ):
        """`ahead_days`: reviews due that many days after today count as due (custom
        study's "review ahead"); `filtered`: a custom study session, as Anki's filtered
        decks are: no new cards and no daily limits (answers are scheduled as usual)."""
        self.ahead_days = ahead_days
        self.filtered = filtered
        self.store = store
        self.cards = cards
        self._src = source_of(cards)
        self.settings = settings
        self.clock = clock
        self.history: list[Step] = []  # what this session did, latest last, for undo
        self._queue: queue_mod.Queue | None = None
        self._built_at: datetime | None = None
        self._today: Today | None = None  # candidates and counts, kept current
        self._sel: queue_mod.Selection | None = None
        self._gen = 0  # counts changes to the candidates, counts and busy notes
        self._due: DueLists | None = None
        self._ranks: tuple | None = None  # (day, position -> mix rank) for _rank

    def queue(self) -> queue_mod.Queue:
        """Today's queue; rebuilt after any change and whenever the clock has moved on."""
        sel = self._selection()
        if self._queue is None:
            self._queue = sel.queue(self._src.card)
        return self._queue

    def _changed(self) -> None:
        self._queue = None
        self._sel = None

    def next_card(self) -> Card | None:
        pos = self._selection().first()
        return None if pos is None else self._src.card(pos)

    def counts(self) -> tuple[int, int, int]:
        return self._selection().counts

    def pending_keys(self) -> list[str]:
        """The keys of the cards today's queue still holds (learning ones due later in
        the day's learn-ahead too): what counts() counts."""
        sel, key = self._selection(), self._src.keys
        return [key[p] for p in (*sel.learning, *sel.day_learning, *sel.ahead, *sel.review,
                                  *sel.new)]  # fmt: skip

    def _selection(self) -> queue_mod.Selection:
        """The queue as positions; redone when build() would be (after a change, or once
        the clock has moved on by a second), from candidates read once and then updated."""
        now = self.clock()
        if self._sel is None or abs(now - self._built_at) >= timedelta(seconds=1):
            self._built_at = now
            self._queue = None
            today = self._load(now)
            due = self._due
            if due is None or not due.valid(self._gen, self.settings):
                if self.filtered:
                    lim = queue_mod.Limits(1 << 30, 0, bury_default=self.settings.bury_siblings)
                else:
                    lim = queue_mod.limits(self.settings, self.decks, today.new_done,
                                           today.reviews_done, today.extended)  # fmt: skip
                got = queue_mod.select_due(today.index, today.busy, self._src.note, lim)
                self._due = due = DueLists(got.review, got.new, self._gen, self.settings,
                                           got.reviews_held, got.new_held,
                                           got.day_learning)  # fmt: skip
            learning, ahead, later = queue_mod.select_learning(today.index, self.settings, now)
            self._sel = queue_mod.Selection(learning, due.review, due.new, ahead, later,
                                            due.day_learning)  # fmt: skip
        return self._sel

    @cached_property
    def decks(self) -> set[str]:
        """The ids of the decks this session's cards are of."""
        out: set[str] = set()
        for seg in self._src.segments():
            if seg.deck is not None:
                out.add(seg.deck)
            else:
                out.update(deck_of(k) for k in seg.keys)
        return out

    def held(self) -> Held:
        """Whether today's limits are holding cards back now, and the day's counts."""
        self._selection()
        today, due = self._today, self._due
        scope = next(iter(self.decks)) if len(self.decks) == 1 else "*"
        own = self.settings if scope == "*" else self.settings.for_deck(scope)
        more_new, more_reviews = today.extended.get(scope, (0, 0))

        def done(counts: dict[str, int]) -> int:
            return sum(counts.values()) if scope == "*" else counts.get(scope, 0)

        return Held(due.new_held and not due.new, due.reviews_held and not due.review,
                    done(today.new_done),
                    own.new_per_day + more_new, done(today.reviews_done),
                    own.reviews_per_day + more_reviews, scope)  # fmt: skip

    def _load(self, now: datetime) -> Today:
        """Today's candidates and counts: those in hand if still true, else read again."""
        start, end = today_bounds(now, self.settings.day_starts_at)
        day = study_day(now, self.settings.day_starts_at)
        version, start_ms, end_ms = self.store.version(), to_ms(start), to_ms(end)
        today = self._today
        mixed = self.settings.new_order == "mixed"  # (the candidates' order of new cards)
        if today is not None and (
            today.version,
            today.day,
            today.start_ms,
            today.end_ms,
            today.mixed,
        ) == (version, day, start_ms, end_ms, mixed):
            return today
        horizon = end + timedelta(days=self.ahead_days)  # (reviews due by then are due)
        zone = day_zone(now)
        index = queue_mod.Index(day, to_ms(horizon), self.settings.day_starts_at, zone,
                                self._rank(day))  # fmt: skip
        self._read_candidates(index, day, horizon)
        today = Today(index.finish(), version, day, start_ms, end_ms, mixed=mixed, zone=zone)
        self._count_today(today)
        today.version = self.store.version()
        self._today = today
        return today

    def _rank(self, day):
        """The order of new cards on `day`: by queue.mix_rank of their notes (each worked
        out once a day), or None for file order."""
        if self.settings.new_order != "mixed":
            return None
        if self._ranks is None or self._ranks[0] != day:
            self._ranks = (day, {})
        ranks, note, mix = self._ranks[1], self._src.note, queue_mod.mix_rank

        def rank(pos: int) -> int:
            r = ranks.get(pos)
            if r is None:
                r = ranks[pos] = mix(day, note(pos))
            return r

        return rank

    def _read_candidates(self, index: queue_mod.Index, day, end: datetime) -> None:
        """Today's candidates into `index`. A deck's cards are read by their places in the
        deck (placing them first if the deck has changed since); a run that is not a deck,
        or a deck that could not be placed (the collection busy or read-only), by its keys."""
        segments = self._src.segments()
        decks = [s for s in segments if s.deck is not None]
        starts: dict[int, int] = {}  # deck slot -> its first position
        by_place: set[str] = set()  # the decks read by their places
        if decks:
            places = self.store.places()
            for seg in decks:
                if places.get(seg.deck) != seg.fingerprint:
                    try:
                        self.store.place_deck(seg.deck, seg.json, seg.fingerprint)
                    except WriteFailed:
                        pass  # read by its keys, below
            placed, rows = self.store.placed_candidates(day, end)
            for seg in decks:
                fingerprint, slot = placed.get(seg.deck, (None, None))
                if fingerprint == seg.fingerprint:
                    starts[slot] = seg.start
                    by_place.add(seg.deck)
            index.add_placed(rows, starts, SLOT_SHIFT)
        for seg in segments:
            if seg.deck not in by_place:
                index.add_rows(self.store.candidates(seg.json, day, end), seg.start)

    def _count_today(self, today: Today) -> None:
        # (the bounds in the day's zone: an interday learning answer counts as a review by
        # the rollover it crossed there, as the answer path counts it)
        today.new_done, today.reviews_done, today.answered = self.store.today_counts(
            from_ms(today.start_ms).astimezone(today.zone),
            from_ms(today.end_ms).astimezone(today.zone),
            self.settings.day_starts_at,
        )
        note, position = self._src.note, self._src.position
        today.busy = {note(p) for k in today.answered if (p := position(k)) is not None}
        today.extended = self.store.extensions(today.day)
        self._gen += 1

    def _write(self, key: str, write, states: Callable | None = None):
        """Run `write` (one store transaction) and move `key` in the candidates to where its
        new state puts it, when the candidates in hand were true before the write.
        `states(result)`: the card's (before, after) as the write found and left them."""
        today = self._today
        fresh = today is not None and today.version == self.store.version()
        pos = self._src.position(key) if fresh else None
        before = after = None
        if fresh and pos is not None and states is None:
            before = self.store.get(key)
        result = write()
        if not fresh:
            return result, None
        version = self.store.version()
        if version[0] != today.version[0]:  # another process wrote meanwhile
            self._today = None
            return result, None
        if pos is not None:
            if states is not None:
                before, after = states(result)
            else:
                after = self.store.get(key)
            today.index.move(pos, today.index.place(before), today.index.place(after))
        today.version = version
        self._gen += 1
        return result, pos

    def card(self, key: str) -> Card | None:
        """The session's card with this key, if it has one."""
        pos = self._src.position(key)
        return None if pos is None else self._src.card(pos)

    def state(self, card: Card) -> CardState:
        return self.store.get(card.key)

    def intervals(self, card: Card) -> dict[Rating, timedelta]:
        return scheduler.intervals(
            self.settings.for_deck(card.deck_id), self.state(card), self.clock()
        )

    @property
    def answered(self) -> list[Answered]:
        """This session's answers that stand, oldest first."""
        return [Answered(s.card, s.review) for s in self.history if s.what == "answer"]

    def answer(self, card: Card, rating: Rating, duration_ms: int = 0) -> Review:
        """Schedule and save the answer; it is committed when this returns. The card's
        state is read again under the write lock, so an answer from another process in
        the meantime is built on. A failed write (cards.store.WriteFailed) changes nothing:
        the same answer can be given again."""
        now = self.clock()
        rating = Rating(rating)
        deck_settings = self.settings.for_deck(card.deck_id)
        due, gen = self._due, self._gen
        review, pos = self._write(
            card.key,
            lambda: self.store.answer(
                card.key,
                rating,
                now,
                duration_ms,
                lambda before: scheduler.review(deck_settings, before, rating, now),
                self.settings.day_starts_at,
                (deck_settings.leech_threshold, deck_settings.leech_action == "suspend"),
            ),
            lambda review: (review.before, review.after),
        )
        before, after = review.before, review.after
        today = self._today
        if today is not None and today.version[1] == self.store.db.total_changes:
            # today's counts, as Store.today_counts() would now read them
            counted = today.includes(to_ms(now))
            if counted:
                if before.state in (NEW, REVIEW) or interday_learning(
                    before.due, before.last_review, self.settings.day_starts_at, day_zone(now)
                ):  # (an interday learning card counts as a review, as in Anki)
                    done = today.new_done if before.state == NEW else today.reviews_done
                    done[card.deck_id] = done.get(card.deck_id, 0) + 1
                today.answered.add(card.key)
                if pos is not None:
                    today.busy.add(self._src.note(pos))
            # The common case, a queued review or new card answered: the queue is the one
            # it was, less that card (its note is already claimed, and its limit is one
            # less). Anything else walks the candidates again.
            if (
                counted
                and pos is not None
                and due is not None
                and due.valid(gen, self.settings)
                and (today.index.place(after) or (2,))[0] == 2  # not a review or new again
            ):
                if before.state == REVIEW:
                    listed = due.review
                else:
                    listed = due.new if before.state == NEW else ()
                if pos in listed:
                    shorter = listed.copy()
                    shorter.remove(pos)
                    if listed is due.review:
                        self._due = due._replace(review=shorter, gen=self._gen)
                    else:
                        self._due = due._replace(new=shorter, gen=self._gen)
        self.history.append(Step("answer", card, review))
        self._changed()
        return review

    def undo(self) -> Step | None:
        """Undo this session's last step (answer, bury or suspend); returns it, its card to
        be shown again. An answer is undone by its log id, and refused (UndoRefused, the
        step dropped: it can never be undone) when its card has changed since, here or in
        another process. A failed write (WriteFailed) keeps the step for another try."""
        if not self.history:
            return None
        step = self.history[-1]
        try:
            if step.what == "answer":
                self._write(step.card.key, lambda: self.store.undo(step.review.id, self.clock()))
                if self._today is not None:
                    self._count_today(self._today)
            elif step.what == "bury":
                for card in (step.card, *step.others):
                    self.unbury(card)
            else:
                for card in (step.card, *step.others):
                    self.unsuspend(card)
        except UndoRefused:
            self.history.pop()
            raise
        finally:
            self._changed()
        self.history.pop()
        return step

    def suspend(self, card: Card) -> None:
        self._write(card.key, lambda: self.store.set_suspended(card.key, True))
        self.history.append(Step("suspend", card))
        self._changed()

    def extend_limits(self, new: int = 0, reviews: int = 0) -> None:
        """Custom study: `new` more new cards and `reviews` more reviews today, for this
        session's deck (several decks: for the collection)."""
        scope = next(iter(self.decks)) if len(self.decks) == 1 else "*"
        self.store.extend_limits(study_day(self.clock(), self.settings.day_starts_at), scope,
                                 new, reviews)  # fmt: skip
        self._today = None  # (read again, with the extension)
        self._changed()

    def bury(self, card: Card) -> None:
        """Hide the card until the next study day."""
        day = study_day(self.clock(), self.settings.day_starts_at)
        self._write(card.key, lambda: self.store.bury(card.key, day + timedelta(days=1)))
        self.history.append(Step("bury", card))
        self._changed()

    def siblings(self, card: Card) -> tuple[Card, ...]:
        """The session's other cards of `card`'s note, not suspended (or buried) already."""
        out = []
        for ord_ in range(1, 100):
            key = card.note_key if ord_ == 1 else f"{card.note_key}/{ord_}"
            if key == card.key:
                continue
            other = self.card(key)
            if other is not None:
                out.append(other)
        return tuple(out)

    def suspend_note(self, card: Card) -> None:
        """Suspend every card of the note (Anki's "suspend note"); one step for undo."""
        others = tuple(c for c in self.siblings(card) if not self.store.get(c.key).suspended)
        for c in (card, *others):
            self._write(c.key, lambda c=c: self.store.set_suspended(c.key, True))
        self.history.append(Step("suspend", card, others=others))
        self._changed()

    def bury_note(self, card: Card) -> None:
        """Bury every card of the note until the next study day; one step for undo."""
        day = study_day(self.clock(), self.settings.day_starts_at) + timedelta(days=1)
        others = tuple(c for c in self.siblings(card) if self.store.get(c.key).buried_until != day)
        for c in (card, *others):
            self._write(c.key, lambda c=c: self.store.bury(c.key, day))
        self.history.append(Step("bury", card, others=others))
        self._changed()

    def unsuspend(self, card: Card) -> None:
        self._write(card.key, lambda: self.store.set_suspended(card.key, False))
        self._changed()

    def unbury(self, card: Card) -> None:
        self._write(card.key, lambda: self.store.bury(card.key, None))
        self._changed()

    def next_due(self) -> datetime | None:
        """When the next card can be studied after today's queue is empty: a learning card
        later today at its time, a review or a step of days from the start of its day."""
        later = self._selection().later_ms
        if later:
            return from_ms(later)
        now, starts_at = self.clock(), self.settings.day_starts_at
        times = [queue_mod.available_from(due, last, state, starts_at, now)
                 for due, last, state in self.store.upcoming(self._src.json, now)]  # fmt: skip
        return min(times, default=None)
