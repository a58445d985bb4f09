"""Pilot walks through every flow of the TUI, headless, with a fixed clock."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from app.tui import render
from app.tui.nav import all_bindings
from app.tui.screens.browse import BrowseScreen
from app.tui.screens.card import CardScreen
from app.tui.screens.export import ExportScreen
from app.tui.screens.help import HelpScreen, help_content
from app.tui.screens.home import HomeScreen
from app.tui.screens.review import ReviewScreen
from app.tui.screens.stats import StatsScreen
from app.tui.screens.summary import SummaryScreen
from app.tui.widgets.card_table import CardTable
from app.tui.widgets.deck_table import DeckTable
from app.tui.widgets.rating_bar import RatingBar
from cards import kinds
from cards import stats as stats_mod
from cards.library import builtin_decks_dir
from cards.state import Rating
from tests.conftest import FIXTURES
from tests.tui.helpers import (
    BASICS,
    make_app,
    make_ctx,
    press,
    screen_text,
    seed_history,
    settle,
    write_big_deck,
)

SIZE = (80, 24)


async def answer_current(pilot, *, right: bool = True, rating: str | None = None) -> str:
    """Answer the card on screen: pick an option (the right one, or a wrong one) for
    choice/verdict, reveal the others; then accept the proposed grade or press `rating`."""
    screen = pilot.app.screen
    card = screen.card
    kind = kinds.of(card.note)
    if kind.options(card):
        correct = kind.correct(card)
        pick = correct if right else (correct + 1) % len(kind.options(card))
        await press(pilot, str(pick + 1))
    elif kind.face == "typed":
        await press(pilot, *(kind.answer(card) if right else "wrong"), "enter")
    else:
        await press(pilot, "space")
    assert screen.phase == "answer"
    await press(pilot, rating or "enter")
    await pilot.pause()
    return card.key


async def study_to_end(pilot, **kwargs) -> list[str]:
    keys = []
    while isinstance(pilot.app.screen, ReviewScreen):
        keys.append(await answer_current(pilot, **kwargs))
        assert len(keys) < 500
    return keys


async def test_study_every_kind_to_the_end(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "enter")  # the basics deck
        assert isinstance(app.screen, ReviewScreen)
        seen = set()
        while isinstance(app.screen, ReviewScreen):
            card = app.screen.card
            seen.add(card.kind if card.ord == 1 or card.kind != "basic" else "reverse")
            text = screen_text(app)
            assert render.question_text(card)[:30] in " ".join(text.split())
            await answer_current(pilot)
        assert seen == {"basic", "cloze", "choice", "verdict"}  # reverse cards wait a day
        assert isinstance(app.screen, SummaryScreen)
        # every answer is in the log; nothing is left for today
        assert len(ctx.store.reviews()) == len(app.screen.summary.answers)
        assert ctx.session().counts() == (0, 0, 0)
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert "All done for now" in screen_text(app)


async def test_choice_grade_is_preselected_and_can_change(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while screen.card.kind != "choice":
            await answer_current(pilot)
        await press(pilot, "2")  # a wrong option
        assert screen.phase == "answer" and screen.correct is False
        assert screen.grade == Rating.AGAIN
        assert "Not quite." in screen_text(app)
        assert "A named break ends in a return" in screen_text(app)  # why
        await press(pilot, "right", "right")  # change it: Again -> Good
        assert screen.grade == Rating.GOOD
        key = screen.card.key
        await press(pilot, "space")
        assert ctx.store.reviews(key=key)[-1].rating == Rating.GOOD
        while screen.card.kind != "verdict":
            await answer_current(pilot)
        await press(pilot, "down", "down", "enter")  # highlight "Unhealthy", pick it
        assert screen.correct is True and screen.grade == Rating.GOOD
        assert "Source:" in screen_text(app)
        await press(pilot, "1")  # 1-4 rate directly, whatever was proposed
        assert ctx.store.reviews(key="basics/busy")[-1].rating == Rating.AGAIN


async def test_the_mouse_shows_the_answer_and_rates(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        key = screen.card.key
        assert "to show the answer" in screen_text(app)
        await pilot.click(RatingBar, offset=(0, 0))  # the bar's edge, not a grade: nothing
        await settle(pilot)
        assert screen.phase == "answer"  # (on the question side the whole bar is the hint)
        assert "to show the answer" not in screen_text(app)
        await pilot.click(RatingBar, offset=(0, 0))  # beside the grades: still the answer
        await settle(pilot)
        assert screen.phase == "answer" and screen.card.key == key
        await pilot.click("RatingButton.hard")
        await settle(pilot)
        assert ctx.store.reviews(key=key)[-1].rating == Rating.HARD
        assert screen.card.key != key and screen.phase == "question"
        assert "to show the answer" in screen_text(app)
        while screen.card.kind != "choice":
            await answer_current(pilot)
        await settle(pilot)  # (the options come a frame after the question)
        right = kinds.of(screen.card.note).correct(screen.card)
        option = next(o for o in screen.query("ChoiceOption") if o.index == right)
        await pilot.click(option, offset=(6, 0))  # on its text
        await settle(pilot)
        assert screen.phase == "answer" and screen.correct is True


async def test_space_space_on_a_choice_card_is_good_and_left_out_of_accuracy(tmp_path):
    """Issue 15, acceptance 1: on a choice card, Space then Space (the answer shown without
    picking) logs Good, as Anki's Space does, and the summary's accuracy leaves that card
    out; on the verdict card a wrong pick then Enter logs Again, and counts."""
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while screen.card.kind != "choice":
            await answer_current(pilot, rating="4")  # (Easy: done for today)
        key = screen.card.key
        await press(pilot, "space")
        assert screen.phase == "answer" and screen.correct is None
        await press(pilot, "space")
        assert ctx.store.reviews(key=key)[-1].rating == Rating.GOOD
        while screen.card.kind != "verdict":
            await answer_current(pilot, rating="4")
        verdict = screen.card.key
        await answer_current(pilot, right=False)  # a wrong pick, Enter accepts Again
        assert ctx.store.reviews(key=verdict)[-1].rating == Rating.AGAIN
        while isinstance(app.screen, ReviewScreen):
            await answer_current(pilot, rating="4")
        summary = app.screen.summary
        shown_only = next(a for a in summary.answers if a.card.key == key)  # Space, Space
        assert shown_only.rating == Rating.GOOD and shown_only.correct is None
        assert shown_only not in summary.graded
        # (the choice card comes back after its learning step, then answered by a pick)
        picks = [a for a in summary.answers if a.correct is not None]
        assert summary.graded == picks and any(a.card.key == verdict for a in picks)
        right = sum(a.correct for a in picks)
        text = " ".join(screen_text(app).split())
        assert f"{right} of {len(picks)} checked answers right" in text


async def test_cloze_shows_gap_then_answer(tmp_path):
    app = make_app(make_ctx(tmp_path), start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        while app.screen.card.kind != "cloze":
            await answer_current(pilot)
        text = screen_text(app)
        assert "raised [...] but lowered liking" in text
        await press(pilot, "space")
        assert "raised wanting but lowered liking" in screen_text(app)


async def test_undo_across_cards_restores_state(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        before = {c.key: ctx.store.get(c.key) for c in ctx.library.cards()}
        answered = [await answer_current(pilot, rating="3") for _ in range(3)]
        assert len(ctx.store.reviews()) == 3
        for key in reversed(answered):
            await press(pilot, "u")
            assert screen.card.key == key  # the undone card is shown again
            assert screen.phase == "question"
            assert ctx.store.get(key) == before[key]
        assert ctx.store.reviews() == []
        await press(pilot, "u")  # nothing left: a notice, no change
        assert ctx.store.reviews() == []
        # bury and suspend undo too
        first = screen.card.key
        await press(pilot, "minus")
        assert screen.card.key != first and ctx.store.get(first).buried_until is not None
        await press(pilot, "at")
        second = answered[1] if screen.card.key == answered[1] else None
        await press(pilot, "ctrl+z")
        await press(pilot, "u")
        assert screen.card.key == first
        assert not ctx.store.get(first).buried_until
        assert not any(s.suspended for s in ctx.store.states().values())
        del second


async def test_undo_from_the_summary(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        keys = await study_to_end(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "u")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card.key == keys[-1]
        await answer_current(pilot)
        assert isinstance(app.screen, SummaryScreen)


async def test_summary_numbers(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        graded = right = 0
        while isinstance(app.screen, ReviewScreen):
            kind = screen.card.kind
            ok = kind != "verdict"  # choice right, verdict wrong
            if kind in ("choice", "verdict"):
                graded += 1
                right += ok
            await answer_current(pilot, right=ok, rating="4")
        summary = app.screen.summary
        reviews = ctx.store.reviews()
        assert summary.reviews == len(reviews) == 5
        assert summary.cards == len({r.key for r in reviews}) == 5
        assert (graded, right) == (2, 1)
        assert summary.accuracy == 0.5
        # the fake clock moves 4 s per call: one when the card shows, one when it is rated
        assert summary.seconds == sum(r.duration_ms for r in reviews) / 1000 == 5 * 4
        assert all(r.duration_ms == 4000 for r in reviews)
        text = " ".join(screen_text(app).split())
        assert "Cards studied 5 (5 answers)" in text
        assert "0 Again · 0 Hard · 0 Good · 5 Easy" in text
        assert "Accuracy 50%: 1 of 2 checked answers right" in text
        assert "Time 20s (4s a card)" in text
        nxt = ctx.session().next_due()
        assert f"Next card due {render.until(nxt, ctx.clock())}" in text


async def test_stats_true_retention_table_toggles(tmp_path):
    """t on stats shows Anki's true retention table (the log's counts) in place of the
    charts; t again brings the charts back."""
    from cards.true_retention import PERIODS

    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    seed_history(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "s", "t")
        st = app.screen.stats
        text = screen_text(app)
        assert "True retention" in text and "Reviews per day" not in text
        for period in PERIODS:
            r = st.true_retention[period]
            n = r.young_passed + r.young_failed + r.mature_passed + r.mature_failed
            if n:
                assert f"{r.rate():.1%} ({n})" in text, period
        assert st.true_retention["all_time"].rate() is not None
        await press(pilot, "t")
        text = screen_text(app)
        assert "Reviews per day" in text and "True retention" not in text


async def test_workload_by_retention_sets_the_chosen_one(tmp_path):
    """w on stats: reviews a day at each desired retention, a year simulated; the one in
    use is picked; right twice and Enter make the one two steps up the setting."""
    from cards import config
    from cards.workload import RETENTIONS

    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    seed_history(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "s", "w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        w = screen.workload
        assert w is not None and w.retentions == RETENTIONS
        assert w.reviews_per_day[-1] > 2 * w.reviews_per_day[0]  # 0.97 costs far more than 0.70
        text = screen_text(app)
        assert "Reviews a day by desired retention" in text and "in use 0.90" in text
        assert f"0.90: {w.reviews_per_day[20]:.1f} reviews a day" in " ".join(text.split())
        await press(pilot, "right", "right", "enter")
        assert config.load(ctx.home).desired_retention == 0.92
        assert ctx.settings.desired_retention == 0.92
        assert "in use 0.92" in screen_text(app)
        await press(pilot, "w")
        assert "Reviews per day" in screen_text(app)


async def test_optimize_from_stats_fits_and_saves(tmp_path):
    """o on stats: FSRS fitted to the log in a worker, both scores shown; Enter saves the
    parameters (settings in use too) and every card's memory; o again finds nothing to
    change. The figures are cards.optimize's own."""
    from cards import optimize
    from cards.config import load as load_settings
    from tests.fsrs_history import generate
    from tests.tui.helpers import NOW

    ctx = make_ctx(tmp_path / "home", [BASICS])
    generate(ctx.store, 640, NOW - timedelta(hours=1))
    rows = ctx.store.review_rows()
    fit = optimize.fit(rows, ctx.settings, NOW)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "s", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert f"in use (defaults) {fit.current.log_loss:.4f} {fit.current.rmse:.4f}" in text
        assert f"fitted {fit.fitted.log_loss:.4f} {fit.fitted.rmse:.4f}" in text
        assert "Enter uses the fitted parameters" in text
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert load_settings(ctx.home).fsrs_params == tuple(fit.parameters)
        assert ctx.settings.fsrs_params == tuple(fit.parameters)
        await press(pilot, "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "nothing to change" in " ".join(screen_text(app).split())


async def test_fit_one_deck_from_the_palette(tmp_path):
    """The palette's "Fit FSRS to DECK": the deck's reviews alone, saved in its [decks.ID]
    table; the collection's parameters stay the defaults."""
    from cards import optimize
    from cards.config import load as load_settings
    from tests.fsrs_history import generate
    from tests.test_optimize import write_deck
    from tests.tui.helpers import NOW

    home = tmp_path / "home"
    ctx = make_ctx(home, [BASICS])
    generate(ctx.store, 640, NOW - timedelta(hours=1))
    write_deck(tmp_path / "gen.toml", "gen", ctx.store.card_numbers())
    ctx = make_ctx(home, [BASICS, tmp_path / "gen.toml"])
    fit = optimize.fit(optimize.rows_for(ctx.store, ctx.settings, "gen"), ctx.settings, NOW)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await pilot.press(*"Fit FSRS to gen")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Scheduling: FSRS fitted to gen" in text
        assert f"fitted {fit.fitted.log_loss:.4f} {fit.fitted.rmse:.4f}" in text
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = load_settings(home)
        assert saved.fsrs_params == () and saved.for_deck("gen").fsrs_params == tuple(
            fit.parameters
        )
        assert ctx.settings.for_deck("gen").fsrs_params == tuple(fit.parameters)


def broken_decks(folder: Path) -> Path:
    """A deck with a TOML syntax error and one with a located note error, beside good ones."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "syntax.toml").write_text('format = 1\n[deck]\nid = "syntax"\nname = "S\n')
    (folder / "choice.toml").write_text(
        (FIXTURES / "kinds" / "choice-bad.toml").read_text(encoding="utf-8")
    )
    return folder


async def test_deck_problems_are_counted_on_home_and_listed(tmp_path):
    """Issue 16, acceptance 2: decks with errors beside good ones: home says how many deck
    files have problems, and p lists every problem located, PATH:LINE:COL: message."""
    bad = broken_decks(tmp_path / "bad")
    ctx = make_ctx(tmp_path / "home", [BASICS, bad])
    errors = ctx.library.errors
    assert errors and {e.path for e in errors} == {
        str(bad / "syntax.toml"),
        str(bad / "choice.toml"),
    }
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "2 deck files with problems: p shows them" in text
        assert "Basics" in text  # the good deck is there all the same
        await press(pilot, "p")
        text = " ".join(screen_text(app).split())
        for err in errors:
            assert " ".join(str(err).split()) in text, str(err)
        assert f"{bad / 'syntax.toml'}:4:" in text  # located: line and column
        await press(pilot, "q")
        assert isinstance(app.screen, HomeScreen)


async def test_home_without_problems_says_nothing_and_p_is_off(tmp_path):
    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "with problems" not in screen_text(app)
        await press(pilot, "p")
        assert isinstance(app.screen, HomeScreen)


async def test_stats_match_review_log(tmp_path):
    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    made = seed_history(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        st = app.screen.stats
        reviews = ctx.store.reviews()
        expect = stats_mod.compute(
            reviews, ctx.store.states(), ctx.library.cards(), ctx.settings, ctx.clock()
        )
        assert st.to_json() == expect.to_json()
        assert st.reviews_total == made == len(reviews)
        text = " ".join(screen_text(app).split())
        assert f"All time {made} reviews" in text
        assert f"Streak {st.streak} day" in text
        assert f"retention {st.retention:.0%} of {st.retention_reviews}" in text
        assert (
            f"due today {st.forecast[0]} tomorrow {st.forecast[1]} 30 days {sum(st.forecast)}"
            in text
        )
        for name, n in st.states.items():
            assert f"{name} {n}" in text
        heatmap = app.screen.query_one("#heatmap")
        weeks = heatmap.weeks()
        shown = sum(n for d, n in st.per_day.items() if (st.today - d).days < weeks * 7)
        assert f"{shown} reviews in {weeks} weeks" in text
        # study one card: the stats follow when the screen comes back
        await press(pilot, "q")
        await press(pilot, "a")
        await answer_current(pilot)
        await press(pilot, "s")
        assert app.screen.stats.reviews_total == made + 1
        assert app.screen.stats.reviews_today == 1


async def test_browse_search_syntax(tmp_path):
    """Browse's search takes Anki's terms (cards.search): deck:, tag:, is:, prop:, "quoted
    words", -negation; a term it cannot read is said under the table, and the rest of the
    filters still apply."""
    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    seed_history(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(CardTable)
        search = screen.query_one("#search")
        search.value = "deck:basics -tag:meta"
        await pilot.pause()
        shown = {r.card.key for r in table.rows_shown}
        basics = {c.key for c in ctx.library.cards() if c.deck_id == "basics"}
        assert shown == basics - {"basics/capital"}
        search.value = "is:new deck:basics"
        await pilot.pause()
        states = ctx.store.states()
        assert {r.card.key for r in table.rows_shown} == {
            k for k in basics if k not in states or states[k].state == 0
        }
        search.value = '"named break"'
        await pilot.pause()
        assert [r.card.key for r in table.rows_shown] == ["basics/pick"]
        search.value = "prop:ivl>>1"
        await pilot.pause()
        assert "search: 'prop:ivl>>1': prop: takes" in " ".join(screen_text(app).split())
        assert table.row_count == len(ctx.library.cards())


async def test_browse_search_filter_and_open(tmp_path):
    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(CardTable)
        assert table.row_count == len(ctx.library.cards()) == 67
        await press(pilot, "slash", *"named brea")
        assert [r.card.key for r in table.rows_shown] == ["basics/pick"]
        assert "1 of 67 cards" in screen_text(app)
        await press(pilot, "enter")  # back to the table
        await press(pilot, "enter")  # open the card
        assert isinstance(app.screen, CardScreen)
        text = screen_text(app)
        assert "Which is a named break?" in text and "✓ I need 20 minutes" in text
        app.screen.query_one("#card-details-scroll").scroll_end(animate=False)
        await press(pilot)
        assert "not reviewed yet" in screen_text(app)
        await press(pilot, "escape")
        assert app.screen is screen
        # search matches answers and tags too; a filter narrows further
        screen.query_one("#search").value = ""
        await press(pilot, "slash", *"repair")
        assert len(table.rows_shown) == 20
        screen.query_one("#state-filter").value = "suspended"
        await pilot.pause()
        assert table.rows_shown == []
        await press(pilot, "ctrl+r")
        await pilot.pause()
        assert table.row_count == 67
        screen.query_one("#deck-filter").value = "basics"
        screen.query_one("#tag-filter").value = "meta"
        await pilot.pause()
        assert [r.card.key for r in table.rows_shown] == ["basics/capital"]
        await press(pilot, "escape")  # leave the search box (if there), then the screen
        table.focus()
        await press(pilot, "at")  # suspend from the browser
        assert ctx.store.get("basics/capital").suspended
        assert table.rows_shown[0].state == "suspended"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_export_writes_apkg_with_progress(tmp_path, monkeypatch):
    ctx = make_ctx(tmp_path / "home")
    app = make_app(ctx)
    out = tmp_path / "out" / "my-cards"
    out.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        progress = []
        real = ExportScreen.on_export_screen_progress

        def spy(self, event):
            progress.append((event.done, event.total))
            real(self, event)

        monkeypatch.setattr(ExportScreen, "on_export_screen_progress", spy)
        box = screen.query_one("#export-path")
        box.value = str(out)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.running
        written = out.with_name("my-cards.apkg")
        assert written.exists()
        with zipfile.ZipFile(written) as z:
            assert "collection.anki2" in z.namelist()
        assert "Done: 5 notes, 7 cards" in " ".join(screen_text(app).split())
        bar = screen.query_one("#export-progress")
        assert bar.total and bar.progress == bar.total
        assert progress and progress[0][0] == 0
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_export_error_is_one_line(tmp_path):
    app = make_app(make_ctx(tmp_path / "home"))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")
        app.screen.query_one("#export-path").value = str(
            tmp_path / "no" / "such" / "dir" / "x.apkg"
        )
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "does not exist" in screen_text(app)
        assert not app.screen.running


async def test_every_screen_reachable_and_back(tmp_path):
    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        for key, screen_type in (
            ("s", StatsScreen),
            ("b", BrowseScreen),
            ("question_mark", HelpScreen),
            ("e", ExportScreen),
        ):
            await press(pilot, key)
            assert isinstance(app.screen, screen_type), key
            await press(pilot, "escape")
            assert isinstance(app.screen, HomeScreen), key
        # views replace each other instead of piling up
        await press(pilot, "s", "b", "question_mark")
        assert isinstance(app.screen, HelpScreen) and len(app.screen_stack) == 3
        await press(pilot, "q")
        assert isinstance(app.screen, HomeScreen)
        # from a review: stats and back returns to the card
        await press(pilot, "a")
        card = app.screen.card
        await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        await press(pilot, "q")
        assert isinstance(app.screen, ReviewScreen) and app.screen.card == card
        await press(pilot, "q")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "q")
    assert app.return_code == 0


async def test_review_command_returns_home(tmp_path):
    app = make_app(make_ctx(tmp_path), start_review=True, decks=["basics"])
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.sub_title == "Basics"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_c_quits(tmp_path):
    app = make_app(make_ctx(tmp_path), start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+c")
    assert app._exit_renderables == [] and app.return_code == 0


async def test_nothing_due_shows_next_due(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await study_to_end(pilot)
        await press(pilot, "enter")
        nxt = ctx.session().next_due()
        assert f"The next card is due {render.until(nxt, ctx.clock())}" in " ".join(
            screen_text(app).split()
        )
        await press(pilot, "a")  # nothing to study: the summary says when
        assert isinstance(app.screen, SummaryScreen)
        assert "Nothing is due right now" in screen_text(app)


async def test_keymap_from_config(tmp_path):
    (tmp_path / "config.toml").write_text(
        '[keys]\n"review.bury" = "x"\n"nope.nothing" = "y"\n"review.info" = "b"\n'
    )
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen.card.key
        await press(pilot, "minus")  # no longer bound
        assert app.screen.card.key == first
        await press(pilot, "x")
        assert ctx.store.get(first).buried_until is not None
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "[keys] in config.toml: 'nope.nothing' is no binding id" in " ".join(said)
        assert (  # a key another binding of the screen has: said, and not applied
            "[keys] in config.toml: review.info = 'b': 'b' is already the key of app.browse"
            " (Review); not applied." in said
        )
        assert all("\n" not in m for m in said)
        line = next(x for x in help_content(app).plain.splitlines() if "review.bury" in x)
        assert line.split() == ["x", "Bury", "review.bury"]
        line = next(x for x in help_content(app).plain.splitlines() if "review.info" in x)
        assert line.split() == ["i", "Card", "info", "review.info"]


async def test_theme_choice_is_saved(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert 'theme = "nord"' in (tmp_path / "config.toml").read_text()
    again = make_app(make_ctx(tmp_path))
    async with again.run_test(size=SIZE):
        assert again.theme == "nord"


async def test_palette_offers_every_action(tmp_path):
    app = make_app(make_ctx(tmp_path), start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Undo" not in titles  # nothing to undo yet
        for title in ("Show answer", "Bury", "Suspend", "End", "Study all decks",
                      "Study Basics", "Stats", "Browse", "Export to Anki", "Help", "Theme", "Quit"):  # fmt: skip
            assert title in titles, title
        await press(pilot, "space")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Again", "Hard", "Good", "Easy", "Accept grade"} <= set(titles)
        # running one from the palette works like the key
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Easy")
        app.call_later(command.callback)  # as the palette does
        await pilot.pause()
        assert len(app.ctx.store.reviews()) == 1
        assert "Undo" in [c.title for c in app.get_system_commands(app.screen)]
        await press(pilot, "ctrl+p")
        await press(pilot, *"stats")
        await pilot.pause(0.3)  # the palette searches in the background
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


async def test_help_lists_every_binding(tmp_path):
    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=(100, 200)) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        ids = {b.id for _, bindings in all_bindings() for b in bindings if b.id}
        for binding_id in ids:
            if binding_id.startswith(
                ("review.option", "review.again", "review.hard", "review.good", "review.easy")
            ):
                continue  # shown as ranges: review.option1…9, review.again…easy
            assert binding_id in text, binding_id
        assert "review.option1…option9" in text and "review.again…easy" in text


@pytest.mark.skipif(not builtin_decks_dir().is_dir(), reason="no shipped decks")
async def test_shipped_decks_study_smoke(tmp_path):
    """The real decks: 15 answers across all of them, every screen drawn without error."""
    from app.context import Context

    ctx = Context(home=tmp_path)
    ctx.__dict__["clock"] = make_ctx(tmp_path).clock
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(15):
            if not isinstance(app.screen, ReviewScreen):
                break
            await answer_current(pilot, rating="3")
        for key in ("s", "b", "question_mark"):
            await press(pilot, key)
            assert screen_text(app)


async def test_enter_before_home_has_loaded_still_studies(tmp_path):
    """Home counts in a worker; Enter pressed before the counts arrive is not lost."""
    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen.loaded = False  # as if the counts were still on their way
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen) and screen.pending in ("basics", "current")
        screen.load()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.sub_title == "Basics"


async def test_q_ends_the_session_with_its_summary(tmp_path):
    ctx = make_ctx(tmp_path)
    app = make_app(ctx, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "q")  # nothing answered yet: straight home
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "enter")
        for _ in range(2):
            await answer_current(pilot)
        left = ctx.session(["basics"]).counts()
        await press(pilot, "q")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.reviews == 2 and app.screen.summary.left == left
        text = " ".join(screen_text(app).split())
        assert "Session ended" in text
        assert f"Left for today {left[0]} new · {left[1]} learning · {left[2]} due" in text
        await press(pilot, "u")  # undo from there: back to the card, one answer less
        assert isinstance(app.screen, ReviewScreen) and len(ctx.store.reviews()) == 1
        await press(pilot, "escape", "enter")
        assert isinstance(app.screen, HomeScreen) and len(ctx.store.reviews()) == 1


async def test_the_review_is_titled_by_its_decks(tmp_path):
    ctx = make_ctx(tmp_path, [builtin_decks_dir()])
    names = {d.id: d.name for d in ctx.library.decks}
    for decks, title in (
        (["reasons", "advice"], f"{names['reasons']} · {names['advice']}"),
        (["advice"], names["advice"]),
        (None, "All decks"),
    ):
        app = make_app(ctx, start_review=True, decks=decks)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.sub_title == title
            assert title in screen_text(app)


async def test_home_and_end_go_to_the_first_and_last_row(tmp_path):
    ctx = make_ctx(tmp_path, [builtin_decks_dir()])
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DeckTable)
        await press(pilot, "end")
        assert table.cursor_row == table.row_count - 1 > 0
        await press(pilot, "home")
        assert table.cursor_row == 0
        await press(pilot, "b")
        await pilot.pause()
        cards = app.screen.query_one(CardTable)
        cards.focus()
        await press(pilot, "end")
        assert cards.cursor_row == cards.row_count - 1 > 0
        await press(pilot, "home")
        assert cards.cursor_row == 0


async def test_the_progress_total_holds_when_a_card_is_failed(tmp_path):
    """Issue 15: the bar counts cards done for today out of the session's cards; a card
    answered Again is not done and adds nothing to the total (it jumped before)."""
    from app.tui.widgets.session_progress import SessionProgress

    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        bar = app.screen.query_one(SessionProgress)
        done, total = bar.progress
        assert done == 0 and total == sum(app.screen.counts)
        await press(pilot, "space", "1")  # Again: back in a minute
        assert bar.progress == (0, total) and app.screen.counts[1] == 1  # learning, live
        await press(pilot, "space", "4")  # Easy: done for today
        assert bar.progress == (1, total)
        assert f" 1/{total}" in screen_text(app)


async def test_heartcards_review_shows_the_footer_on_the_first_card(tmp_path):
    """`heartcards review` mounts the footer after the first frame: its keys show at once,
    not only once the answer is shown (issue 15)."""
    app = make_app(make_ctx(tmp_path), start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot)
        await pilot.pause(0.2)
        assert "Show answer" in screen_text(app).splitlines()[-1]


async def test_the_footer_follows_each_side_of_each_card(tmp_path):
    """The footer is recomposed only when the keys it shows change: it still says what
    Space does on each side of every card, and keeps the keys that stay the same."""
    app = make_app(make_ctx(tmp_path), start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot)
        await pilot.pause(0.2)
        for _ in range(3):
            footer = screen_text(app).splitlines()[-1]
            assert "Show answer" in footer and "Undo" in footer and "Accept" not in footer
            await press(pilot, "space")
            await pilot.pause(0.1)
            footer = screen_text(app).splitlines()[-1]
            assert "Accept grade" in footer and "Undo" in footer and "Show" not in footer
            await press(pilot, "3")
            await pilot.pause(0.1)


async def test_notices_leave_the_rating_buttons_free(tmp_path):
    """Toasts come at the top right, never over the hint line or the buttons."""
    app = make_app(make_ctx(tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "enter", "space")
        app.notify("A notice")
        await pilot.pause(0.3)
        from textual.widgets._toast import Toast

        toast = app.screen.query_one(Toast)
        bar = app.screen.query_one("#ratings")
        assert toast.region.bottom <= SIZE[1] // 2 < bar.region.y


async def test_browse_sorts_by_due_and_by_retrievability(tmp_path):
    """Issue 16, acceptance 3: o sorts by the next column (as a click on its header), O
    reverses; due and retrievability orders are the rows' own, cards without one last."""
    from app.tui.widgets.card_table import CardTable

    ctx = make_ctx(tmp_path / "home", [BASICS, write_big_deck(tmp_path / "decks")])
    seed_history(ctx, days=30)
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "b")
        table = app.screen.query_one(CardTable)
        while table.sort_key != "due":
            await press(pilot, "o")
        dues = [r.due for r in table.rows_shown]
        having = [d for d in dues if d is not None]
        assert having == sorted(having) and dues[len(having) :] == [None] * (
            len(dues) - len(having)
        )
        assert "Due▲" in screen_text(app)
        await press(pilot, "O")
        assert [r.due for r in table.rows_shown if r.due is not None] == sorted(
            having, reverse=True
        )
        columns = list(table.columns.values())
        x = sum(c.get_render_width(table) for c in columns[:-1]) + 1
        await pilot.click(CardTable, offset=(x, 0))  # the R column's header
        await press(pilot)
        assert table.sort_key == "r"
        rs = [r.retrievability for r in table.rows_shown if r.retrievability is not None]
        assert rs == sorted(rs) and len(rs) > 10


def test_start_up_settings_are_undone_after_the_first_frame(tmp_path, monkeypatch):
    """run_tui pauses the collector and shortens the GIL switch interval for start-up; the
    app's first frame (its `started` call) and leaving the app both put them back."""
    import gc
    import sys

    from app.tui.app import HeartcardsApp
    from app.tui.run import START_SWITCH_INTERVAL, run_tui

    seen = []

    def run(app):
        seen.append((gc.isenabled(), sys.getswitchinterval()))
        app.started()  # what on_ready calls after the first frame
        seen.append((gc.isenabled(), sys.getswitchinterval()))

    monkeypatch.setattr(HeartcardsApp, "run", run)
    before = sys.getswitchinterval()
    assert run_tui(make_ctx(tmp_path), review=True, decks=None) == 0
    assert seen == [(False, START_SWITCH_INTERVAL), (True, before)]
    assert gc.isenabled() and sys.getswitchinterval() == before
