"""Browse: every card with its deck, kind, state, due date, stability and retrievability.

Incremental search (cards.search: text, deck:, tag:, is:, prop:, -negation), filters by
deck, tag and state; Enter opens a card whole.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from app.tui import render
from app.tui.actions import report_store_errors
from app.tui.nav import hidden_app_keys
from app.tui.widgets.card_table import CardRow, CardTable
from app.tui.widgets.footer import FittingFooter
from cards.days import study_day, today_bounds
from cards.state import STATE_NAMES, CardState
from cards.store import StoreError

STATES = ("new", "learning", "review", "relearning", "suspended", "buried", "due")


def state_name(state: CardState, today: date) -> str:
    if state.suspended:
        return "suspended"
    if state.buried_until and state.buried_until > today:
        return "buried"
    return STATE_NAMES[state.state]


class BrowseScreen(Screen):
    DEFAULT_CSS = """
        #search {
            margin: 1 1 0 1;
        }
        #filters {
            height: 1;
            margin: 1 1;
            Select {
                width: 1fr;
                margin-right: 1;
            }
        }
        #cards {
            height: 1fr;
        }
        #browse-status {
            height: 1;
            padding: 0 1;
            color: $text-muted;
        }
    """
    VIEW = True
    BINDINGS = [
        Binding("slash", "search", "Search", id="browse.search"),
        Binding("enter", "open", "Open card", id="browse.open"),
        Binding("space", "select", "Select", id="browse.select"),
        Binding("ctrl+a", "select_all", "Select all", show=False, id="browse.select_all"),
        Binding("at", "toggle_suspend", "Suspend/unsuspend", id="browse.suspend"),
        Binding("F", "forget", "Forget", id="browse.forget"),
        Binding("D", "set_due", "Set due date", id="browse.set_due"),
        Binding("u,ctrl+z", "undo", "Undo", id="browse.undo"),
        *render.flag_bindings("browse"),
        Binding("e", "edit", "Edit note", id="browse.edit"),
        Binding("o", "sort", "Sort", id="browse.sort"),
        Binding("O", "sort_reverse", "Reverse sort", show=False, id="browse.sort_reverse"),
        Binding("ctrl+r", "clear", "Clear filters", id="browse.clear"),
        Binding("escape,q", "back", "Back", id="browse.back"),
        *hidden_app_keys("stats", "export"),
    ]

    class Loaded(Message):
        """Every card's row, read by the worker."""

        def __init__(self, rows: list[CardRow], now):
            super().__init__()
            self.rows = rows
            self.now = now

    def __init__(self):
        super().__init__()
        self.all_rows: list[CardRow] = []
        self.search_text: dict[str, str] = {}
        self.candidates: dict[str, object] = {}  # key -> cards.search.Candidate
        self.now = None
        self.problem: str | None = None  # what is wrong with the search, if anything
        self.undo_stack: list[tuple[str, object]] = []  # (what was done, how to take it back)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Search: words, deck:ID, tag:T, is:due, prop:ivl>10, -not  ( / )",
            id="search",
            compact=True,
        )
        with Horizontal(id="filters"):
            decks = [(Text(render.one_line(d.name)), d.id) for d in self.app.ctx.library.decks]
            tags = sorted({t for c in self.app.ctx.library.cards() for t in c.note.tags})
            yield Select(decks, prompt="All decks", id="deck-filter", compact=True)
            yield Select(
                [(Text(t), t) for t in tags], prompt="All tags", id="tag-filter", compact=True
            )
            yield Select(
                [(s, s) for s in STATES], prompt="Any state", id="state-filter", compact=True
            )
        yield CardTable(id="cards")
        yield Static(id="browse-status", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.load()
        self.query_one(CardTable).focus()

    def on_screen_resume(self) -> None:
        if self.all_rows:
            self.load()

    on_worker_state_changed = report_store_errors

    @work(thread=True, exclusive=True, group="browse", exit_on_error=False)
    def load(self) -> None:
        """Read every card's state (off the event loop: a large collection takes a while);
        the rows that pass the search and filters are shown when they arrive."""
        from cards.scheduler import retrievability
        from cards.search import candidate, haystack

        ctx = self.app.ctx
        now = ctx.clock()
        today = study_day(now, ctx.settings.day_starts_at)
        states = ctx.store.states()
        flags, app_tags = ctx.store.flags(), ctx.store.note_tags()
        rows = []
        for deck in ctx.library.decks:
            name = render.one_line(deck.name)
            for card in deck.cards:
                state = states.get(card.key) or CardState(card.key)
                r = retrievability(ctx.settings.for_deck(card.deck_id), state, now)
                text = self.search_text.setdefault(card.key, haystack(card, name))
                self.candidates[card.key] = candidate(
                    card, name, state, text, r, now, ctx.settings.day_starts_at,
                    flags.get(card.key, 0), app_tags.get(card.note_key, ()),
                )  # fmt: skip
                rows.append(
                    CardRow(
                        card=card,
                        question=render.question_text(card),
                        deck=deck.id,
                        state=state_name(state, today),
                        due=state.due,
                        stability=state.stability,
                        retrievability=r,
                    )
                )
        self.post_message(self.Loaded(rows, now))

    def on_browse_screen_loaded(self, message: Loaded) -> None:
        self.all_rows = message.rows
        self.now = message.now
        self.refilter()

    def refilter(self) -> None:
        if self.now is None:  # nothing read yet: the rows come with Loaded
            return
        from cards.search import SearchError, matcher

        problem = None
        try:
            matches = matcher(self.query_one("#search", Input).value)
        except SearchError as e:  # said below the table; the other filters still apply
            problem, matches = str(e), None
        deck = self._filter("#deck-filter")
        tag = self._filter("#tag-filter")
        state = self._filter("#state-filter")
        _, day_end = today_bounds(self.now, self.app.ctx.settings.day_starts_at)
        shown = []
        for row in self.all_rows:
            if deck and row.card.deck_id != deck:
                continue
            if tag and tag not in row.card.note.tags:
                continue
            if state == "due":
                if (
                    row.due is None
                    or row.due >= day_end
                    or row.state in ("suspended", "buried", "new")
                ):
                    continue
            elif state and row.state != state:
                continue
            if matches is not None and not matches(self.candidates[row.card.key]):
                continue
            shown.append(row)
        self.query_one(CardTable).load(shown, self.now)
        self.problem = problem
        self.refilter_status()

    def refilter_status(self) -> None:
        """The line under the table: how many cards are shown and picked, the search's
        problem."""
        table = self.query_one(CardTable)
        shown = table.rows_shown
        status = [(str(len(shown)), "bold"), f" of {len(self.all_rows)} cards"]
        picked = sum(r.card.key in table.selected for r in shown)
        if picked:
            status += ["  ·  ", (str(picked), "bold"), " selected (Esc lets go)"]
        if self.problem:
            status += ["  ·  ", (f"search: {self.problem}", "$text-error")]
        self.query_one("#browse-status", Static).update(Content.assemble(*status))

    def _filter(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one(CardTable).focus()

    def action_sort(self) -> None:
        """Sort by the next column (o), as a click on a column's header does."""
        from app.tui.widgets.card_table import ORDER

        table = self.query_one(CardTable)
        at = ORDER.index(table.sort_key) + 1 if table.sort_key in ORDER else 0
        self._sort(ORDER[at] if at < len(ORDER) else None, False)

    def action_sort_reverse(self) -> None:
        table = self.query_one(CardTable)
        self._sort(table.sort_key or "due", not table.sort_reverse)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        table = self.query_one(CardTable)
        key = event.column_key.value
        self._sort(key, not table.sort_reverse if key == table.sort_key else False)

    def _sort(self, key: str | None, reverse: bool) -> None:
        table = self.query_one(CardTable)
        table.sort_key, table.sort_reverse = key, reverse
        self.refilter()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_open(self) -> None:
        from app.tui.screens.card import CardScreen

        row = self.query_one(CardTable).current_row
        if row is not None:
            self.app.push_screen(CardScreen(row.card))

    def action_select(self) -> None:
        table = self.query_one(CardTable)
        row = table.current_row
        if row is not None:
            table.toggle_selected(row)
            table.action_cursor_down()
            self.refilter_status()

    def action_select_all(self) -> None:
        self.query_one(CardTable).select_all()
        self.refilter_status()

    def _targets(self) -> list[str]:
        return [r.card.key for r in self.query_one(CardTable).targets]

    def _change(self, what: str, do, undo) -> None:
        """Run the store change `do()`; on success remember `undo` and read the rows
        again, on failure say why (nothing was changed: each is one transaction)."""
        try:
            do()
        except StoreError as e:
            self.notify(f"Not changed: {e}.", severity="error", markup=False)
            return
        self.undo_stack.append((what, undo))
        self.notify(what, timeout=3, markup=False)
        self.load()

    def action_toggle_suspend(self) -> None:
        """Suspend the cards (all of them if one is not), as Anki's Toggle Suspend."""
        keys = self._targets()
        if not keys:
            return
        store = self.app.ctx.store
        was = {k: store.get(k).suspended for k in keys}
        on = not all(was.values())
        self._change(
            f"{'Suspended' if on else 'Unsuspended'} {_cards(len(keys))}",
            lambda: store.set_suspensions(dict.fromkeys(keys, on)),
            lambda: store.set_suspensions(was),
        )

    def action_flag(self, flag: int) -> None:
        """Flag the cards `flag`, or take it off if the one under the cursor has it."""
        keys = self._targets()
        if not keys:
            return
        store = self.app.ctx.store
        current = self.query_one(CardTable).current_row
        was = {k: store.flag_of(k) for k in keys}
        now = 0 if current is not None and was.get(current.card.key) == flag else flag
        name = render.FLAGS[flag][0].lower()
        self._change(
            f"Flagged {name}: {_cards(len(keys))}"
            if now
            else f"Flag taken off {_cards(len(keys))}",
            lambda: store.set_flags(dict.fromkeys(keys, now)),
            lambda: store.set_flags(was),
        )

    def action_forget(self) -> None:
        self._reschedule("forget")

    def action_set_due(self) -> None:
        self._reschedule("due")

    def _reschedule(self, how: str) -> None:
        from app.tui.screens.reschedule import RescheduleScreen

        keys = self._targets()
        if not keys:
            return
        ctx = self.app.ctx
        states = [ctx.store.get(k) for k in keys]

        def done(new: list[CardState] | None) -> None:
            if new is None:
                return
            if not new:
                self.notify("Nothing to change: those cards are new already.", timeout=3)
                return
            store, ids = ctx.store, []
            what = "Forgot" if how == "forget" else "Set the due date of"
            self._change(
                f"{what} {_cards(len(new))}",
                lambda: ids.extend(store.set_by_hand(new, ctx.clock())),
                lambda: store.undo_by_hand(ids, ctx.clock()),
            )

        self.app.push_screen(RescheduleScreen(how, states, ctx.clock()), done)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo in browse.", timeout=3)
            return
        what, undo = self.undo_stack[-1]
        try:
            undo()
        except StoreError as e:  # (UndoRefused among them)
            self.notify(f"Cannot undo {what[:1].lower()}{what[1:]}: {e}.", severity="error",
                        markup=False)  # fmt: skip
            return
        self.undo_stack.pop()
        self.notify(f"Undone: {what[:1].lower()}{what[1:]}", timeout=3, markup=False)
        self.load()

    def action_edit(self) -> None:
        from app.tui.actions import edit_note

        row = self.query_one(CardTable).current_row
        if row is not None:
            edit_note(self, row.card)
            self.search_text.clear()
            self.load()  # (the rows' text as the file has it now)

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""
        for select in self.query(Select):
            select.clear()

    def action_back(self) -> None:
        table = self.query_one(CardTable)
        if self.focused is not None and self.focused.id == "search":
            table.focus()
        elif table.selected:  # (Esc lets go of the picked cards first)
            table.clear_selection()
            self.refilter_status()
        else:
            self.app.back()


def _cards(n: int) -> str:
    return f"{n} card{'s' * (n != 1)}"
