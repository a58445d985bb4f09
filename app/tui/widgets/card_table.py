"""Every card in a table: question, deck, kind, state, due date, stability, retrievability.

Cells are Rich Text built from plain strings, so deck text is never read as markup.
The question column takes whatever width the others leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

from cards.model import Card


@dataclass
class CardRow:
    card: Card
    question: str
    deck: str
    state: str  # new, learning, review, relearning, suspended, buried
    due: datetime | None
    stability: float | None
    retrievability: float | None


STATE_SHORT = {"learning": "learn", "relearning": "relearn", "suspended": "susp."}
# (label, key, width); the question column gets the rest.
COLUMNS = (("Deck", "deck", 8), ("Kind", "kind", 7), ("State", "state", 7), ("Due", "due", 10))
NUMBERS = (("Stab.", "stability", 6), ("R", "r", 4))


# column key -> what a row sorts by (cards without one, e.g. a new card's due, go last)
SORTS = {
    "question": lambda r: r.question.casefold(),
    "deck": lambda r: r.deck,
    "kind": lambda r: r.card.label,
    "state": lambda r: r.state,
    "due": lambda r: r.due,
    "stability": lambda r: r.stability,
    "r": lambda r: r.retrievability,
}
ORDER = tuple(SORTS)  # the column o sorts by next


def sorted_rows(rows: list[CardRow], key: str | None, reverse: bool = False) -> list[CardRow]:
    """`rows` by column `key` (None: as they came, in deck order); rows without a value
    last either way (a new card has no due date)."""
    if key is None:
        return list(rows)
    get = SORTS[key]
    having = [r for r in rows if get(r) is not None]
    return sorted(having, key=get, reverse=reverse) + [r for r in rows if get(r) is None]


def stability_text(days: float | None) -> str:
    if days is None:
        return "–"
    if days < 100:
        return f"{days:.1f}d"
    if days < 365:
        return f"{days:.0f}d"
    return f"{days / 365:.1f}y"


class CardTable(DataTable):
    # a list's Home and End: its first and last row (DataTable's go to a row's ends)
    BINDINGS = [
        Binding("home", "scroll_top", "First card", show=False, id="browse.first"),
        Binding("end", "scroll_bottom", "Last card", show=False, id="browse.last"),
    ]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_shown: list[CardRow] = []
        self.now: datetime | None = None
        self._built_for = 0
        self.sort_key: str | None = None  # the column the rows are sorted by
        self.sort_reverse = False
        self.selected: set[str] = set()  # the keys of the cards picked for an action

    def _question_width(self) -> int:
        pad = 2 * self.cell_padding
        fixed = sum(w + pad for *_, w in COLUMNS + NUMBERS) + pad + 2  # + the scrollbar
        return max(16, self.size.width - fixed)

    def _label(self, label: str, key: str) -> str:
        if key != self.sort_key:
            return label
        return f"{label}{'▼' if self.sort_reverse else '▲'}"

    def _build_columns(self) -> None:
        self.clear(columns=True)
        self.add_column(self._label("Card", "question"), key="question",
                        width=self._question_width())  # fmt: skip
        for label, key, width in COLUMNS:
            self.add_column(self._label(label, key), key=key, width=width)
        for label, key, width in NUMBERS:
            self.add_column(Text(self._label(label, key), justify="right"), key=key, width=width)
        self._built_for = self.size.width

    def on_resize(self, event: events.Resize) -> None:
        if self.size.width != self._built_for and self.now is not None:
            self.load(self.rows_shown, self.now)

    def load(self, rows: list[CardRow], now: datetime) -> None:
        current = self.current_row
        rows = sorted_rows(rows, self.sort_key, self.sort_reverse)
        self.rows_shown, self.now = rows, now
        self._build_columns()
        for row in rows:
            self.add_row(*self._cells(row, now), key=row.card.key)
        keys = [r.card.key for r in rows]
        if current is not None and current.card.key in keys:
            self.move_cursor(row=keys.index(current.card.key), animate=False)

    def _cells(self, row: CardRow, now: datetime) -> list[Text]:
        state_style = {"new": "bold", "suspended": "dim", "buried": "dim"}.get(row.state, "")
        due = "–"
        due_style = ""
        if row.due is not None and row.state not in ("new",):
            local = row.due.astimezone(now.tzinfo)
            due = (
                local.strftime("%Y-%m-%d")
                if local.date() != now.date()
                else local.strftime("%H:%M")
            )
            if row.due <= now:
                due_style = "bold"
        r = "–" if row.retrievability is None else f"{row.retrievability:.0%}"
        return [
            self._question(row),
            Text(row.deck, no_wrap=True, overflow="ellipsis"),
            Text(row.card.label),
            Text(STATE_SHORT.get(row.state, row.state), style=state_style),
            Text(due, style=due_style),
            Text(stability_text(row.stability), justify="right"),
            Text(r, justify="right"),
        ]

    def _question(self, row: CardRow) -> Text:
        if row.card.key in self.selected:
            return Text(f"• {row.question}", style="bold", no_wrap=True, overflow="ellipsis")
        return Text(row.question, no_wrap=True, overflow="ellipsis")

    def toggle_selected(self, row: CardRow) -> None:
        """Pick the card `row` for the next action, or take it out."""
        self.selected ^= {row.card.key}
        self.update_cell(row.card.key, "question", self._question(row))

    def select_all(self) -> None:
        self.selected = {r.card.key for r in self.rows_shown}
        self.load(self.rows_shown, self.now)

    def clear_selection(self) -> None:
        self.selected = set()
        self.load(self.rows_shown, self.now)

    @property
    def targets(self) -> list[CardRow]:
        """The cards an action is for: those picked that are shown, else the one under the
        cursor."""
        picked = [r for r in self.rows_shown if r.card.key in self.selected]
        if picked:
            return picked
        row = self.current_row
        return [] if row is None else [row]

    @property
    def current_row(self) -> CardRow | None:
        if not self.row_count or not self.rows_shown:
            return None
        index = self.cursor_row
        return self.rows_shown[index] if 0 <= index < len(self.rows_shown) else None
