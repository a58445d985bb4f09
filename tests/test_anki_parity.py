"""Scheduling exactly as Anki's engine schedules, checked against the engine itself.

The differential test runs tests/anki_diff.py in a process per time zone (UTC, one with
European and one with American DST rules): random review histories, exported with
--scheduling into Anki's engine, which then offers its four buttons and recomputes every
card's memory from the revlog alone; both must equal ours. The rest are the published
vectors and the rules read from Anki's source (rslib/src/scheduler/states/).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from cards import scheduler
from cards.config import Settings
from cards.replay import replay_if_pending
from cards.state import NEW, REVIEW, CardState, Rating
from cards.store import Store
from tests.conftest import FIXTURES, in_anki_test_mode

ROOT = Path(__file__).resolve().parent.parent
ZONES = ("UTC", "Europe/Berlin", "America/New_York")


@pytest.mark.parametrize("zone", [*ZONES, "fitted"])
def test_histories_schedule_as_in_ankis_engine(zone):
    """ "fitted": in UTC, with parameters of one's own (heartcards optimize) on both sides."""
    pytest.importorskip("anki.collection")
    fitted = zone == "fitted"
    zone = "UTC" if fitted else zone
    seed = str(5 if fitted else ZONES.index(zone) + 1)
    cmd, env = in_anki_test_mode(  # Anki's fuzz off (ours too)
        [sys.executable, "-m", "tests.anki_diff", "--cards", "190", "--seed", seed,
         *(["--fitted"] if fitted else [])], zone=zone)  # fmt: skip
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    print(
        f"{zone}: {result['cards']} cards, {result['reviews']} reviews, states "
        f"{result['states']}: {result['memory']} memory and {result['intervals']} interval "
        "mismatches"
    )
    assert result["cards"] >= 167 and result["reviews"] >= 900  # 500+ histories in all
    assert all(result["states"].get(s, 0) > 5 for s in ("learning", "review", "relearning"))
    assert (result["memory"], result["intervals"]) == (0, 0), result["first"]


def test_fsrs6_vector():
    """fsrs-rs / py-fsrs: Again, then Good five times, 0 0 1 3 8 21 days apart."""
    import fsrs_rs_python as fsrs_rs

    model = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS)
    reviews = [
        fsrs_rs.FSRSReview(r, d)
        for r, d in zip((1, 3, 3, 3, 3, 3), (0, 0, 1, 3, 8, 21), strict=True)
    ]
    memory = model.memory_state(fsrs_rs.FSRSItem(reviews), None)
    assert memory.stability == pytest.approx(53.62691, abs=1e-4)
    assert memory.difficulty == pytest.approx(6.3574867, abs=1e-6)
    # and our answers, one by one, at those days, arrive at the same state
    settings = Settings(fuzz=False)
    t = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    state = CardState("d/n")
    for rating, days in zip((1, 3, 3, 3, 3, 3), (0, 0, 1, 3, 8, 21), strict=True):
        t += timedelta(days=days, minutes=1)
        state = scheduler.review(settings, state, Rating(rating), t)
    assert (state.stability, state.difficulty) == (memory.stability, memory.difficulty)


def test_the_next_morning_is_a_day_later():
    """Good Sunday 10:00, Good 10:10, Good Tuesday 10:00: Anki's S 10.97, 11 days."""
    settings = Settings(fuzz=False)
    sunday = datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    state = scheduler.review(settings, CardState("d/n"), Rating.GOOD, sunday)
    state = scheduler.review(settings, state, Rating.GOOD, sunday + timedelta(minutes=10))
    assert state.state == REVIEW
    tuesday = sunday + timedelta(days=2)
    assert scheduler.elapsed_days(state.last_review, tuesday, 4) == 2
    after = scheduler.review(settings, state, Rating.GOOD, tuesday)
    assert after.stability == pytest.approx(10.97, abs=0.01)
    assert (after.due - tuesday).days == 11
    # at 22:00, then 09:00 the next morning (under 24 hours): one study day
    evening = datetime(2026, 3, 3, 22, 0, tzinfo=UTC)
    assert scheduler.elapsed_days(evening, evening + timedelta(hours=11), 4) == 1
    assert scheduler.elapsed_days(evening, evening + timedelta(hours=5), 4) == 0


def test_fuzz_bounds_are_ankis():
    """The vectors of rslib/src/scheduler/states/fuzz.rs: (interval, minimum, maximum) ->
    the fuzzed interval at fuzz factor 0, 0.5 and 0.99."""
    vectors = [
        (1.0, 1, 1000, 1, 1, 1), (2.49, 1, 1000, 2, 2, 2), (2.5, 1, 1000, 2, 3, 4),
        (7.0, 1, 1000, 5, 7, 9), (17.0, 1, 1000, 14, 17, 20), (37.0, 1, 1000, 33, 37, 41),
        (2.0, 2, 1000, 2, 2, 2), (2.0, 3, 1000, 3, 4, 4), (2.0, 3, 3, 3, 3, 3),
        (6.9, 3, 1000, 5, 7, 9), (7.0, 3, 1000, 5, 7, 9), (7.1, 3, 1000, 5, 7, 9),
        (19.9, 3, 1000, 17, 20, 23), (20.0, 3, 1000, 17, 20, 23), (20.1, 3, 1000, 17, 20, 23),
        (100.0, 101, 1000, 101, 105, 108), (100.0, 1, 99, 92, 96, 99),
        (100.0, 97, 103, 97, 100, 103),
    ]  # fmt: skip
    for interval, lo, hi, *expected in vectors:
        got = [scheduler._fuzzed(interval, lo, hi, f) for f in (0.0, 0.5, 0.99)]
        assert got == expected, (interval, lo, hi)
    assert (
        scheduler._fuzzed(1.5, 1, 100, None) == 2 and scheduler._fuzzed(101.0, 1, 100, None) == 100
    )


