"""Study days: "today" is the local day that starts at `day_starts_at` (default 04:00).

Every function takes `now` as an aware datetime; its timezone is the user's local one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def local(now: datetime) -> datetime:
    """`now` in local time; a naive datetime is taken as local already."""
    return now.astimezone() if now.tzinfo is None else now


def study_day(moment: datetime, starts_at: int, tz=None) -> date:
    """The study day of `moment`, seen in `tz` (default: the moment's own zone)."""
    moment = moment.astimezone(tz) if tz is not None else local(moment)
    return (moment - timedelta(hours=starts_at)).date()


def day_start(day: date, starts_at: int, tz) -> datetime:
    return datetime.combine(day, time(starts_at), tzinfo=tz)


def today_bounds(now: datetime, starts_at: int) -> tuple[datetime, datetime]:
    """[start, end) of the study day containing `now`, as aware datetimes."""
    now = local(now)
    day = study_day(now, starts_at)
    start = day_start(day, starts_at, now.tzinfo)
    return start, day_start(day + timedelta(days=1), starts_at, now.tzinfo)


def to_ms(dt: datetime | None) -> int | None:
    return None if dt is None else int(round(local(dt).timestamp() * 1000))


def from_ms(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def utc(dt: datetime) -> datetime:
    return local(dt).astimezone(UTC)
