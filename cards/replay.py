"""Replaying the review log: every card's state recomputed from its reviews (their times
and ratings) under the scheduler of this version.

A collection whose states were computed by an earlier version (migration 2 marks it) is
replayed once, when it is first opened with settings; the result is the schedule Anki
computes from the same log. The log itself keeps every review: only the state stored
with each review (for undo and export) and the cards' states are rewritten, in one
transaction, so a crash leaves either the old states or the new ones.
"""

from __future__ import annotations

from cards import scheduler
from cards.config import Settings
from cards.model import deck_of
from cards.state import CardState
from cards.store import Store


def replayed(
    store: Store, settings: Settings
) -> tuple[list[CardState], list[tuple[int, CardState]]]:
    """(new card states, (review id, state after it) per review) from the log, in the
    order the answers were saved."""
    current = store.states()
    by_key: dict[str, list] = {}
    for review in store.reviews():
        by_key.setdefault(review.key, []).append(review)
    states, rows = [], []
    for key, reviews in by_key.items():
        kept = current.get(key) or CardState(key)
        state = CardState(key)
        deck_settings = settings.for_deck(deck_of(key))
        for review in reviews:
            after = scheduler.review(deck_settings, state, review.rating, review.time)
            rows.append((review.id, after))
            state = after
        # suspension and burying are not in the log: they stay as they are
        states.append(state.with_(suspended=kept.suspended, buried_until=kept.buried_until))
    return states, rows


def replay_if_pending(store: Store, settings: Settings) -> int:
    """Replay the log if the collection asks for it; the number of cards rewritten."""
    if not store.replay_pending():
        return 0
    states, rows = replayed(store, settings)
    return len(states) if store.rewrite_history(states, rows) else 0