def test_learning_steps_are_ankis():
    """rslib/src/scheduler/states/steps.rs: Again, Hard and Good delays per step."""
    for minutes, step, again, hard, good in [
        ((10,), 0, 600, 900, None),
        ((1, 10), 0, 60, 330, 600), ((1, 10), 1, 60, 600, None),
        ((1, 10, 100), 0, 60, 330, 600), ((1, 10, 100), 1, 60, 600, 6000),
        ((1, 10, 100), 2, 60, 6000, None),
        ((3 * 1440,), 0, 3 * 86400, 4 * 86400, None),
    ]:  # fmt: skip
        steps = scheduler._Steps(tuple(timedelta(minutes=m) for m in minutes))
        assert steps.again() == again and steps.hard(step) == hard
        assert (steps.good(step) or (None,))[0] == good


def test_button_order_and_easy_on_a_learning_card():
    settings = Settings(fuzz=False)
    now = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    new = scheduler.intervals(settings, CardState("d/n"), now)
    assert [new[r] for r in Rating] == [
        timedelta(minutes=1),
        timedelta(seconds=330),
        timedelta(minutes=10),
        timedelta(days=8),
    ]
    # a card reviewed again an hour later: FSRS barely moves, the buttons stay apart
    state = scheduler.review(settings, CardState("d/n"), Rating.EASY, now)
    again = scheduler.intervals(settings, state, now + timedelta(hours=1))
    days = [again[r].days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
    assert days[0] >= 8 and days[0] < days[1] < days[2]


def test_a_collection_of_the_last_version_is_replayed(tmp_path):
    """v1 fixture (written by heartcards 0.1): migrating rewrites the states as a replay
    of the log under the new rules, keeps every review, suspension and bury."""
    from app.context import Context

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(FIXTURES / "collections" / "v1.sqlite3", home / "collection.sqlite3")
    old = Store.open(home)  # opening migrates the schema and marks the replay
    assert old.replay_pending()
    before_states, before_reviews = old.states(), old.reviews()
    old.close()

    ctx = Context(home=home, builtin=False)
    store = ctx.store  # replays
    assert not store.replay_pending()
    states, reviews = store.states(), store.reviews()
    assert [(r.id, r.key, r.time, r.rating) for r in reviews] == [
        (r.id, r.key, r.time, r.rating) for r in before_reviews
    ]
    assert states.keys() == before_states.keys()
    assert states["basics/pick"].suspended and states["basics/gap/2"].buried_until
    # the states are the new scheduler's chain over each card's reviews
    settings = ctx.settings
    for key, st in states.items():
        chain = CardState(key)
        for r in (r for r in reviews if r.key == key):
            assert r.before == chain.with_(
                suspended=r.before.suspended, buried_until=r.before.buried_until
            )
            chain = scheduler.review(settings, chain, r.rating, r.time)
        assert (st.state, st.stability, st.difficulty, st.due, st.reps, st.lapses) == (
            chain.state,
            chain.stability,
            chain.difficulty,
            chain.due,
            chain.reps,
            chain.lapses,
        )
    changed = sum(
        states[k].stability != before_states[k].stability for k in states if states[k].state != NEW
    )
    assert changed  # the old day count really was replaced
    assert REVIEW in {st.state for st in states.values()}
    # undo still works: it restores the replayed state from before the last review
    last = reviews[-1]
    store.undo_last(datetime.now(UTC), keys=[last.key])
    assert store.get(last.key).stability == last.before.stability
    # a replayed collection is not replayed again
    assert replay_if_pending(store, settings) == 0
    store.close()


@given(
    hs.floats(0.0, 40000.0),
    hs.integers(0, 40000),
    hs.integers(0, 40000),
    hs.floats(0.0, 0.9999),
)
def test_a_fuzzed_interval_stays_in_ankis_range(interval, minimum, maximum, factor):
    """With fuzz on, every interval is a day of Anki's range for it (constrained_fuzz_bounds,
    whose vectors test_fuzz_bounds_are_ankis checks); the fuzz-off interval (the one Anki's
    engine gives, above) is in it too."""
    maximum = max(1, maximum)
    minimum = min(max(1, minimum), maximum)
    lower, upper = scheduler.fuzz_bounds(interval, minimum, maximum)
    assert minimum <= lower <= upper <= maximum
    assert lower <= scheduler._fuzzed(interval, minimum, maximum, factor) <= upper
    assert lower <= scheduler._fuzzed(interval, minimum, maximum, None) <= upper
