"""The decks on the home screen, with new / learning / due counts and a total row."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

ALL = "__all__"  # row key of the total row: study every deck


@dataclass
class DeckRow:
    key: str  # deck id, or ALL
    name: str
    new: int
    learning: int
    due: int
    cards: int


class DeckTable(DataTable):
    """DataTable cells are Rich Text built from plain strings: deck names are never markup."""

    # The table has the focus, so its Enter is the one the footer shows.
    BINDINGS = [
        Binding("enter", "select_cursor", "Study", id="home.study"),
        # a list's Home and End: its first and last row (DataTable's go to a row's ends)
        Binding("home", "scroll_top", "First deck", show=False, id="home.first"),
        Binding("end", "scroll_bottom", "Last deck", show=False, id="home.last"),
    ]
    COLUMNS = (
        ("Deck", "deck"),
        ("New", "new"),
        ("Learn", "learning"),
        ("Due", "due"),
        ("Cards", "cards"),
    )

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        self._add_columns([])

    def _add_columns(self, rows: list[DeckRow]) -> None:
        # Widths given, not measured: a DataTable measures new rows when next idle, and a
        # header drawn before that kept its old widths (misaligned on a slow load).
        for label, key in self.COLUMNS:
            cells = [row.name if key == "deck" else str(getattr(row, key)) for row in rows]
            width = max(cell_len(c) for c in (label, *cells))
            justify = "left" if key == "deck" else "right"
            self.add_column(Text(label, justify=justify), key=key, width=width)

    def _style(self, variable: str) -> Style:
        return Style(color=self.app.theme_variables.get(variable), bold=True)

    def load(self, rows: list[DeckRow]) -> None:
        """Replace the rows, keeping the cursor on the same deck."""
        current = self.current_key
        self.clear(columns=True)
        self._add_columns(rows)
        for row in rows:
            total = row.key == ALL
            name = Text(row.name, style="bold" if total else "")
            self.add_row(
                name,
                self._count(row.new, "text-primary"),
                self._count(row.learning, "text-error"),
                self._count(row.due, "text-success"),
                Text(str(row.cards), justify="right", style="dim"),
                key=row.key,
            )
        keys = [row.key for row in rows]
        if current in keys:
            self.move_cursor(row=keys.index(current), animate=False)

    def _count(self, n: int, variable: str) -> Text:
        return Text(str(n), justify="right", style=self._style(variable) if n else "dim")

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
