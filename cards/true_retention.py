"""True retention as Anki's statistics show it (rslib/src/stats/graphs/retention.rs): the
pass rate of reviews of cards with an interval of a day or more, young (last interval
under 21 days) and mature, for today, yesterday, the last week, month and year, and all
time. A review passes unless it was Again. Periods are whole 86,400 s spans back from the
next rollover, as Anki counts them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cards.state import REVIEW

MATURE = 21  # days: a card with a last interval this long is mature
PERIODS = ("today", "yesterday", "week", "month", "year", "all_time")
_SPANS = {
    "today": (1, 0),
    "yesterday": (2, 1),
    "week": (7, 0),
    "month": (30, 0),
    "year": (365, 0),
}  # fmt: skip (days back from the next rollover: start, end)


@dataclass
class Retention:
    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    def rate(self, which: str = "total") -> float | None:
        """The pass rate of "young", "mature" or "total" reviews; None without any."""
        if which == "total":
            passed = self.young_passed + self.mature_passed
            failed = self.young_failed + self.mature_failed
        else:
            passed, failed = getattr(self, f"{which}_passed"), getattr(self, f"{which}_failed")
        return passed / (passed + failed) if passed + failed else None


def true_retention(
    reviews: Iterable[tuple[int, int, int, int | None, int | None]], starts_at: int, now: datetime
) -> dict[str, Retention]:
    """Per period, from (time ms, rating, state before, due before ms, last review before
    ms) of the reviews that stand: of_rows() or of_reviews() make them."""
    from cards.anki_days import interval_of
    from cards.scheduler import next_rollover

    interval = interval_of(starts_at)
    next_day = int(next_rollover(now, starts_at).timestamp())
    spans = {name: (next_day - a * 86400, next_day - b * 86400) for name, (a, b) in _SPANS.items()}
    spans["all_time"] = (0, next_day)
    out = {name: Retention() for name in PERIODS}
    for at, rating, before, due_before, last_before in reviews:
        last_ivl = interval(before, due_before, last_before)  # Anki's lastIvl
        if not (before == REVIEW or last_ivl <= -86400 or last_ivl >= 1):
            continue
        field = ("young" if last_ivl < MATURE else "mature") + (
            "_failed" if rating == 1 else "_passed"
        )
        secs = at // 1000
        for name, (start, end) in spans.items():
            if start <= secs < end:
                r = out[name]
                setattr(r, field, getattr(r, field) + 1)
    return out


def of_rows(rows: list[tuple]) -> Iterable[tuple]:
    """What true_retention() reads, from Store.review_rows()."""
    return ((r[4], r[2], r[5], r[6], r[7]) for r in rows)


def of_reviews(reviews) -> Iterable[tuple]:
    """What true_retention() reads, from Store.reviews()."""
    from cards.days import to_ms

    return (
        (to_ms(r.time), int(r.rating), r.before.state, to_ms(r.before.due),
         to_ms(r.before.last_review))
        for r in reviews
    )  # fmt: skip
