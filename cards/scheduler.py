"""FSRS-6 as Anki's own engine schedules: one review, and the interval each rating gives.

Memory (stability, difficulty) comes from fsrs-rs, the Rust FSRS that Anki embeds (through
fsrs-rs-python), in its f32 arithmetic, so Anki recomputing a card from our review log
arrives at the same numbers. Time between reviews is counted as Anki counts it: in study
days, the number of whole days from the last review to the next rollover (`day_starts_at`),
so a review at 09:00 the morning after one at 22:00 is one day later, not zero.

Intervals follow Anki's rules (rslib/src/scheduler/states/): learning and relearning steps,
Hard < Good < Easy for review cards, a passing review never shorter than the previous
interval unless FSRS itself asks for less, Easy on a learning card at least Good + 1, and
Anki's fuzz range. Fuzz is drawn from the card and its review count, so the interval shown
on a button is exactly the one the answer gives, and undo + answer again gives it again.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from datetime import datetime, timedelta
from functools import lru_cache

from cards.config import Settings
from cards.days import day_start, local, study_day, utc
from cards.state import LEARNING, NEW, RELEARNING, REVIEW, CardState, Rating

DAY = 86_400
# Anki's fuzz: (start, end, factor) ranges of days; an interval gets 1 day of fuzz each way,
# plus `factor` for each of its days inside a range (fuzz.rs).
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))
_RATING_NAMES = {
    Rating.AGAIN: "again",
    Rating.HARD: "hard",
    Rating.GOOD: "good",
    Rating.EASY: "easy",
}


@lru_cache(maxsize=4)
def _model(parameters: tuple[float, ...] | None = None):
    import fsrs_rs_python as fsrs_rs

    return fsrs_rs.FSRS(list(parameters) if parameters else fsrs_rs.DEFAULT_PARAMETERS)


def parameters(settings: Settings | None = None) -> list[float]:
    """The FSRS-6 parameters in use: the user's (`fsrs_params`, from `heartcards
    optimize`), else the defaults, as Anki's."""
    if settings is not None and settings.fsrs_params:
        return list(settings.fsrs_params)
    import fsrs_rs_python as fsrs_rs

    return list(fsrs_rs.DEFAULT_PARAMETERS)


# -- time, as Anki counts it -------------------------------------------------------------


def next_rollover(now: datetime, starts_at: int) -> datetime:
    """The start of the next study day after `now`."""
    now = local(now)
    return day_start(study_day(now, starts_at) + timedelta(days=1), starts_at, now.tzinfo)


def elapsed_days(last_review: datetime, now: datetime, starts_at: int) -> int:
    """Study days from `last_review` to `now`, as Anki counts them: a moment's day is the
    number of whole days from it (in whole seconds) to the next rollover after `now`, so
    the first second of a study day still counts as the day before (revlog.rs,
    days_elapsed). The same count Anki uses when it recomputes a card from its log."""
    rollover = next_rollover(now, starts_at).timestamp()

    def days_before(moment: datetime) -> int:
        return max(0, int((rollover - math.floor(moment.timestamp())) // DAY))

    return max(0, days_before(last_review) - days_before(now))


# -- fuzz ----------------------------------------------------------------------------------


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """Anki's constrained_fuzz_bounds: the days a fuzzed `interval` may land on."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = 0.0
    if interval >= 2.5:
        delta = 1.0 + sum(
            f * max(min(interval, end) - start, 0.0) for start, end, f in _FUZZ_RANGES
        )
    lower = min(max(_round(interval - delta), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _fuzzed(interval: float, minimum: int, maximum: int, factor: float | None) -> int:
    """Anki's with_review_fuzz: a day in the fuzz range, or `interval` rounded without fuzz."""
    if factor is None:
        return min(max(_round(interval), minimum), maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + factor * (1 + upper - lower))


def _round(x: float) -> int:
    """Rust's f32::round: halves away from zero (Python's round() goes to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def _fuzz_factor(settings: Settings, state: CardState) -> float | None:
    if not settings.fuzz:
        return None
    return random.Random(zlib.crc32(f"{state.key}:{state.reps}".encode())).random()


# -- steps ---------------------------------------------------------------------------------


class _Steps:
    """Learning or relearning steps in seconds, addressed by the index of the current step
    (Anki addresses them by steps remaining; rslib/src/scheduler/states/steps.rs)."""

    def __init__(self, deltas: tuple[timedelta, ...]):
        self.secs = [int(d.total_seconds()) for d in deltas]

    def _index(self, step: int | None) -> int:
        return max(0, min(step or 0, len(self.secs) - 1))

    def again(self) -> int | None:
        return self.secs[0] if self.secs else None

    def hard(self, step: int | None) -> int | None:
        if not self.secs:
            return None
        i = self._index(step)
        if i > 0:
            return self.secs[i]
        first = self.secs[0]
        if len(self.secs) > 1:  # between Again and Good
            return _round_in_days((first + self.secs[1]) // 2)
        return _round_in_days(min(first * 3 // 2, first + DAY))

    def good(self, step: int | None) -> tuple[int, int] | None:
        """(delay, next step index), or None when Good leaves the steps."""
        i = self._index(step)
        return (self.secs[i + 1], i + 1) if i + 1 < len(self.secs) else None


def _round_in_days(secs: int) -> int:
    return _round(secs / DAY) * DAY if secs > DAY else secs


# -- answering -----------------------------------------------------------------------------


def _next_states(settings: Settings, state: CardState, now: datetime, *, as_anki_keeps: bool):
    """fsrs-rs's next states (memory and interval for each rating) from `state` at `now`.

    With `as_anki_keeps`, from the memory as Anki keeps it in a card (rounded, see
    _kept): Anki offers intervals from that. Without, from the memory as computed: the
    chain Anki itself arrives at when it recomputes a card from its review log."""
    import fsrs_rs_python as fsrs_rs

    if state.stability is None or state.difficulty is None or state.last_review is None:
        memory, days = None, 0
    else:
        s, d = state.stability, state.difficulty
        if as_anki_keeps:
            s, d = _kept(s, 4), _kept(d, 3)
        memory = fsrs_rs.MemoryState(s, d)
        days = elapsed_days(state.last_review, now, settings.day_starts_at)
    return _model(settings.fsrs_params or None).next_states(
        memory, settings.desired_retention, days
    )


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _kept(value: float, places: int) -> float:
    """`value` as Anki stores it in a card's data: rounded to `places` in f32 arithmetic
    (rslib/src/storage/card/data.rs, round_to_places)."""
    factor = _f32(10.0**places)
    return _f32(_round(_f32(_f32(value) * factor)) / factor)


def scheduled_days(state: CardState, now: datetime, starts_at: int) -> int:
    """The interval a review card was given, in days (Anki's ivl), counted in the zone of
    `now` (the user's)."""
    if state.due is None or state.last_review is None:
        return 0
    zone = local(now).tzinfo
    due, last = state.due.astimezone(zone), state.last_review.astimezone(zone)
    return (study_day(due, starts_at) - study_day(last, starts_at)).days


def review(settings: Settings, state: CardState, rating: Rating, now: datetime) -> CardState:
    """The state after answering `state` with `rating` at `now`. Pure."""
    rating = Rating(rating)
    now = local(now)
    memory = getattr(
        _next_states(settings, state, now, as_anki_keeps=False), _RATING_NAMES[rating]
    ).memory
    nexts = _next_states(settings, state, now, as_anki_keeps=True)
    fuzz = _fuzz_factor(settings, state)
    maximum = max(1, settings.maximum_interval)

    def in_days(interval: float, minimum: int = 1) -> int:
        return _fuzzed(interval, min(max(minimum, 1), maximum), maximum, fuzz)

    def after(kind: int, *, step: int | None = None, secs: int | None = None, days: int = 0):
        # A review card is due `days` study days on, at this time of day: in that study
        # day whatever the zone it is read in (a due at the rollover itself would move to
        # the day before where the clock is an hour behind, across a DST change).
        due = now + (timedelta(seconds=secs) if secs is not None else timedelta(days=days))
        return state.with_(
            state=kind,
            step=step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=utc(due),
            last_review=utc(now),
            reps=state.reps + 1,
            lapses=state.lapses + (state.state == REVIEW and rating == Rating.AGAIN),
        )

    if state.state in (NEW, LEARNING, RELEARNING):
        relearning = state.state == RELEARNING
        steps = _Steps(settings.relearning_deltas() if relearning else settings.learning_deltas())
        kind = RELEARNING if relearning else LEARNING
        step = 0 if state.state == NEW else state.step
        if rating == Rating.AGAIN and steps.again() is not None:
            return after(kind, step=0, secs=steps.again())
        if rating == Rating.HARD and steps.hard(step) is not None:
            return after(kind, step=step, secs=steps.hard(step))
        if rating == Rating.GOOD and steps.good(step) is not None:
            secs, next_step = steps.good(step)
            return after(kind, step=next_step, secs=secs)
        if rating == Rating.EASY:
            easy = max(1, _round(nexts.easy.interval))  # at least Good + 1
            return after(REVIEW, days=in_days(easy, in_days(nexts.good.interval) + 1))
        return after(
            REVIEW, days=in_days(max(1, _round(getattr(nexts, _RATING_NAMES[rating]).interval)))
        )

    # a review card
    if rating == Rating.AGAIN:
        relearn = _Steps(settings.relearning_deltas())
        if relearn.again() is not None:
            return after(RELEARNING, step=0, secs=relearn.again())
        return after(REVIEW, days=in_days(nexts.again.interval))
    last = scheduled_days(state, now, settings.day_starts_at)

    def floor(interval: float) -> int:
        """Anki's minimum_review_fuzz_interval: a grown interval is at least the last + 1;
        one that did not grow beyond its fuzz range is kept from falling below the last."""
        if _round(interval) > last:
            return last + 1
        return last if last <= fuzz_bounds(interval, 1, maximum)[1] else 0

    hard = in_days(nexts.hard.interval, floor(nexts.hard.interval))
    if rating == Rating.HARD:
        return after(REVIEW, days=hard)
    good = in_days(nexts.good.interval, max(floor(nexts.good.interval), hard + 1))
    if rating == Rating.GOOD:
        return after(REVIEW, days=good)
    return after(
        REVIEW, days=in_days(nexts.easy.interval, max(floor(nexts.easy.interval), good + 1))
    )


def intervals(settings: Settings, state: CardState, now: datetime) -> dict[Rating, timedelta]:
    """What each rating would give: the time from now until the card is due again."""
    now = utc(now)
    return {r: review(settings, state, r, now).due - now for r in Rating}


def retrievability(settings: Settings, state: CardState, now: datetime) -> float | None:
    """Probability of recall now (FSRS-6, study days since the last review), for cards that
    have been reviewed."""
    if state.state == NEW or state.stability is None or state.last_review is None:
        return None
    decay, factor = _forgetting_curve(parameters(settings)[20])
    days = elapsed_days(state.last_review, now, settings.day_starts_at)
    return (1 + factor * days / state.stability) ** decay


@lru_cache(maxsize=4)
def _forgetting_curve(w20: float) -> tuple[float, float]:
    """FSRS-6's decay (-w20) and the factor that puts R at 90% after S days."""
    decay = -w20
    return decay, 0.9 ** (1 / decay) - 1


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
