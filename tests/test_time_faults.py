"""Time as an unlucky user meets it: a DST change inside today, a clock set far off, a
clock behind answers already logged."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cards import stats
from cards.config import Settings
from cards.days import study_day, today_bounds
from cards.library import load_library
from cards.session import Session
from cards.state import Rating
from cards.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def new_york(monkeypatch):
    """The process's local zone is America/New_York (DST from 2026-03-08 02:00)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_ends_at_the_wall_clock_hour_across_a_dst_change(new_york):
    now = datetime(2026, 3, 7, 23, 30).astimezone()  # as the real clock gives it: EST
    start, end = today_bounds(now, 23)
    assert start == datetime(2026, 3, 8, 4, tzinfo=UTC)  # 23:00 EST
    assert end == datetime(2026, 3, 9, 3, tzinfo=UTC)  # 23:00 EDT: a 23-hour day
    # the day after, seen from its own evening, starts where this one ended
    assert today_bounds(datetime(2026, 3, 8, 23, 30).astimezone(), 23)[0] == end
    assert study_day(end - timedelta(minutes=1), 23, None) == now.date()


def _session(tmp_path, now):
    decks = tmp_path / "decks"
    decks.mkdir(parents=True, exist_ok=True)
    notes = "\n".join(
        f'[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q{i}"\nback = "a"' for i in range(4)
    )
    (decks / "d.toml").write_text(f'format = 1\n[deck]\nid = "d"\nname = "D"\n{notes}\n')
    cards = load_library(builtin=False, extra=[decks]).cards()
    clock = {"now": now}
    settings = Settings(day_starts_at=23, new_per_day=2)
    return Session(Store.open(tmp_path / "home"), cards, settings, lambda: clock["now"]), clock


def test_answers_of_the_next_study_day_do_not_count_against_today(tmp_path, new_york):
    # 23:30 EDT on 8 March is the next study day; with the offset of the evening before
    # (EST) it would look like 22:30, still today.
    session, clock = _session(tmp_path, datetime(2026, 3, 8, 23, 30).astimezone())
    session.answer(session.next_card(), Rating.GOOD)
    session.answer(session.next_card(), Rating.GOOD)  # the next day's limit, used up
    clock["now"] = datetime(2026, 3, 7, 23, 30).astimezone()
    fresh = Session(session.store, session.cards, session.settings, lambda: clock["now"])
    assert fresh.counts()[0] == 2  # today's two new cards are all still there
    st = stats.compute(
        session.store.reviews(), session.store.states(), session.cards, session.settings,
        clock["now"],
    )  # fmt: skip
    assert st.reviews_today == 0


def test_a_clock_behind_logged_answers_does_not_count_them_today(tmp_path):
    now = datetime(2026, 5, 10, 12, tzinfo=UTC)
    session, clock = _session(tmp_path, now + timedelta(days=3))
    session.answer(session.next_card(), Rating.GOOD)
    session.answer(session.next_card(), Rating.GOOD)
    clock["now"] = now  # the clock goes back three days
    fresh = Session(session.store, session.cards, session.settings, lambda: clock["now"])
    assert fresh.counts()[0] == 2


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59", "0001-01-01", "1970-01-01T00:00:00+00:00", "9000-01-01"]
)
def test_a_clock_out_of_range_is_one_line(tmp_path, moment):
    for command in (["list"], ["stats"], ["export", "-o", str(tmp_path / "x.apkg")]):
        out = subprocess.run(
            [sys.executable, "-m", "app", "--home", str(tmp_path / "h"), *command],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HEARTCARDS_NOW": moment},
        )  # fmt: skip
        assert out.returncode == 1, out.stderr
        assert out.stderr.count("\n") == 1 and "out of range" in out.stderr
        assert "Traceback" not in out.stderr


def test_the_edges_of_the_clock_range_schedule(tmp_path):
    for now in (datetime(1971, 1, 1, 12, tzinfo=UTC), datetime(8999, 12, 30, tzinfo=UTC)):
        session, clock = _session(tmp_path / str(now.year), now)
        for rating in (Rating.EASY, Rating.EASY, Rating.EASY):
            card = session.next_card() or session.cards[0]
            session.answer(card, rating)
            session.intervals(card)
            clock["now"] += timedelta(days=400)


def test_the_exports_day_count_is_the_local_study_day_across_dst_changes(new_york):
    """cards.anki counts days with one UTC-offset lookup per quarter hour: the same days as
    localtime() gives, through both of 2026's changes, second by second around them."""
    from datetime import date

    from cards.anki_days import local_days

    day = local_days(4)
    moments = [*range(1_767_225_600, 1_798_761_600, 3_607)]  # 2026, about hourly
    for change in (1_772_953_200, 1_793_512_800):  # 8 March, 1 November (07:00/06:00 UTC)
        moments += range(change - 1_000, change + 1_000)
    for s in moments:
        tm = time.localtime(s)
        assert day(s) == date(tm.tm_year, tm.tm_mon, tm.tm_mday).toordinal() - (tm.tm_hour < 4), s
