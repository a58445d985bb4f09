"""Deck problems: every error and warning the decks gave when they were loaded, located
(PATH:LINE:COL: message), so a deck with a mistake never just goes missing from the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from app.tui.widgets.footer import FittingFooter
from cards.text import printable


def problems_text(errors) -> Content:
    """The problems, one line each (wrapped when long), errors first; control characters
    of a path or message shown as escapes, never sent to the terminal."""
    ordered = sorted(errors, key=lambda e: e.warning)
    lines: list = []
    for i, err in enumerate(ordered):
        if i:
            lines.append("\n")
        lines.append((printable(str(err)), "$text-warning" if err.warning else "$text-error"))
    return Content.assemble(*lines)


def files_with_problems(errors) -> int:
    return len({e.path for e in errors})


class ProblemsScreen(Screen):
    DEFAULT_CSS = """
        #problems {
            padding: 1 2 0 2;
        }
        #problems-intro {
            color: $text-muted;
            margin-bottom: 1;
        }
    """
    VIEW = True
    BINDINGS = [Binding("q,escape", "back", "Back", id="problems.back")]

    def compose(self) -> ComposeResult:
        errors = self.app.ctx.library.errors
        n = files_with_problems(errors)
        intro = (
            f"{n} deck file{'s' * (n != 1)} with problems. What has an error is left out,"
            " a note or a whole deck (the rest loads); a warning only reports. Fix the file"
            " and start heartcards again; `heartcards check` says the same."
        )
        yield Header()
        with VerticalScroll(id="problems"):
            yield Static(intro, id="problems-intro", markup=False)
            yield Static(problems_text(errors), id="problems-list", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Deck problems"

    def action_back(self) -> None:
        self.app.back()
