"""Custom study, Anki's five ways to study beyond today's queue, as sessions the review
screen runs: more new cards or reviews today (the day's limits raised), reviewing ahead,
forgotten cards (both filtered sessions: scheduled as usual, no limits, no new cards), and
cram (cards.cram: nothing scheduled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cards.config import Settings
from cards.days import study_day, today_bounds
from cards.state import Rating

# kind -> (what it does, what the number is, its default; None: a search)
KINDS = {
    "new": ("More new cards today", "how many", 10),
    "reviews": ("More reviews today", "how many", 50),
    "ahead": ("Review ahead", "days", 1),
    "forgotten": ("Forgotten cards", "answered Again in the last N days", 1),
    "cram": ("Cram: go through cards without scheduling them", "a search", None),
}
MAX_NUMBER = 9999


class CustomStudyError(ValueError):
    """What the user asked for cannot be studied: the message says why, in one line."""


@dataclass(frozen=True)
class Plan:
    """What a custom study session is: its kind, its number or search, and its title."""

    kind: str
    value: int | str
    title: str


def plan(kind: str, text: str) -> Plan:
    """The request typed in the dialog, checked."""
    if kind not in KINDS:
        raise CustomStudyError(f"unknown kind of custom study {kind!r}")
    text = text.strip()
    if kind == "cram":
        return Plan(kind, text, f"Cram{': ' + text if text else ''}")
    try:
        value = int(text)
    except ValueError:
        raise CustomStudyError(f"{KINDS[kind][1]}: a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_NUMBER:
        raise CustomStudyError(f"{KINDS[kind][1]}: from 1 to {MAX_NUMBER}")
    titles = {
        "new": f"{value} more new",
        "reviews": f"{value} more reviews",
        "ahead": f"Review ahead {value} day{'s' * (value != 1)}",
        "forgotten": f"Forgotten in {value} day{'s' * (value != 1)}",
    }
    return Plan(kind, value, titles[kind])


def forgotten(store, cards, settings: Settings, now: datetime, days: int) -> list:
    """The cards of `cards` answered Again in the last `days` study days (today one)."""
    start, _ = today_bounds(now, settings.day_starts_at)
    since = start - timedelta(days=days - 1)
    again = {r.key for r in store.reviews(since=since) if r.rating == Rating.AGAIN}
    return [c for c in cards if c.key in again]


def session(p: Plan, store, library, settings: Settings, clock, decks: list[str] | None):
    """The session `p` asks for over `decks` (None: all); CustomStudyError when there is
    nothing to study that way."""
    from cards.session import Session

    cards = library.cards(decks)
    if p.kind in ("new", "reviews"):
        s = Session(store, cards, settings, clock)
        s.extend_limits(new=p.value if p.kind == "new" else 0,
                        reviews=p.value if p.kind == "reviews" else 0)  # fmt: skip
        return s
    if p.kind == "ahead":
        s = Session(store, cards, settings, clock, ahead_days=p.value, filtered=True)
        if s.next_card() is None:
            raise CustomStudyError(f"no reviews are due in the next {p.value} days")
        return s
    if p.kind == "forgotten":
        lost = forgotten(store, cards, settings, clock(), p.value)
        if not lost:
            raise CustomStudyError(f"no card was answered Again in the last {p.value} days")
        return Session(store, lost, settings, clock, ahead_days=36500, filtered=True)
    from cards.cram import CramSession
    from cards.search import SearchError, find

    chosen = [d for d in library.decks if decks is None or d.id in decks]
    try:
        found = find(chosen, store, settings, clock(), p.value)
    except SearchError as e:
        raise CustomStudyError(str(e)) from None
    if not found:
        raise CustomStudyError(f"no card matches {p.value!r}")
    return CramSession(
        store, found, settings, clock, seed=study_day(clock(), settings.day_starts_at).toordinal()
    )
