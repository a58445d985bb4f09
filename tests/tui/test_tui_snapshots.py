"""Snapshots of every screen at 80x24, and of review at 60x20.

Deterministic: fixed clock, fake answer timer, temp home, fixture decks. After a change
that is meant to alter the look: `pytest tests/tui --snapshot-update`, then look at the
SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.tui.helpers import (
    BASICS,
    make_app,
    make_ctx,
    press,
    pressing,
    seed_history,
    write_big_deck,
)

# From home, Enter studies the basics deck: capital (basic), pair (basic), gap (cloze),
# pick (choice), busy (verdict). "4" rates Easy, which ends a new card for today.
TO_CLOZE = ["enter", "space", "4", "space", "4"]
TO_CHOICE = TO_CLOZE + ["space", "4"]
TO_VERDICT = TO_CHOICE + ["1", "4"]
TO_SUMMARY = TO_VERDICT + ["2", "4"]


@pytest.fixture
def basics_app(tmp_path):
    return make_app(make_ctx(tmp_path))


@pytest.fixture
def history_app(tmp_path):
    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    seed_history(ctx)
    return make_app(ctx)


def test_home(snap_compare, history_app):
    assert snap_compare(history_app, run_before=pressing())


def test_home_nothing_due(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_SUMMARY + ["enter"]))


def test_review_basic_question(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing("enter"))


def test_review_basic_answer(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing("enter", "space"))


def test_review_cloze_question(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_CLOZE))


def test_review_cloze_answer(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_CLOZE + ["space"]))


def test_review_choice_wrong(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_CHOICE + ["2"]))


def test_review_verdict_question(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_VERDICT + ["down"]))


def test_review_verdict_right(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_VERDICT + ["2"]))


def test_summary(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_SUMMARY))


def test_stats(snap_compare, history_app):
    assert snap_compare(history_app, run_before=pressing("s"))


def test_browse(snap_compare, history_app):
    assert snap_compare(history_app, run_before=pressing("b"))


def test_browse_search(snap_compare, history_app):
    async def run_before(pilot):
        await press(pilot, "b", "slash", *"repair")
        await steady_inputs(pilot)

    assert snap_compare(history_app, run_before=run_before)


def test_card(snap_compare, history_app):
    assert snap_compare(history_app, run_before=pressing("b", "down", "down", "enter"))


async def steady_inputs(pilot) -> None:
    """The text cursor blinks on a timer; hold it still for the picture."""
    from textual.widgets import Input

    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_export(snap_compare, basics_app):
    async def run_before(pilot):
        await press(pilot, "e")
        await steady_inputs(pilot)

    assert snap_compare(basics_app, run_before=run_before)


def test_help(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing("question_mark"))


def test_review_small_question(snap_compare, basics_app):
    assert snap_compare(basics_app, run_before=pressing(*TO_CHOICE), terminal_size=(60, 20))


def test_review_small_answer(snap_compare, basics_app):
    assert snap_compare(
        basics_app, run_before=pressing(*TO_VERDICT + ["3"]), terminal_size=(60, 20)
    )


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_summary_of_a_session_ended_early(snap_compare, basics_app, size):
    assert snap_compare(basics_app, run_before=pressing(*TO_CLOZE, "q"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_stats_true_retention(snap_compare, history_app, size):
    """t on stats: the true retention table in place of the charts."""
    assert snap_compare(history_app, run_before=pressing("s", "t"), terminal_size=size)


def pressing_then_working(*keys: str):
    """run_before: press `keys`, then wait for the workers they started."""

    async def run_before(pilot):
        await press(pilot, *keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_stats_workload(snap_compare, history_app, size):
    """w on stats: reviews a day by desired retention, the one in use picked."""
    assert snap_compare(history_app, run_before=pressing_then_working("s", "w"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_scheduling_fit(snap_compare, history_app, size):
    """o on stats: the fit and both scores."""
    assert snap_compare(history_app, run_before=pressing_then_working("s", "o"), terminal_size=size)


@pytest.fixture
def broken_app(tmp_path):
    """The basics deck beside tests/fixtures/broken (a syntax error, a note error)."""
    return make_app(make_ctx(tmp_path, [BASICS, FIXTURES / "broken"]))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_home_with_deck_problems(snap_compare, broken_app, size):
    assert snap_compare(broken_app, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_deck_problems(snap_compare, broken_app, size):
    assert snap_compare(broken_app, run_before=pressing("p"), terminal_size=size)


@pytest.fixture
def limited_app(tmp_path):
    """The big deck with 3 new cards a day ([decks.big]), those 3 studied."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[decks.big]\nnew_per_day = 3\n")
    ctx = make_ctx(home, [BASICS, write_big_deck(tmp_path / "decks")])
    from cards.state import Rating

    s = ctx.session(["big"])
    for _ in range(3):
        s.answer(s.next_card(), Rating.EASY)
    return make_app(ctx)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_home_limit_reached(snap_compare, limited_app, size):
    """The big deck's limit reached: the line under the table says so, + passes it."""
    assert snap_compare(limited_app, run_before=pressing("down"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_custom_study(snap_compare, limited_app, size):
    assert snap_compare(limited_app, run_before=pressing("down", "plus"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_cram_answer(snap_compare, limited_app, size):
    """A cram card's answer side: Again 1m, Hard 10m, Good and Easy "done"."""

    async def run_before(pilot) -> None:
        await press(pilot, "end", "plus")
        await pilot.click("#custom-cram")
        await press(pilot)
        pilot.app.screen.query_one("#custom-value").value = "tag:repair"
        await press(pilot, "enter", "space")

    assert snap_compare(limited_app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_card_info_from_review(snap_compare, history_app, size):
    """i in review: where the note is, its schedule with the retrievability curve, and
    the whole history."""
    assert snap_compare(history_app, run_before=pressing("a", "i"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_review_flagged_and_marked(snap_compare, basics_app, size):
    assert snap_compare(basics_app, run_before=pressing("enter", "ctrl+3", "asterisk"),
                        terminal_size=size)  # fmt: skip
