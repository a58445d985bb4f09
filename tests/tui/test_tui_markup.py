"""Deck text is never markup: `[bold]x[/bold]`, `[@click=app.quit]y[/]`, `[/]`, `a[i]` and
`<b>z</b>` show as those characters on every screen that shows deck text."""

from __future__ import annotations

from app.tui.screens.browse import BrowseScreen
from app.tui.screens.card import CardScreen
from app.tui.screens.export import ExportScreen
from app.tui.screens.review import ReviewScreen
from app.tui.screens.summary import SummaryScreen
from tests.tui.helpers import MARKUP, make_app, make_ctx, press, screen_text, settle

LITERALS = ("[bold]x[/bold]", "[@click=app.quit]y[/]", "[/]", "a[i]", "<b>z</b>")
SIZE = (200, 60)  # wide enough that no table column cuts the text


def assert_literal(app, *prefixes: str) -> str:
    text = screen_text(app)
    for prefix in prefixes:
        for literal in LITERALS:
            assert f"{prefix} {literal}" in text or _in_line_after(text, prefix, literal), (
                prefix,
                literal,
                text,
            )
    return text


def _in_line_after(text: str, prefix: str, literal: str) -> bool:
    """`literal` on the line where `prefix` starts (the strings are separated by spaces)."""
    return any(
        prefix + " " in line and literal in line.split(prefix + " ", 1)[1]
        for line in text.splitlines()
    )


async def test_markup_is_literal_everywhere(tmp_path):
    ctx = make_ctx(tmp_path, [MARKUP])
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # home: the deck's name and description
        assert_literal(app, "M", "D")
        # review, every kind, question then answer
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert_literal(app, "M")  # the header's subtitle
        seen = set()
        while isinstance(app.screen, ReviewScreen):
            kind = app.screen.card.kind
            seen.add(kind)
            if kind == "basic":
                assert_literal(app, "F")
                await press(pilot, "space")
                assert_literal(app, "F", "B")
                assert "Source: A <b>z</b> a[i]" in screen_text(app)
            elif kind == "cloze":
                text = screen_text(app)
                assert "C [bold]x[/bold] [@click=app.quit]y[/] [/] [h [/] a[i]]" in text
                await press(pilot, "space")
                assert "C [bold]x[/bold] [@click=app.quit]y[/] [/] a[i] <b>z</b>" in screen_text(
                    app
                )
            elif kind == "choice":
                text = assert_literal(app, "P")
                assert "O1 [bold]x[/bold] [@click=app.quit]y[/]" in text
                assert "O2 [/] a[i] <b>z</b>" in text
                await press(pilot, "1")
                text = assert_literal(app, "P", "W")
                assert "O2 [/] a[i] <b>z</b>" in text
            elif kind == "typed":
                assert_literal(app, "T")
                await press(pilot, *"[bold]x[/bold] <i>z</i>", "enter")  # markup typed, too
                text = assert_literal(app, "T")
                assert "Typed   [bold]x[/bold] <i>z</i>" in text
                assert "Answer  [bold]x[/bold] <b>z</b>" in text
            else:
                assert_literal(app, "V")
                await press(pilot, "space")
                assert_literal(app, "V", "W2")
            await press(pilot, "4")
        assert seen == {"basic", "cloze", "choice", "verdict", "typed"}
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "enter")
        # the header of the palette's deck command
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert (
            "Study M \\[bold]x\\[/bold] \\[@click=app.quit]y\\[/] \\[/] a\\[i] <b>z</b>" in titles
        )
        await press(pilot, "ctrl+p", *"Study M")
        await pilot.pause(0.3)
        assert "Study M [bold]x[/bold] [@click=app.quit]y[/] [/] a[i] <b>z</b>" in screen_text(app)
        await press(pilot, "escape")
        # browse: the questions in the table, and a search for literal markup
        await press(pilot, "b")
        assert isinstance(app.screen, BrowseScreen)
        assert_literal(app, "F", "P", "V")
        await press(pilot, "slash", *"[@click=app.quit]y[/]")
        assert len(app.screen.query_one("#cards").rows_shown) == 5
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, CardScreen)
        assert_literal(app, "M", "T")
        await press(pilot, "escape", "escape", "escape")
        # export: the deck list
        await press(pilot, "e")
        assert isinstance(app.screen, ExportScreen)
        assert_literal(app, "M")
        await press(pilot, "escape")
        # stats and help show no deck text but must still draw
        await press(pilot, "s")
        assert "Reviews per day" in screen_text(app)
    assert app.return_code in (None, 0)  # [@click=app.quit] never ran


def test_cloze_emphasis_reads_as_in_anki():
    """Emphasis around a gap and inside one styles the gap too; asterisks that would
    cross a gap's braces stay asterisks (tests/test_export.py checks Anki's side)."""
    from app.tui.faces.cloze import cloze_text

    content = cloze_text("*the {{c1::gap}}* and {{c2::**bold**}}, *a {{c1::x* y}}", 1, reveal=False)
    assert content.plain == "the [...] and bold, *a [...]"

    def styled(word: str, what: str) -> bool:
        start = content.plain.index(word)
        return any(
            what in str(span.style) and span.start <= start and start + len(word) <= span.end
            for span in content.spans
        )

    assert styled("the ", "italic") and styled("[...]", "italic")
    assert styled("bold", "bold") and not styled(" and ", "italic")
    assert not styled("*a ", "italic")
