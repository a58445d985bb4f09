"""Home: every deck with its new / learning / due-today counts and a total; study one or all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from app.tui import render
from app.tui.actions import report_store_errors
from app.tui.widgets.deck_table import ALL, DeckRow, DeckTable
from app.tui.widgets.footer import FittingFooter


@dataclass(frozen=True)
class Today:
    """What home shows: a row per deck (and a total), and when the next card is due."""

    rows: list[DeckRow]
    counts: tuple[int, int, int]  # new, learning, due over every deck
    next_due: datetime | None
    now: datetime
    held: dict = field(default_factory=dict)  # row key -> Held: today's limits there


def limit_line(held) -> Content:
    """What a daily limit holds back, and the way past it (custom study)."""
    parts = []
    if held.new:
        parts.append(f"{held.new_done} new card{'s' * (held.new_done != 1)}")
    if held.reviews:
        parts.append(f"{held.reviews_done} review{'s' * (held.reviews_done != 1)}")
    if not parts:
        return Content()
    return Content.assemble(" and ".join(parts), " done today: ", ("+", "bold"), " to study more")


class HomeScreen(Screen):
    DEFAULT_CSS = """
        #home {
            padding: 1 2 0 2;
        }
        #home-problems {
            height: auto;
            color: $text-warning;
            display: none;
        }
        #home-problems.-shown {
            display: block;
            margin-bottom: 1;
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
        #home-limits {
            height: auto;
            margin-top: 1;
            color: $text-warning;
        }
    """
    BINDINGS = [
        Binding("enter", "study", "Study deck", id="home.study"),
        Binding("a", "study_all", "Study all", id="home.study_all"),
        Binding("r", "refresh", "Refresh", show=False, id="home.refresh"),
        Binding("p", "problems", "Deck problems", id="home.problems"),
        Binding("plus", "custom_study", "Custom study", id="home.custom_study"),
        Binding("y", "sync", "Sync", show=False, id="home.sync"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="home-problems", markup=False)
            yield Static(id="home-today", markup=False)
            yield DeckTable(id="decks")
            yield Static(id="home-limits", markup=False)
            yield Static(id="deck-description", markup=False)
        yield FittingFooter()

    class Loaded(Message):
        """Today's counts, read by the worker."""

        def __init__(self, today: Today):
            super().__init__()
            self.today = today

    def __init__(self):
        super().__init__()
        self.loaded = False
        self.today: Today | None = None
        self.pending: str | None = None  # Enter or a before the counts came: study then

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        errors = self.app.ctx.library.errors
        if errors:
            from app.tui.screens.problems import files_with_problems

            n = files_with_problems(errors)
            line = self.query_one("#home-problems", Static)
            line.update(f"{n} deck file{'s' * (n != 1)} with problems: p shows them")
            line.add_class("-shown")
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.action_refresh())

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    on_worker_state_changed = report_store_errors

    @work(thread=True, exclusive=True, group="home", exit_on_error=False)
    def load(self) -> None:
        """Count every deck's cards for today, off the event loop (large collections)."""
        ctx = self.app.ctx
        rows = []
        held = {}
        for deck in ctx.library.decks:
            one = ctx.session([deck.id])
            new, learning, due = one.counts()
            held[deck.id] = one.held()
            rows.append(
                DeckRow(deck.id, render.one_line(deck.name), new, learning, due, len(deck.cards))
            )
        everything = ctx.session()
        counts = everything.counts()
        held[ALL] = everything.held()
        if len(rows) > 1:
            cards = sum(r.cards for r in rows)
            rows.append(DeckRow(ALL, "All decks", *counts, cards))
        nxt = None if sum(counts) else everything.next_due()
        self.post_message(self.Loaded(Today(rows, counts, nxt, everything.clock(), held)))

    def on_home_screen_loaded(self, message: Loaded) -> None:
        ctx = self.app.ctx
        today_counts = message.today
        self.today = today_counts
        self.query_one(DeckTable).load(today_counts.rows)
        new, learning, due = today_counts.counts
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
            nxt = today_counts.next_due
            when = render.until(nxt, today_counts.now) if nxt else "when you add cards"
            today.update(
                Content.assemble(("All done for now. ", "bold"), f"The next card is due {when}.")
            )
        self._describe()
        self.loaded = True
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._study(pending)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "problems":
            return bool(self.app.ctx.library.errors)
        if action == "custom_study":
            return bool(self.app.ctx.library.decks)
        return True

    def action_custom_study(self) -> None:
        from app.tui import nav

        key = self.query_one(DeckTable).current_key
        if key is None:
            return
        held = self.today.held.get(key) if self.today else None
        kind = "reviews" if held and held.reviews and not held.new else "new"
        self.app.push_screen(nav.screen_class("custom_study")(None if key == ALL else [key], kind))

    def action_sync(self) -> None:
        self.app.action_sync()

    def action_problems(self) -> None:
        from app.tui import nav

        self.app.open_view(nav.screen_class("problems")())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _describe(self) -> None:
        key = self.query_one(DeckTable).current_key
        deck = self.app.ctx.library.deck(key) if key and key != ALL else None
        text = deck.description if deck else "Every deck together." if key == ALL else ""
        self.query_one("#deck-description", Static).update(
            render.deck_text(text) if text else Content()
        )
        held = self.today.held.get(key) if self.today and key else None
        self.query_one("#home-limits", Static).update(limit_line(held) if held else Content())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._study(event.row_key.value)

    def action_study(self) -> None:
        self._study(self.query_one(DeckTable).current_key if self.loaded else "current")

    def action_study_all(self) -> None:
        self._study(ALL)

    def _study(self, key: str | None) -> None:
        if not self.loaded:  # the counts are on their way: study when they are in
            self.pending = key
            return
        if key == "current":
            key = self.query_one(DeckTable).current_key
        if key is None:
            return
        self.app.action_study(None if key == ALL else [key])
