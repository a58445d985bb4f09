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

from cards.state import LEARNING, NEW

DAY = 86_400

Item = tuple[tuple[int, int], ...]  # ((rating, days since the review before), ...)


def training_items(
    rows: Iterable[tuple[int, int, int, int]], next_day_at: int
) -> tuple[list[Item], list[int], list[int]]:
    """(items, card of each, review time of each) from `rows`: (review time in ms, card,
    rating, state before) of the reviews that stand. `next_day_at`: the next rollover
    after now, in seconds. (Times, not log ids: an export gives Anki the times as ids,
    also where the log's ids left time order because the clock went back.)"""
    by_card: dict[int, list[tuple[int, int, int]]] = {}
    for at, card, rating, before in rows:
        by_card.setdefault(card, []).append((at, rating, before))
    out: list[tuple[int, int, Item]] = []
    for card, entries in by_card.items():
        entries.sort(key=lambda e: e[0])  # (stable: answers in one ms keep their order)
        start = None
        for i in range(len(entries) - 1, -1, -1):  # back from the latest review
            if entries[i][2] in (NEW, LEARNING):  # a learning review (revlog type 0)
                start = i
            elif start is not None:
                break
        if start is None:
            continue
        entries = entries[start:]
        days = [max(0, (next_day_at - rid // 1000) // DAY) for rid, _, _ in entries]
        reviews: list[tuple[int, int]] = []
        for i, (rid, rating, _) in enumerate(entries):
            delta = 0 if i == 0 else days[i - 1] - days[i]
            reviews.append((rating, delta))
            if i >= 1 and delta > 0:
                out.append((rid, card, tuple(reviews)))
    out.sort(key=lambda x: x[0])
    return [item for _, _, item in out], [card for _, card, _ in out], [r for r, _, _ in out]
