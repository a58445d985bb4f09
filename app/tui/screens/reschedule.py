"""Forget and Set due date, from browse: a dialog that asks what Anki's asks (reset the
counts? how many days?) and dismisses with the states to set (cards.manual), or None."""

from __future__ import annotations

import random

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from app.tui.widgets.footer import FittingFooter
from cards import manual
from cards.state import CardState


class RescheduleScreen(ModalScreen[list[CardState] | None]):
    DEFAULT_CSS = """
        #reschedule-dialog {
            max-width: 60;
        }
        #reschedule-what {
            color: $text-muted;
            width: 100%;
        }
        #reschedule-problem {
            color: $text-error;
            height: auto;
        }
    """
    BINDINGS = [
        Binding("escape", "close", "Cancel", id="reschedule.close"),
        Binding("enter", "apply", "Apply", id="reschedule.apply"),
        Binding("c", "counts", "Reset counts", id="reschedule.counts"),
    ]
    # Nothing focused at first in Forget (Enter applies; c or a click ticks the box); the
    # field in Set due date, whose Enter applies once the keys typed before it are in.
    AUTO_FOCUS = ""

    def __init__(self, how: str, states: list[CardState], now, rng: random.Random | None = None):
        super().__init__(classes="dialog-screen")
        self.how = how  # "forget" or "due"
        self.states = states
        self.now = now
        self.rng = rng or random.Random()

    def compose(self) -> ComposeResult:
        n = len(self.states)
        these = "This card" if n == 1 else f"These {n} cards"
        yield FittingFooter()
        with Vertical(id="reschedule-dialog", classes="dialog"):
            if self.how == "forget":
                yield Label(
                    f"{these} {'becomes' if n == 1 else 'become'} new again;"
                    " the review history stays.",
                    id="reschedule-what",
                )
                yield Checkbox("Reset repetition and lapse counts (c)", id="reschedule-counts")
            else:
                yield Label(
                    f"{these} {'is' if n == 1 else 'are'} due in how many days? 0 today,"
                    f" 1 tomorrow, 3-7 a day from 3 to 7{' for each' if n > 1 else ''}.",
                    id="reschedule-what",
                )
                # (selected once, at mount: selecting on focus too raced the first keys)
                yield Input(value="0", id="reschedule-days", compact=True, select_on_focus=False)
            yield Static("", id="reschedule-problem", markup=False)

    def on_mount(self) -> None:
        dialog = self.query_one("#reschedule-dialog")
        dialog.border_title = Content("Forget" if self.how == "forget" else "Set due date")
        dialog.border_subtitle = "Enter apply · Esc cancel"
        if self.how == "due":
            field = self.query_one("#reschedule-days", Input)
            field.focus()
            field.action_select_all()

    @on(Input.Submitted, "#reschedule-days")
    def _submitted(self) -> None:
        self.action_apply()

    def check_action(self, action: str, parameters) -> bool | None:
        return action != "counts" or self.how == "forget"

    def action_counts(self) -> None:
        self.query_one("#reschedule-counts", Checkbox).toggle()

    def action_apply(self) -> None:
        if self.how == "forget":
            reset = self.query_one("#reschedule-counts", Checkbox).value
            new = [manual.forget(s, reset) for s in self.states]
        else:
            try:
                spec = manual.parse_due(self.query_one("#reschedule-days", Input).value)
            except manual.DueSpecError as e:
                self.query_one("#reschedule-problem", Static).update(f"Not a due date: {e}.")
                return
            new = [manual.set_due(s, spec.days(self.rng), self.now) for s in self.states]
        self.dismiss([n for n, s in zip(new, self.states, strict=True) if manual.changed(s, n)])

    def action_close(self) -> None:
        self.dismiss(None)
