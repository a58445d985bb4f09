"""Anki's day numbers and revlog intervals, from ms timestamps in the local time zone:
what the export writes and what the store keeps with each review (the interval and last
interval Anki's revlog holds, worked out when the answer is saved, as Anki does)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import date

from cards.state import NEW, REVIEW


def shifts(starts_at: int) -> tuple[dict[int, int], Callable[[int], int]]:
    """(cache, shift): shift(s) is the local UTC offset at Unix second s less the rollover
    hour. UTC offsets change on a quarter hour, so it is looked up once per quarter hour
    and kept in `cache` (quarter -> shift) for callers that read it first; in a quarter
    where the offset changes, it is looked up for the second itself."""
    cache: dict[int, int] = {}
    rollover = starts_at * 3600

    def shift(s: int) -> int:
        quarter = s // 900
        found = cache.get(quarter)
        if found is None:
            first = time.localtime(quarter * 900).tm_gmtoff
            if first != time.localtime(quarter * 900 + 899).tm_gmtoff:
                return time.localtime(s).tm_gmtoff - rollover
            found = cache[quarter] = first - rollover
        return found

    return cache, shift


def local_days(starts_at: int) -> Callable[[float], int]:
    """Unix time (s) -> the local study day it falls in, as a day number (date ordinal).

    The same day as cards.days.study_day(datetime.fromtimestamp(t).astimezone(), starts_at),
    computed several times faster (see shifts): an export with history asks for many."""
    cache, shift = shifts(starts_at)
    epoch = date(1970, 1, 1).toordinal()

    def day(t: float) -> int:
        s = math.floor(t)
        found = cache.get(s // 900)
        return (s + (shift(s) if found is None else found)) // 86400 + epoch

    return day


def interval_of(starts_at: int) -> Callable[[int, int | None, int | None], int]:
    """interval(state, due ms, since ms): Anki's revlog interval of a state, days, or
    negative seconds for a learning step due the same day. Days as local_days() counts
    them, with its lookups inlined: this runs twice for every review exported."""
    cache, shift = shifts(starts_at)
    get = cache.get

    def interval(state: int, due: int | None, since: int | None) -> int:
        if state == NEW or due is None or since is None:
            return 0
        d, s = due // 1000, since // 1000
        a, b = get(d // 900), get(s // 900)
        if a is None:
            a = shift(d)
        if b is None:
            b = shift(s)
        days = (d + a) // 86400 - (s + b) // 86400
        if state == REVIEW or days > 0:
            return max(1, days)
        return -max(1, round((due - since) / 1000))

    return interval
