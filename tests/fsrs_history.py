"""A review history generated from a known FSRS-6 parameter vector, for the optimiser's
tests: cards are scheduled with those parameters and each review is recalled with the
probability they give (a forgotten card is rated Again; a recalled one Hard, Good or
Easy), so fitting that history should find parameters that predict it about as well."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cards import scheduler
from cards.config import Settings
from cards.state import NEW, CardState, Rating
from cards.store import Store

# Not the defaults: slower starts, faster growth, a steeper curve.
TRUTH = (0.5, 1.6, 4.2, 14.0, 6.8, 0.6, 2.4, 0.01, 2.1, 0.12, 0.9, 1.7, 0.09, 0.3,
         1.9, 0.4, 2.6, 0.55, 0.11, 0.07, 0.22)  # fmt: skip


def generate(
    store: Store, cards: int, end: datetime, days: int = 300, seed: int = 7, deck: str = "gen"
) -> int:
    """Write the reviews of `cards` cards (of deck `deck`) studied over `days` days before
    `end`; how many."""
    truth = Settings(fsrs_params=TRUTH)
    rng = random.Random(seed)
    start = end - timedelta(days=days)
    count = 0
    for n in range(cards):
        key = f"{deck}/c{n}"
        state = CardState(key)
        at = start + timedelta(days=rng.uniform(0, days / 3), minutes=rng.uniform(0, 600))
        while at < end:
            if state.state == NEW:
                rating = rng.choices((1, 2, 3, 4), (0.25, 0.1, 0.55, 0.1))[0]
            else:
                recall = scheduler.retrievability(truth, state, at)
                if recall is None or state.state != 2:  # learning steps: recalled
                    recall = 0.95
                if rng.random() < recall:
                    rating = rng.choices((2, 3, 4), (0.12, 0.78, 0.1))[0]
                else:
                    rating = 1
            after = scheduler.review(truth, state, Rating(rating), at)
            store.record(state, after, Rating(rating), at, 6000)
            count += 1
            state = after
            at = after.due + timedelta(minutes=rng.uniform(0, 240))
    return count
