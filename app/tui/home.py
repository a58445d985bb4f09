"""Home: every deck with its new / learning / due counts; study one or all."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "study", "Study deck", id="home.study"),
        Binding("a", "study_all", "Study all", id="home.study_all"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="home-message")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Deck", "New", "Learn", "Due")

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        ctx = self.app.ctx
        table = self.query_one(DataTable)
        table.clear()
        for deck in ctx.library.decks:
            new, learning, due = ctx.session([deck.id]).counts()
            table.add_row(Text(deck.name), str(new), str(learning), str(due), key=deck.id)
        new, learning, due = ctx.session().counts()
        message = self.query_one("#home-message", Static)
        if not ctx.library.decks:
            message.update(
                Text(
                    "No decks found. Add .toml decks to "
                    f"{ctx.home / 'decks'} or start with --decks PATH."
                )
            )
        else:
            message.update(Text(f"Today: {new} new · {learning} learning · {due} due"))

    def action_study(self) -> None:
        from app.tui.review import ReviewScreen

        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(ReviewScreen([key]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from app.tui.review import ReviewScreen

        self.app.push_screen(ReviewScreen([event.row_key.value]))

    def action_study_all(self) -> None:
        from app.tui.review import ReviewScreen

        self.app.push_screen(ReviewScreen(None))
