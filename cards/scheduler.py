"""FSRS-6 through the `fsrs` package: one review, and the interval each rating would give.

Fuzz is seeded from the card and its review count, like Anki, so the interval shown on a
button is exactly the one the answer gives, and undo + answer again gives the same result.
"""

from __future__ import annotations

import random
import threading
import zlib
from datetime import datetime, timedelta
from functools import lru_cache

from cards.config import Settings
from cards.days import utc
from cards.state import NEW, REVIEW, CardState, Rating

_fuzz_lock = threading.Lock()


@lru_cache(maxsize=8)
def _fsrs(settings: Settings):
    import fsrs

    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_deltas(),
        relearning_steps=settings.relearning_deltas(),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.fuzz,
    )


def _to_fsrs(state: CardState, now: datetime):
    import fsrs

    if state.state == NEW:
        return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=1,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def review(settings: Settings, state: CardState, rating: Rating, now: datetime) -> CardState:
    """The state after answering `state` with `rating` at `now`. Pure."""
    import fsrs.scheduler as fsrs_scheduler

    now = utc(now)
    seed = zlib.crc32(f"{state.key}:{state.reps}".encode())
    with _fuzz_lock:  # fsrs draws fuzz from module-level random(); give it our seeded one
        saved = fsrs_scheduler.random
        fsrs_scheduler.random = random.Random(seed).random
        try:
            card, _ = _fsrs(settings).review_card(_to_fsrs(state, now), rating, now)
        finally:
            fsrs_scheduler.random = saved
    lapse = state.state == REVIEW and rating == Rating.AGAIN
    return state.with_(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=now,
        reps=state.reps + 1,
        lapses=state.lapses + lapse,
    )


def intervals(settings: Settings, state: CardState, now: datetime) -> dict[Rating, timedelta]:
    """What each rating would give: the time from now until the card is due again."""
    now = utc(now)
    return {r: review(settings, state, r, now).due - now for r in Rating}


def retrievability(settings: Settings, state: CardState, now: datetime) -> float | None:
    """Probability of recall now, for cards that have been reviewed."""
    if state.state == NEW or state.stability is None:
        return None
    return _fsrs(settings).get_card_retrievability(_to_fsrs(state, utc(now)), utc(now))


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 5d, 2.1mo, 1.5y."""
    s = max(delta.total_seconds(), 0)
    if s < 60:
        return f"{round(s)}s"
    if s < 3600:
        return f"{round(s / 60)}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
