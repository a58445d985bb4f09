"""The heartcards Textual app."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from app.context import Context


class HeartcardsApp(App):
    CSS_PATH = "heartcards.tcss"
    TITLE = "heartcards"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, ctx: Context, *, start_review: bool = False, decks: list[str] | None = None):
        super().__init__()
        self.ctx = ctx
        self.start_review = start_review
        self.start_decks = decks

    def on_mount(self) -> None:
        from app.tui.home import HomeScreen
        from app.tui.review import ReviewScreen

        self.push_screen(HomeScreen())
        if self.start_review:
            self.push_screen(ReviewScreen(self.start_decks))
