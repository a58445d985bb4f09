"""The review log as FSRS training items, made exactly as Anki makes them from its revlog
(rslib/src/scheduler/fsrs/params.rs: fsrs_items_for_training, reviews_for_fsrs).

Per card, oldest first: only the history from the first review of its last run of
learning reviews counts (a card with no learning review is left out, as Anki leaves out
cards it cannot see start); each later review that comes on a later study day than the
one before it is an item, holding every review up to it with the study days between
them. Study days are counted as Anki counts them: whole days from the review (its log id,
in seconds) to the next rollover after now. Items are ordered by review id, each with its
card, as the optimiser wants them.

heartcards' log has no Forget, cram or Set due date rows yet: when it has, they are to be
dropped here as Anki drops them. Pure: plain tuples in, plain tuples out.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from cards.state import LEARNING, NEW

DAY = 86_400

Item = tuple[tuple[int, int], ...]  # ((rating, days since the review before), ...)


def _runs(rows):
    """Per card, its reviews (time, rating, state before) from its last run of learning
    reviews on, oldest first; cards without a learning review are left out."""
    by_card: dict[int, list[tuple[int, int, int]]] = {}
    for at, card, rating, before in rows:
        by_card.setdefault(card, []).append((at, rating, before))
    for card, entries in by_card.items():
        entries.sort(key=itemgetter(0))  # (stable: answers in one ms keep their order)
        start = None
        for i in range(len(entries) - 1, -1, -1):  # back from the latest review
            if entries[i][2] in (NEW, LEARNING):  # a learning review (revlog type 0)
                start = i
            elif start is not None:
                break
        if start is not None:
            yield card, entries[start:]


def _with_days(entries, next_day_at: int) -> list[tuple[int, int]]:
    """(rating, study days since the review before) of each entry."""
    out = []
    last = None
    for at, rating, _ in entries:
        days = (next_day_at - at // 1000) // DAY
        if days < 0:
            days = 0
        out.append((rating, 0 if last is None else last - days))
        last = days
    return out


def memory_items(rows, next_day_at: int) -> dict[int, Item]:
    """Per card, the one item of its whole history, from which FSRS works out its memory
    now, as Anki does when it recomputes a card (reviews_for_fsrs, not training)."""
    return {card: tuple(_with_days(entries, next_day_at)) for card, entries in _runs(rows)}


def training_items(
    rows: Iterable[tuple[int, int, int, int]], next_day_at: int
) -> tuple[list[Item], list[int], list[int]]:
    """(items, card of each, review time of each) from `rows`: (review time in ms, card,
    rating, state before) of the reviews that stand. `next_day_at`: the next rollover
    after now, in seconds. (Times, not log ids: an export gives Anki the times as ids,
    also where the log's ids left time order because the clock went back.)"""
    out: list[tuple[int, int, Item]] = []
    for card, entries in _runs(rows):
        reviews = _with_days(entries, next_day_at)
        for i in range(1, len(reviews)):
            if reviews[i][1] > 0:
                out.append((entries[i][0], card, tuple(reviews[: i + 1])))
    out.sort(key=lambda x: x[0])
    return [item for _, _, item in out], [card for _, card, _ in out], [r for r, _, _ in out]
