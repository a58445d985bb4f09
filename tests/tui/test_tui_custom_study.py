"""Daily limits you can see and pass (issue 15, acceptance 2): a deck's own new-card limit
on home, the message once it is reached, custom study's extra new cards studied and
logged as any, and cram over a tag, which changes no card."""

from __future__ import annotations

import pytest

from app.tui.screens.custom_study import CustomStudyScreen
from app.tui.screens.review import ReviewScreen
from app.tui.screens.summary import SummaryScreen
from app.tui.widgets.deck_table import DeckTable
from cards.state import CardState
from tests.tui.helpers import BASICS, NOW, make_app, make_ctx, press, screen_text, write_big_deck

SIZE = (80, 24)


@pytest.fixture
def limited(tmp_path):
    """The big deck (60 basic notes, tags trust/distance/repair) with 3 new cards a day."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[decks.big]\nnew_per_day = 3\n")
    return make_ctx(home, [BASICS, write_big_deck(tmp_path / "decks")])


def text(app) -> str:
    return " ".join(screen_text(app).split())


def new_today(ctx) -> dict:
    from datetime import timedelta

    return ctx.store.today_counts(NOW - timedelta(hours=5), NOW + timedelta(hours=18))[0]


async def study_to_the_end(pilot, app) -> int:
    """Answer Easy (space, 4) until the summary shows; how many answers."""
    answered = 0
    while isinstance(app.screen, ReviewScreen):
        await press(pilot, "space", "4")
        answered += 1
        assert answered < 100
    return answered


async def test_a_decks_limit_is_shown_reached_and_extended(limited):
    app = make_app(limited)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot)
        table = app.screen.query_one(DeckTable)
        row = table.get_row("big")
        assert str(row[1]) == "3"  # the deck's own limit, not the collection's 20
        table.move_cursor(row=table.get_row_index("big"))
        await press(pilot, "enter")
        assert await study_to_the_end(pilot, app) == 3
        assert isinstance(app.screen, SummaryScreen)
        assert "3 new cards done today: + to study more" in text(app)
        await press(pilot, "plus")
        assert isinstance(app.screen, CustomStudyScreen)
        assert "Custom study: Big deck" in text(app)
        field = app.screen.query_one("#custom-value")
        field.value = ""
        await press(pilot, "3", "enter")
        assert isinstance(app.screen, ReviewScreen) and "3 more new" in app.screen.sub_title
        assert await study_to_the_end(pilot, app) == 3
        assert new_today(limited)["big"] == 6  # logged as any new card
        await press(pilot, "enter")  # home again: the limit is reached once more
        table = app.screen.query_one(DeckTable)
        table.move_cursor(row=table.get_row_index("big"))
        await press(pilot)
        assert "6 new cards done today: + to study more" in text(app)


async def test_a_bad_number_or_search_is_one_line_in_the_dialog(limited):
    app = make_app(limited)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "plus")
        app.screen.query_one("#custom-value").value = "lots"
        await press(pilot, "enter")
        assert "How many: a whole number, got 'lots'." in text(app)
        await pilot.click("#custom-cram")
        await press(pilot)
        app.screen.query_one("#custom-value").value = "tag:nosuch"
        await press(pilot, "enter")
        assert "No card matches 'tag:nosuch'." in text(app)
        assert isinstance(app.screen, CustomStudyScreen)


async def test_cram_over_a_tag_changes_no_card_and_is_logged_as_cram(limited):
    ctx = limited
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")  # some real study first: states to keep
        await press(pilot, "space", "3", "space", "4")
        await press(pilot, "q", "enter")
        before = {k: v for k, v in ctx.store.states().items() if v != CardState(k)}
        logged = len(ctx.store.review_rows())
        await press(pilot, "end", "plus")
        await pilot.click("#custom-cram")
        await press(pilot)
        app.screen.query_one("#custom-value").value = "tag:trust"
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen) and "Cram: tag:trust" in app.screen.sub_title
        assert app.screen.counts == (0, 0, 20)  # every trust card of the big deck
        await press(pilot, "space")
        assert "done" in text(app)  # Good and Easy end a card's cram, they schedule nothing
        await press(pilot, "1")  # Again: it comes back
        answered = 1 + await study_to_the_end(pilot, app)
        assert answered == 21
    after = {k: v for k, v in ctx.store.states().items() if v != CardState(k)}
    assert after == before and len(ctx.store.review_rows()) == logged
    crammed = ctx.store.cram_answers()
    assert len(crammed) == 21 and all("/n" in k for k, *_ in crammed)
