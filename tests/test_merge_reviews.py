"""Store.merge_reviews: reviews made elsewhere (Anki) merged into the log at their times.
Whatever the split between here and there, the card ends as if every review had been
given here in time order; what was logged before the first merged review stays as it
was; merging twice adds nothing; the log never loses a row."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import scheduler
from cards.config import Settings
from cards.days import to_ms
from cards.state import CardState, Rating
from cards.store import Store

SETTINGS = Settings(fuzz=False)
START = datetime(2026, 3, 2, 9, 0).astimezone()


def schedule(state, rating, at):
    return scheduler.review(SETTINGS, state, rating, at)


def answer_all(store: Store, key: str, answers) -> None:
    for at, rating in answers:
        store.answer(key, Rating(rating), at, 3000, lambda s, r=rating, t=at: schedule(s, r, t))


reviews = st.lists(
    st.tuples(
        st.integers(1, 60 * 24 * 20),  # minutes after START
        st.integers(1, 4),
        st.booleans(),  # given in Anki (else here)
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda r: r[0],
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reviews)
def test_merged_log_is_the_log_given_in_time_order(tmp_path_factory, answers):
    answers = sorted(answers)
    timed = [(START + timedelta(minutes=m), rating, anki) for m, rating, anki in answers]
    here = tmp_path_factory.mktemp("here")
    both = Store.open(here / "a")
    reference = Store.open(here / "b")
    try:
        answer_all(both, "d/n", [(t, r) for t, r, anki in timed if not anki])
        before = both.db.execute("SELECT * FROM revlog ORDER BY id").fetchall()
        theirs = [("d/n", to_ms(t), r, 3000) for t, r, anki in timed if anki]
        merged, touched = both.merge_reviews(theirs, schedule, SETTINGS.day_starts_at)
        assert (merged, touched) == (len(theirs), 1 if theirs else 0)
        answer_all(reference, "d/n", [(t, r) for t, r, _ in timed])
        assert both.get("d/n") == reference.get("d/n")
        assert [(r.time, r.rating, r.after) for r in both.reviews()] == [
            (r.time, r.rating, r.after) for r in reference.reviews()
        ]
        if theirs:  # rows before the first merged review are untouched
            first = theirs[0][1]
            after = both.db.execute("SELECT * FROM revlog WHERE id < ? ORDER BY id", (first,))
            assert after.fetchall() == [row for row in before if row[0] < first]
        assert both.merge_reviews(theirs, schedule, SETTINGS.day_starts_at) == (0, 0)
        assert both.integrity_ok()
    finally:
        both.close()
        reference.close()


def test_a_state_set_outside_a_review_still_sets_it_and_undo_goes_back(tmp_path):
    """A row that set the card outside a review (kind 2) after the merged review is kept
    and still sets the state; undoing the last answer here after a merge gives the state
    after the review before it, the merged one included."""
    store = Store.open(tmp_path)
    t = [START + timedelta(days=d) for d in range(4)]
    answer_all(store, "d/n", [(t[0], 3)])
    set_state = store.get("d/n").with_(stability=42.0)
    store._put(set_state)  # (as a script might)
    answer_all(store, "d/n", [(t[2], 3), (t[3], 3)])
    rows = store.db.execute("SELECT count(*) FROM revlog").fetchone()[0]
    store.merge_reviews([("d/n", to_ms(t[1]), 1, 2000)], schedule)
    assert store.db.execute("SELECT count(*) FROM revlog").fetchone()[0] == rows + 1
    reviews = store.reviews()
    assert [r.time for r in reviews] == [t[0], t[1], t[2], t[3]]
    assert reviews[2].before.stability == 42.0  # the set state, not the merged review's
    last = reviews[-1]
    undone = store.undo_last(t[3] + timedelta(minutes=1), keys=["d/n"])
    assert undone.id == last.id and store.get("d/n") == reviews[2].after
    assert isinstance(store.get("d/n"), CardState)
    store.close()


def test_a_merged_review_at_another_cards_ms_gets_the_next_free_id(tmp_path):
    """Log ids are unique across cards: a review from Anki at the very ms of one of ours
    on another card gets the next free ms, and both stand."""
    store = Store.open(tmp_path)
    t = START + timedelta(days=1)
    answer_all(store, "d/a", [(t, 3)])
    merged = store.merge_reviews([("d/b", to_ms(t), 3, 1000), ("d/c", to_ms(t), 1, 1000)], schedule)
    assert merged == (2, 2)
    ids = [rid for (rid,) in store.db.execute("SELECT id FROM revlog ORDER BY id")]
    assert ids == [to_ms(t), to_ms(t) + 1, to_ms(t) + 2]
    assert [r.key for r in store.reviews()] == ["d/a", "d/b", "d/c"]
    assert all(r.time == t for r in store.reviews())
    assert store.merge_reviews([("d/b", to_ms(t), 3, 1000)], schedule) == (0, 0)
    store.close()
