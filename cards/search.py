"""Searching cards as Anki's browser does, in a smaller syntax:

    word  "two words"    text anywhere on the card (case ignored)
    deck:ID  tag:TAG     the deck (its id, or its name), a tag (the deck's, or the app's:
                         marked, leech); * matches any run of letters
    flag:N               flagged N (1 red ... 7 purple); flag:0 not flagged
    is:new  is:learn  is:review  is:due  is:suspended  is:buried
    prop:ivl>10  prop:due<=3  prop:r<0.8  prop:s>=30  prop:reps>5  prop:lapses>0
    -term                not that

Terms are ANDed. `ivl` is the interval in days (last review to due), `due` the days from
today to the due day (negative: overdue), `r` the retrievability now, `s` the stability.
`matcher` gives a function of a Candidate, or raises SearchError with one line saying
what is wrong; the core's own view of a card (Candidate) is all a search reads.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatchcase

from cards.model import Card
from cards.state import LEARNING, NEW, RELEARNING, REVIEW, CardState

_OPS = {"<=": operator.le, ">=": operator.ge, "!=": operator.ne, "<": operator.lt,
        ">": operator.gt, "=": operator.eq}  # fmt: skip
_PROP = re.compile(r"^(ivl|due|r|s|reps|lapses)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$")
IS = ("new", "learn", "review", "due", "suspended", "buried")


class SearchError(ValueError):
    """A search that cannot be read: the message says which term and why."""


@dataclass(frozen=True)
class Candidate:
    """What a search can see of one card."""

    card: Card
    deck_name: str
    state: CardState
    text: str  # everything searchable, lower-cased (fields, tags, ids, deck name)
    retrievability: float | None
    today: date  # the study day now
    due_day: date | None  # the study day the card is due on
    last_day: date | None  # the study day of its last review
    flag: int = 0  # 0: none, 1-7 as Anki's
    app_tags: frozenset = frozenset()  # the note's tags given in the app (marked, leech)


Match = Callable[[Candidate], bool]


def matcher(query: str) -> Match:
    """A function telling whether a card matches `query`; SearchError if it cannot."""
    tests = [_term(w) for w in words(query)]
    return lambda c: all(t(c) for t in tests)


# a term: -? name:? "quoted words" (the closing quote may be missing), or a run of non-space
_TOKEN = re.compile(r'(-?(?:[A-Za-z]+:)?)"([^"]*)"?|(\S+)')


def words(query: str) -> list[str]:
    """The terms of a search: split at spaces, "quoted words" kept together (an
    apostrophe is just a letter: partner's)."""
    return [m[1] + m[2] if m[3] is None else m[3] for m in _TOKEN.finditer(query)
            if (m[3] or m[1] + m[2])]  # fmt: skip


def _term(word: str) -> Match:
    if word.startswith("-") and len(word) > 1:
        inner = _term(word[1:])
        return lambda c: not inner(c)
    name, sep, value = word.partition(":")
    if not sep or name.lower() not in ("deck", "tag", "is", "prop", "flag"):
        text = word.lower()
        return lambda c: text in c.text
    name = name.lower()
    if not value:
        raise SearchError(f"{word!r}: say what {name}: is, e.g. {name}:{_EXAMPLE[name]}")
    if name == "deck":
        pattern = value.lower()
        return lambda c: (
            fnmatchcase(c.card.deck_id.lower(), pattern)
            or fnmatchcase(c.deck_name.lower(), pattern)
        )
    if name == "tag":
        pattern = value.lower()
        return lambda c: any(
            fnmatchcase(t.lower(), pattern) for t in (*c.card.note.tags, *c.app_tags)
        )
    if name == "is":
        return _is(value.lower(), word)
    if name == "flag":
        if value not in tuple("01234567"):
            raise SearchError(f"{word!r}: flag: takes 0 (none) to 7")
        flag = int(value)
        return lambda c: c.flag == flag
    return _prop(value.lower(), word)


_EXAMPLE = {"deck": "advice", "tag": "safety", "is": "due", "prop": "ivl>10", "flag": "1"}


def _hidden(c: Candidate) -> bool:
    s = c.state
    return s.suspended or bool(s.buried_until and s.buried_until > c.today)


def _is(value: str, word: str) -> Match:
    if value == "new":
        return lambda c: c.state.state == NEW
    if value == "learn":
        return lambda c: c.state.state in (LEARNING, RELEARNING)
    if value == "review":
        return lambda c: c.state.state in (REVIEW, RELEARNING)
    if value == "due":  # due today or overdue, and not hidden, as today's queue sees it
        return lambda c: (c.state.state != NEW and c.due_day is not None
                          and c.due_day <= c.today and not _hidden(c))  # fmt: skip
    if value == "suspended":
        return lambda c: c.state.suspended
    if value == "buried":
        return lambda c: bool(c.state.buried_until and c.state.buried_until > c.today)
    raise SearchError(f"{word!r}: is: takes {', '.join(IS)}")


def _prop(value: str, word: str) -> Match:
    m = _PROP.match(value)
    if m is None:
        raise SearchError(
            f"{word!r}: prop: takes ivl, due, r, s, reps or lapses, a comparison and a"
            " number, e.g. prop:ivl>10"
        )
    prop, op, number = m[1], _OPS[m[2]], float(m[3])

    def get(c: Candidate) -> float | None:
        s = c.state
        if prop == "r":
            return c.retrievability
        if prop == "s":
            return s.stability
        if prop == "reps":
            return s.reps
        if prop == "lapses":
            return s.lapses
        if c.due_day is None or s.state == NEW:
            return None
        if prop == "due":
            return (c.due_day - c.today).days
        return None if c.last_day is None else (c.due_day - c.last_day).days  # ivl

    def test(c: Candidate) -> bool:
        v = get(c)
        return v is not None and op(v, number)

    return test


def haystack(card: Card, deck_name: str) -> str:
    """Everything a search may match, lower-cased: text of every field, tags, ids, deck."""
    from cards.text import plain

    f = card.note.fields
    parts = [card.key, deck_name, *card.note.tags, card.note.extra or ""]
    parts += [str(v) for k, v in f.items() if isinstance(v, str)]
    parts += [str(o) for o in f.get("options", ())]
    return " ".join(plain(" ".join(parts)).split()).lower()


def find(decks, store, settings, now: datetime, query: str) -> list[Card]:
    """The cards of `decks` that match `query`, in deck order (SearchError if it cannot be
    read): what custom study and cram study."""
    from cards.scheduler import retrievability

    test = matcher(query)
    states, flags, tags = store.states(), store.flags(), store.note_tags()
    out = []
    for deck in decks:
        name = " ".join(deck.name.split())
        for card in deck.cards:
            state = states.get(card.key) or CardState(card.key)
            r = retrievability(settings.for_deck(card.deck_id), state, now)
            c = candidate(card, name, state, haystack(card, name), r, now, settings.day_starts_at,
                          flags.get(card.key, 0), tags.get(card.note_key, ()))  # fmt: skip
            if test(c):
                out.append(card)
    return out


def candidate(card: Card, deck_name: str, state: CardState, text: str, retrievability,
              now: datetime, starts_at: int, flag: int = 0, app_tags=()) -> Candidate:  # fmt: skip
    """A Candidate, its days counted as study days in the zone of `now` (as today's queue
    counts them)."""
    from cards.days import day_zone, study_day

    zone = day_zone(now)
    due_day = study_day(state.due, starts_at, zone) if state.due is not None else None
    last = study_day(state.last_review, starts_at, zone) if state.last_review else None
    return Candidate(card, deck_name, state, text, retrievability,
                     study_day(now, starts_at, zone), due_day, last, flag,
                     frozenset(app_tags))  # fmt: skip
