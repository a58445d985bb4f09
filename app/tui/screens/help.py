"""Help: every key of every screen, as the user has them ([keys] in config.toml applied),
with the binding ids to use there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from app.tui import nav
from app.tui.widgets.footer import FittingFooter

KEYS_WIDTH = 14
DESCRIPTION_WIDTH = 34


def help_content(app) -> Content:
    sections = []
    for title, bindings in nav.all_bindings():
        rows = _rows(app, bindings)
        if title == "Everywhere":
            rows += [("Ctrl+P", "Command palette: every action", ""), ("Ctrl+Q", "Quit", "")]
        sections.append((title, rows))
    lines: list[Content] = []
    for title, rows in sections:
        lines.append(Content.styled(title, "bold $text-accent"))
        for keys, description, ids in rows:
            if len(keys) >= KEYS_WIDTH:  # a long key list gets a line of its own
                lines.append(Content.assemble("  ", (keys, "bold")))
                keys = ""
            lines.append(
                Content.assemble(
                    "  ",
                    (keys.ljust(KEYS_WIDTH), "bold"),
                    description.ljust(DESCRIPTION_WIDTH),
                    (ids, "$text-muted"),
                )
            )
        lines.append(Content(""))
    lines.append(Content.styled("Searching in browse (and custom study)", "bold $text-accent"))
    for term, what in SEARCH_TERMS:
        lines.append(Content.assemble("  ", (term.ljust(KEYS_WIDTH + 4), "bold"), what))
    lines.append(Content(""))
    lines.append(
        Content.styled(
            'Change a key in <home>/config.toml, e.g.\n  [keys]\n  "review.bury" = "b"\n'
            "Themes: ctrl+t or the palette; the choice is saved.",
            "$text-muted",
        )
    )
    return Content("\n").join(lines)


# The search terms (cards.search), ANDed, as Anki's browser takes them.
SEARCH_TERMS = (
    ('word "two words"', "text anywhere on the card"),
    ("deck:ID", "a deck, by id or name (* matches any letters)"),
    ("tag:TAG", "a deck tag, or the app's: marked, leech"),
    ("is:new is:learn", "new cards, cards in their learning steps"),
    ("is:review is:due", "reviews; cards due today"),
    ("is:suspended", "suspended cards (is:buried: buried today)"),
    ("flag:N", "flag 1-7 (flag:0: no flag)"),
    ("prop:ivl>10", "interval in days (also <, <=, >=, =, !=)"),
    ("prop:due<=3", "days until due"),
    ("prop:r<0.8", "retrievability now (prop:s: stability)"),
    ("prop:reps prop:lapses", "repetitions, lapses"),
    ("-TERM", "not: -tag:safety, -is:new"),
)


def _rows(app, bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """Bindings that share an action and description (digits, rate keys) become one row."""
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for b in bindings:
        if b.action.startswith("app.") and bindings is not nav.APP_BINDINGS:
            continue  # an app key repeated on a screen (to hide it from the footer)
        description = b.description
        if b.action.startswith("pick("):
            description = "Pick an option (choice, verdict)"
        elif b.action.startswith("rate("):
            description = "Rate Again / Hard / Good / Easy"
        keys, ids = rows.setdefault(description, ([], []))
        keys.append(nav.key_text(app, b))
        if b.id:
            ids.append(b.id)
    out = []
    for description, (keys, ids) in rows.items():
        if len(keys) > 2:
            key_label = f"{keys[0]}-{keys[-1]}"
            id_label = f"{ids[0]}…{ids[-1].rsplit('.', 1)[-1]}" if ids else ""
        else:
            key_label = ", ".join(keys)
            id_label = ", ".join(ids)
        out.append((key_label, description, id_label))
    return out


class HelpScreen(Screen):
    DEFAULT_CSS = """
        #help {
            padding: 1 2;
        }
    """
    VIEW = True
    BINDINGS = [Binding("escape,q,question_mark", "back", "Back", id="help.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(id="help-keys", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Keys"
        self.query_one("#help-keys", Static).update(help_content(self.app))

    def action_back(self) -> None:
        self.app.back()
