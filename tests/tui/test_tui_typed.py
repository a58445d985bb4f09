"""The typed kind in the review: type, Enter, the comparison, the grade it selects."""

from __future__ import annotations

from app.tui.screens.review import ReviewScreen
from cards.state import Rating
from tests.conftest import FIXTURES
from tests.tui.helpers import make_app, make_ctx, press, screen_text

TYPED = FIXTURES / "kinds" / "typed.toml"
SIZE = (80, 24)


def typed_app(tmp_path):
    ctx = make_ctx(tmp_path, [TYPED])
    return ctx, make_app(ctx, start_review=True)


async def test_a_match_ignores_case_and_selects_good(tmp_path):
    ctx, app = typed_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card.note.id == "capital"
        await press(pilot, *"lisbon", "enter")
        assert screen.phase == "answer" and screen.correct is True
        assert screen.grade == Rating.GOOD
        text = screen_text(app)
        assert "Right." in text and "Typed   lisbon" in text and "Answer  Lisbon" in text
        await press(pilot, "enter")  # accepts Good
        await pilot.pause()
    assert [r.rating for r in ctx.store.reviews()] == [Rating.GOOD]


async def test_a_wrong_answer_shows_the_diff_and_selects_again(tmp_path):
    ctx, app = typed_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, *"Madrid", "enter")
        assert screen.correct is False and screen.grade == Rating.AGAIN
        text = screen_text(app)
        assert "Not quite." in text and "Typed   Madrid" in text and "Answer  Lisbon" in text
        await press(pilot, "right", "enter")  # the grade can still be changed: Hard
        await pilot.pause()
    assert [r.rating for r in ctx.store.reviews()] == [Rating.HARD]


async def test_nothing_typed_is_graded_by_the_learner(tmp_path):
    ctx, app = typed_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "enter")
        assert screen.phase == "answer" and screen.correct is None
        assert screen.grade == Rating.GOOD and "The answer:" in screen_text(app)


async def test_markup_typed_and_in_the_deck_shows_literally(tmp_path):
    ctx, app = typed_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *"lisbon", "enter", "4")  # Easy: the first card is done today
        await pilot.pause()
        screen = app.screen
        assert screen.card.note.id == "literal"
        assert "Type it exactly: [b]x[/b] <i>y</i>" in screen_text(app)
        await press(pilot, *"[b]x[/b] <i>y</i>", "enter")
        text = screen_text(app)
        assert screen.correct is True
        assert "Typed   [b]x[/b] <i>y</i>" in text and "Answer  [b]x[/b] <i>y</i>" in text
        await press(pilot, "escape")  # still typing keys? no: the box is gone, Esc ends
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_undo_asks_again_with_an_empty_box(tmp_path):
    ctx, app = typed_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *"lisbon", "enter", "4")
        await pilot.pause()
        await press(pilot, "u")  # typed into the box: a letter like any other
        await pilot.pause()
        assert app.screen.face.response == "u" and app.screen.card.note.id == "literal"
        await press(pilot, "ctrl+z")  # the box has no use for it: undo
        await pilot.pause()
        screen = app.screen
        assert screen.card.note.id == "capital" and screen.phase == "question"
        assert screen.face.response == ""
        await press(pilot, *"x", "enter")
        assert screen.correct is False


def test_typed_question_snapshot(snap_compare, tmp_path):
    _, app = typed_app(tmp_path)

    async def run_before(pilot):
        await pilot.pause()  # run_before comes before the app has settled
        await press(pilot, *"lisb")
        for box in pilot.app.screen.query("Input"):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_typed_wrong_snapshot(snap_compare, tmp_path):
    _, app = typed_app(tmp_path)
    assert snap_compare(app, press=[*"Lisbn", "enter"])


def test_typed_wrong_small_snapshot(snap_compare, tmp_path):
    _, app = typed_app(tmp_path)
    assert snap_compare(app, press=[*"Lisbn", "enter"], terminal_size=(60, 20))
