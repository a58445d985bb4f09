"""Custom study (+ on home or on the summary): Anki's ways to study beyond today's queue
(cards.custom_study). Pick one, type its number or search, Enter starts it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from app.tui import render
from app.tui.widgets.footer import FittingFooter
from cards.custom_study import KINDS, CustomStudyError, plan, session


class CustomStudyScreen(ModalScreen):
    DEFAULT_CSS = """
        #custom-dialog {
            max-width: 64;
            max-height: 95%;
        }
        #custom-kinds {
            width: 100%;
            border: none;
            padding: 0;
        }
        #custom-what {
            color: $text-muted;
            margin-top: 1;
        }
        #custom-problem {
            color: $text-error;
            height: auto;
        }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="custom.close"),
        Binding("enter", "start", "Start", id="custom.start"),
    ]

    def __init__(self, decks: list[str] | None = None, kind: str = "new"):
        super().__init__(classes="dialog-screen")
        self.decks = decks  # None: every deck
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield FittingFooter()  # this dialog's keys, not those of the screen under it
        with Vertical(id="custom-dialog", classes="dialog"):
            with RadioSet(id="custom-kinds"):
                for kind, (label, _, _) in KINDS.items():
                    yield RadioButton(label, value=kind == self.kind, id=f"custom-{kind}")
            yield Label("", id="custom-what")
            yield Input(id="custom-value", compact=True)
            yield Static("", id="custom-problem", markup=False)

    def on_mount(self) -> None:
        ctx = self.app.ctx
        names = [render.one_line(ctx.library.deck(d).name) for d in self.decks or ()
                 if ctx.library.deck(d)]  # fmt: skip
        dialog = self.query_one("#custom-dialog")
        dialog.border_title = Content(f"Custom study: {' · '.join(names) or 'All decks'}")
        dialog.border_subtitle = "Tab/↑↓ Space pick · Enter start · Esc close"
        self._choose(self.kind)

    def _choose(self, kind: str) -> None:
        self.kind = kind
        _, what, default = KINDS[kind]
        self.query_one("#custom-what", Label).update(what.capitalize())
        field = self.query_one("#custom-value", Input)
        field.value = "" if default is None else str(default)
        field.placeholder = "e.g. tag:safety, deck:advice, is:review" if default is None else ""
        self.query_one("#custom-problem", Static).update("")
        field.focus()

    @on(RadioSet.Changed, "#custom-kinds")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self._choose(event.pressed.id.removeprefix("custom-"))

    @on(Input.Submitted, "#custom-value")
    def _submitted(self) -> None:
        self.action_start()

    @on(Input.Changed, "#custom-value")
    def _typed(self) -> None:
        self.query_one("#custom-problem", Static).update("")

    def action_start(self) -> None:
        ctx = self.app.ctx
        problem = self.query_one("#custom-problem", Static)
        try:
            p = plan(self.kind, self.query_one("#custom-value", Input).value)
            s = session(p, ctx.store, ctx.library, ctx.settings, ctx.clock, self.decks)
        except CustomStudyError as e:
            problem.update(f"{str(e)[:1].upper()}{str(e)[1:]}.")
            return
        from app.tui import nav

        self.dismiss()
        self.app.push_screen(nav.screen_class("review")(self.decks, session=s, title=p.title))

    def action_close(self) -> None:
        self.dismiss()
