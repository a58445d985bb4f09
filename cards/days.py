"""Study days: "today" is the local day that starts at `day_starts_at` (default 04:00).

Every function takes `now` as an aware datetime; its timezone is the user's local one.
A day's bounds are found in the local zone of that day, so a day with a DST change is
23 or 25 hours long, as the clock on the wall says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo


def local(now: datetime) -> datetime:
    """`now` in local time; a naive datetime is taken as local already."""
    return now.astimezone() if now.tzinfo is None else now


OWN = object()  # study_day(): the moment's own zone


def study_day(moment: datetime, starts_at: int, tz: tzinfo | None | object = OWN) -> date:
    """The study day of `moment`, seen in `tz`: default the moment's own zone; None the
    system's local zone at that moment (see day_zone())."""
    moment = local(moment) if tz is OWN else moment.astimezone(tz)
    return (moment - timedelta(hours=starts_at)).date()


def interday_learning(due: datetime, last_review: datetime | None, starts_at: int, tz) -> bool:
    """Whether a learning card due at `due`, last reviewed at `last_review`, is Anki's
    interday learning: its step ran past a rollover (seen in `tz`, as study_day())."""
    if last_review is None:
        return False
    return study_day(due, starts_at, tz) > study_day(last_review, starts_at, tz)


def day_start(day: date, starts_at: int, tz: tzinfo | None) -> datetime:
    """When `day` starts in `tz` (None: the system's local zone on that day)."""
    if tz is None:
        return datetime.combine(day, time(starts_at)).astimezone()
    return datetime.combine(day, time(starts_at), tzinfo=tz)


def day_zone(now: datetime) -> tzinfo | None:
    """The zone study days are counted in: None (the system's local zone, DST rules and
    all) when `now` is local time as astimezone() gives it, a fixed offset that is wrong
    on the other side of a DST change; else `now`'s own zone."""
    now = local(now)
    zone = now.tzinfo
    if isinstance(zone, timezone) and now.utcoffset() == now.astimezone().utcoffset():
        return None
    return zone


def today_bounds(now: datetime, starts_at: int) -> tuple[datetime, datetime]:
    """[start, end) of the study day containing `now`, as aware datetimes, each in the
    local zone of that day."""
    zone = day_zone(now)
    day = study_day(now, starts_at, zone)
    return day_start(day, starts_at, zone), day_start(day + timedelta(days=1), starts_at, zone)


def to_ms(dt: datetime | None) -> int | None:
    return None if dt is None else int(round(local(dt).timestamp() * 1000))


def from_ms(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def utc(dt: datetime) -> datetime:
    return local(dt).astimezone(UTC)
