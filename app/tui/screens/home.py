"""Home: every deck with its new / learning / due-today counts and a total; study one or all."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from app.tui import render
from app.tui.widgets.deck_table import ALL, DeckRow, DeckTable


class HomeScreen(Screen):
    DEFAULT_CSS = """
        #home {
            padding: 1 2 0 2;
        }
        #home-today {
            height: auto;
            margin-bottom: 1;
        }
        #decks {
            height: auto;
            max-height: 1fr;
        }
        #deck-description {
            height: auto;
            margin-top: 1;
            color: $text-muted;
        }
    """
    BINDINGS = [
        Binding("enter", "study", "Study deck", id="home.study"),
        Binding("a", "study_all", "Study all", id="home.study_all"),
        Binding("r", "refresh", "Refresh", show=False, id="home.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="home-today", markup=False)
            yield DeckTable(id="decks")
            yield Static(id="deck-description", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.action_refresh())

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        ctx = self.app.ctx
        rows = []
        for deck in ctx.library.decks:
            new, learning, due = ctx.session([deck.id]).counts()
            rows.append(
                DeckRow(deck.id, render.one_line(deck.name), new, learning, due, len(deck.cards))
            )
        everything = ctx.session()
        new, learning, due = everything.counts()
        if len(rows) > 1:
            cards = sum(r.cards for r in rows)
            rows.append(DeckRow(ALL, "All decks", new, learning, due, cards))
        self.query_one(DeckTable).load(rows)
        today = self.query_one("#home-today", Static)
        if not ctx.library.decks:
            today.update(
                Content(
                    f"No decks found. Add .toml decks to {ctx.home / 'decks'} "
                    "or start heartcards with --decks PATH."
                )
            )
        elif new + learning + due:
            today.update(
                Content.assemble(
                    "Today: ",
                    (str(new), "bold $text-primary"), " new · ",
                    (str(learning), "bold $text-error"), " learning · ",
                    (str(due), "bold $text-success"), " due",
                )
            )  # fmt: skip
        else:
            nxt = everything.next_due()
            when = render.until(nxt, everything.clock()) if nxt else "when you add cards"
            today.update(
                Content.assemble(("All done for now. ", "bold"), f"The next card is due {when}.")
            )
        self._describe()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _describe(self) -> None:
        key = self.query_one(DeckTable).current_key
        deck = self.app.ctx.library.deck(key) if key and key != ALL else None
        text = deck.description if deck else "Every deck together." if key == ALL else ""
        self.query_one("#deck-description", Static).update(
            render.deck_text(text) if text else Content()
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._study(event.row_key.value)

    def action_study(self) -> None:
        self._study(self.query_one(DeckTable).current_key)

    def action_study_all(self) -> None:
        self._study(ALL)

    def _study(self, key: str | None) -> None:
        if key is None:
            return
        self.app.action_study(None if key == ALL else [key])
