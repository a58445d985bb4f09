"""The reviewer's daily tools (issue 15, acceptance 4): i shows card info (the note's file
and line, its whole history, retrievability now and its curve), flags (Ctrl+1..7, or
Alt+1..7 where the terminal sends no Ctrl+digit) show on the card, persist and are
searched in browse, * marks the note, = buries and ! suspends the whole note, and a leech
says so."""

from __future__ import annotations

from datetime import timedelta

from app.tui.screens.browse import BrowseScreen
from app.tui.screens.card import CardScreen
from app.tui.screens.review import ReviewScreen
from cards.state import Rating
from tests.tui.helpers import BASICS, make_app, make_ctx, press, screen_text

SIZE = (80, 24)


def text(app) -> str:
    return " ".join(screen_text(app).split())


async def test_card_info_from_review_shows_where_the_note_is_and_its_history(tmp_path):
    ctx = make_ctx(tmp_path)
    s = ctx.session()
    first = s.next_card()
    s.answer(first, Rating.AGAIN)
    s.answer(first, Rating.GOOD)
    ctx = make_ctx(tmp_path, now=ctx.clock() + timedelta(minutes=15))  # its step is over
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "enter")
        assert app.screen.card.key == first.key
        await press(pilot, "i")
        assert isinstance(app.screen, CardScreen)
        shown = text(app)
        assert f"Note capital in {BASICS.relative_to(BASICS.parents[3])}:21" in shown
        assert "when grade next in S (days) D" in shown
        assert shown.count("Again") >= 1 and "Good" in shown  # both answers, with S and D
        assert "Retrievability" in shown and " in " in shown
        await press(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_flags_show_persist_and_are_searched_in_browse(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        card = app.screen.card
        await press(pilot, "ctrl+1")
        assert "⚑ Red" in text(app) and ctx.store.flag_of(card.key) == 1
        await press(pilot, "alt+4")
        assert "⚑ Blue" in text(app) and ctx.store.flag_of(card.key) == 4
        await press(pilot, "asterisk")
        assert "★ marked" in text(app) and "marked" in ctx.store.tags_of(card.note_key)
        await press(pilot, "escape", "b")
        assert isinstance(app.screen, BrowseScreen)
        app.screen.query_one("#search").value = "flag:4"
        await press(pilot)
        assert app.screen.query_one("#cards").row_count == 1
        app.screen.query_one("#search").value = "tag:marked"
        await press(pilot)
        assert app.screen.query_one("#cards").row_count == 1


async def test_bury_and_suspend_the_whole_note(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx)
    pair = [c for c in ctx.library.cards() if c.note.id == "pair"]
    assert len(pair) == 2  # a basic note with its reverse
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        while app.screen.card.note.id != "pair":
            await press(pilot, "space", "4")
        await press(pilot, "equals_sign")
        assert all(ctx.store.get(c.key).buried_until for c in pair)
        await press(pilot, "u")
        assert not any(ctx.store.get(c.key).buried_until for c in pair)
        assert app.screen.card.note.id == "pair"
        await press(pilot, "exclamation_mark")
        assert all(ctx.store.get(c.key).suspended for c in pair)
        await press(pilot, "u")
        assert not any(ctx.store.get(c.key).suspended for c in pair)


async def test_a_leech_is_suspended_and_said(tmp_path):
    ctx = make_ctx(tmp_path)
    ctx.__dict__["settings"] = ctx.settings.replace(leech_threshold=1)
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        first = app.screen.card
        await press(pilot, "space", "4")  # Easy: a review card
    # a day later it lapses: with a threshold of 1, the first lapse makes a leech
    ctx = make_ctx(tmp_path, now=ctx.clock() + timedelta(days=60))
    ctx.__dict__["settings"] = ctx.settings.replace(leech_threshold=1, new_per_day=0)
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        assert app.screen.card.key == first.key
        await press(pilot, "space", "1")
        said = [n.message for n in app._notifications]
        assert any("That card is a leech (1 lapse): suspended and tagged leech" in m for m in said)
        assert ctx.store.get(first.key).suspended
        assert ctx.store.tags_of(first.note_key) == {"leech"}
