"""Numbers about the collection: from the review log and the card states, nothing else."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from cards.config import Settings
from cards.days import day_zone, study_day, today_bounds
from cards.model import Card
from cards.state import NEW, REVIEW, STATE_NAMES, CardState
from cards.store import Review
from cards.true_retention import Retention, of_reviews, true_retention


@dataclass
class Stats:
    today: date
    reviews_today: int = 0
    minutes_today: float = 0.0
    reviews_total: int = 0
    retention: float | None = None  # true retention of review cards, last 30 days
    retention_reviews: int = 0
    streak: int = 0  # days in a row with reviews, up to today
    per_day: dict[date, int] = field(default_factory=dict)  # reviews by study day
    forecast: list[int] = field(default_factory=list)  # due per day, [0] = today (incl. overdue)
    states: dict[str, int] = field(default_factory=dict)
    # pass rates by period, young and mature, as Anki's statistics show them
    true_retention: dict[str, Retention] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "reviews_today": self.reviews_today,
            "minutes_today": round(self.minutes_today, 1),
            "reviews_total": self.reviews_total,
            "retention": None if self.retention is None else round(self.retention, 4),
            "retention_reviews": self.retention_reviews,
            "streak": self.streak,
            "forecast": self.forecast,
            "states": self.states,
            "per_day": {d.isoformat(): n for d, n in sorted(self.per_day.items())},
            "true_retention": {p: asdict(r) for p, r in self.true_retention.items()},
        }


def compute(
    reviews: list[Review],
    states: dict[str, CardState],
    cards: list[Card],
    settings: Settings,
    now: datetime,
    days: int = 30,
) -> Stats:
    hour = settings.day_starts_at
    tz = day_zone(now)  # review times are stored in UTC; days are the user's
    today = study_day(now, hour)
    st = Stats(today=today)
    st.per_day = dict(Counter(study_day(r.time, hour, tz) for r in reviews))
    todays = [r for r in reviews if study_day(r.time, hour, tz) == today]
    st.reviews_today = len(todays)
    st.minutes_today = sum(r.duration_ms for r in todays) / 60000
    st.reviews_total = len(reviews)

    since = today - timedelta(days=days)
    mature = [
        r for r in reviews if r.before.state == REVIEW and study_day(r.time, hour, tz) > since
    ]
    st.retention_reviews = len(mature)
    st.true_retention = true_retention(of_reviews(reviews), hour, now)
    if mature:
        st.retention = sum(1 for r in mature if r.rating > 1) / len(mature)

    day = today if today in st.per_day else today - timedelta(days=1)
    while day in st.per_day:
        st.streak += 1
        day -= timedelta(days=1)

    _, day_end = today_bounds(now, hour)
    st.forecast = [0] * days
    counts = Counter()
    for card in cards:
        s = states.get(card.key)
        if s is not None and s.suspended:  # a suspended card is suspended, new or not
            counts["suspended"] += 1
            continue
        if s is None or s.state == NEW:
            counts["new"] += 1
            continue
        counts[STATE_NAMES[s.state]] += 1
        ahead = 0 if s.due < day_end else (s.due - day_end) // timedelta(days=1) + 1
        if ahead < days:
            st.forecast[ahead] += 1
    st.states = {
        name: counts.get(name, 0)
        for name in ("new", "learning", "review", "relearning", "suspended")
    }
    return st
