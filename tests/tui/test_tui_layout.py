"""The answer side fits (issue 15, acceptance 3): every shipped card's answer side, as a
learner sees it after Space: at 80x24 at least 140 of the 147 show their last line and
the rating buttons without scrolling; at 60x20 the explanation is on screen after the
reveal on every card (the view scrolls to it where the card is taller than the screen).
The cards are gone through in one cram session (nothing is scheduled)."""

from __future__ import annotations

import pytest

from app.context import Context
from app.tui.screens.review import ReviewScreen
from app.tui.widgets.card_view import CardView
from cards.cram import CramSession
from tests.tui.helpers import NOW, make_app


def shipped_ctx(home) -> Context:
    ctx = Context(home=home, builtin=True)
    ctx.__dict__["clock"] = lambda: NOW
    return ctx


async def answer_sides(tmp_path, size):
    """For each shipped card, after Space: (key, fits without scrolling, explanation
    starts on screen or there is none)."""
    ctx = shipped_ctx(tmp_path)
    cards = list(ctx.library.cards())
    app = make_app(ctx)
    seen = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = CramSession(ctx.store, cards, ctx.settings, ctx.clock, seed=1)
        await app.push_screen(ReviewScreen(session=session, title="Layout"))
        await pilot.pause()
        while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
            screen = app.screen
            await pilot.press("space")
            scroll, why = screen.query_one("#card-scroll"), screen.query_one(CardView).why
            for _ in range(20):  # until the reveal's scroll (if any) is drawn
                await pilot.pause()
                view = scroll.content_region
                shown = why is None or not why.display or view.y <= why.region.y < view.bottom
                if shown:
                    break
            seen.append((screen.card.key, scroll.max_scroll_y == 0, shown))
            await pilot.press("3")  # Good: the card leaves the cram session
    assert len(seen) == len(cards) == 155
    return seen


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_answer_side_fits(tmp_path, size):
    seen = await answer_sides(tmp_path, size)
    hidden = [key for key, _, shown in seen if not shown]
    assert hidden == [], hidden  # the explanation is on screen, every card
    if size == (80, 24):
        fits = sum(fit for _, fit, _ in seen)
        assert fits >= 140, [key for key, fit, _ in seen if not fit]
