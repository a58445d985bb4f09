"""Browse's actions on the selected cards (issue 16, acceptance 3): Space picks cards,
then @ suspends, Ctrl/Alt+digit flags, F forgets, D sets the due date, all through the
core and logged, and u takes each back."""

from __future__ import annotations

from datetime import timedelta

from app.tui.screens.browse import BrowseScreen
from app.tui.screens.reschedule import RescheduleScreen
from cards.state import NEW, REVIEW, Rating
from tests.tui.helpers import make_app, make_ctx, press, screen_text

SIZE = (100, 30)


def text(app) -> str:
    return " ".join(screen_text(app).split())


def by_hand_rows(ctx) -> int:
    sql = "SELECT count(*) FROM revlog WHERE kind = 2 AND rating = 0"
    return ctx.store.db.execute(sql).fetchone()[0]


async def open_browse(pilot, app):
    await press(pilot, "b")
    assert isinstance(app.screen, BrowseScreen)
    await pilot.pause()
    await press(pilot)


async def test_pick_cards_then_suspend_flag_and_undo(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_browse(pilot, app)
        table = app.screen.query_one("#cards")
        first, second = (r.card.key for r in table.rows_shown[:2])
        await press(pilot, "space", "space")
        assert table.selected == {first, second}
        assert "2 selected" in text(app)
        await press(pilot, "at")
        assert all(ctx.store.get(k).suspended for k in (first, second))
        assert "Suspended 2 cards" in text(app)
        await press(pilot, "alt+3")
        assert ctx.store.flag_of(first) == ctx.store.flag_of(second) == 3
        await press(pilot, "u")
        assert ctx.store.flag_of(first) == ctx.store.flag_of(second) == 0
        await press(pilot, "u")
        assert not any(ctx.store.get(k).suspended for k in (first, second))
        await press(pilot, "u")
        assert "Nothing to undo" in text(app)
        await press(pilot, "escape")  # lets go of the picked cards, stays in browse
        assert not table.selected and isinstance(app.screen, BrowseScreen)


async def test_forget_and_set_due_are_logged_and_undone(tmp_path):
    ctx = make_ctx(tmp_path)
    session = ctx.session()
    card = session.next_card()
    session.answer(card, Rating.GOOD)
    session.answer(card, Rating.GOOD)
    ctx = make_ctx(tmp_path, now=ctx.clock() + timedelta(days=1))
    studied = ctx.store.get(card.key)
    assert studied.state == REVIEW
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_browse(pilot, app)
        table = app.screen.query_one("#cards")
        assert table.current_row.card.key == card.key
        await press(pilot, "F")
        assert isinstance(app.screen, RescheduleScreen)
        assert "This card becomes new again; the review history stays." in text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, BrowseScreen)
        forgot = ctx.store.get(card.key)
        assert forgot.state == NEW and forgot.reps == studied.reps
        assert by_hand_rows(ctx) == 1 and len(ctx.store.reviews(key=card.key)) == 2
        assert "Forgot 1 card" in text(app)
        await pilot.pause()
        assert table.current_row.state == "new"
        await press(pilot, "u")
        assert ctx.store.get(card.key) == studied

        await press(pilot, "D")
        field = app.screen.query_one("#reschedule-days")
        field.value = "soon"
        await press(pilot, "enter")
        assert isinstance(app.screen, RescheduleScreen)
        assert "Not a due date: 'soon'" in text(app)
        field.value = "10"
        await press(pilot, "enter")
        moved = ctx.store.get(card.key)
        assert moved.due == ctx.clock() + timedelta(days=10)
        assert moved.stability == studied.stability and by_hand_rows(ctx) == 2
        await press(pilot, "u")
        assert ctx.store.get(card.key) == studied
        await press(pilot, "D", "escape")  # cancelled: nothing changes
        assert isinstance(app.screen, BrowseScreen) and ctx.store.get(card.key) == studied
