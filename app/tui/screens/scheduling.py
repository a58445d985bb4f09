"""Scheduling: fit FSRS to your own reviews (cards.optimize), as `heartcards optimize`
does, in a worker; shows both scores on the newest fifth of the reviews, and Enter saves
the fitted parameters (every card's memory worked out again, due dates kept)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from app.tui.render import one_line
from app.tui.widgets.footer import FittingFooter


class SchedulingScreen(ModalScreen):
    DEFAULT_CSS = """
        #fit-dialog {
            max-width: 72;
        }
        #fit-text {
            width: 100%;
            height: auto;
        }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="scheduling.close"),
        Binding("enter", "save", "Use them", id="scheduling.save"),
    ]

    class Fitted(Message):
        """The worker's result: a Fit, or the reason there is none."""

        def __init__(self, fit=None, problem: str = ""):
            super().__init__()
            self.fit, self.problem = fit, problem

    class Saved(Message):
        def __init__(self, cards: int = 0, problem: str = ""):
            super().__init__()
            self.cards, self.problem = cards, problem

    def __init__(self, deck: str | None = None):
        super().__init__(classes="dialog-screen")
        self.deck = deck  # fit this deck's reviews, for its [decks.ID] table; None: all
        self.fit = None
        self.rows = None
        self.saving = False

    def compose(self) -> ComposeResult:
        yield FittingFooter()  # this dialog's keys, not those of the screen under it
        with Vertical(id="fit-dialog", classes="dialog"):
            yield Static("Fitting FSRS to your reviews ...", id="fit-text", markup=False)

    def on_mount(self) -> None:
        dialog = self.query_one("#fit-dialog")
        deck = self.deck and self.app.ctx.library.deck(self.deck)
        dialog.border_title = Content(  # (a deck's name is text, never markup)
            f"Scheduling: FSRS fitted to {one_line(deck.name)}"
            if deck
            else "Scheduling: FSRS fitted to you"
        )
        dialog.border_subtitle = "Esc close"
        self.run_fit()

    @work(thread=True, exclusive=True, group="fit", exit_on_error=False)
    def run_fit(self) -> None:
        from cards import optimize

        ctx = self.app.ctx
        # all reviews but those of decks with parameters of their own, or one deck's
        self.rows = optimize.rows_for(ctx.store, ctx.settings, self.deck)
        settings = ctx.settings if self.deck is None else ctx.settings.for_deck(self.deck)
        try:
            self.post_message(self.Fitted(optimize.fit(self.rows, settings, ctx.clock())))
        except optimize.TooFewReviews as e:
            self.post_message(self.Fitted(problem=str(e)))

    def on_scheduling_screen_fitted(self, message: Fitted) -> None:
        from cards import optimize

        self.fit = fit = message.fit
        text = self.query_one("#fit-text", Static)
        if fit is None:
            text.update(Content(message.problem.capitalize() + "."))
            self.refresh_bindings()
            return
        held = fit.items - int(fit.items * (1 - optimize.HELD_OUT))
        settings = self.app.ctx.settings
        if self.deck is not None:
            settings = settings.for_deck(self.deck)
        in_use = "in use (yours)" if settings.fsrs_params else "in use (defaults)"
        parts: list = [
            f"{fit.reviews:,} reviews, {fit.items:,} training items (as Anki counts them).\n",
            f"On the newest {held:,}, after fitting on the older ones:\n\n",
            (f"{'parameters':<20}{'log loss':<12}RMSE\n", "$text-muted"),
            (f"{in_use:<20}", "$text-muted"),
            f"{fit.current.log_loss:<12.4f}{fit.current.rmse:.4f}\n",
            (f"{'fitted':<20}", "$text-muted"),
            (f"{fit.fitted.log_loss:<12.4f}{fit.fitted.rmse:.4f}", "bold"),
            "\n\n",
        ]  # fmt: skip
        if fit.partial:
            parts.append("Few reviews yet: only the initial stabilities are fitted.\n")
        if fit.kept_current:
            parts.append("The parameters in use fit your reviews as well: nothing to change.")
        else:
            parts.append(("Enter uses the fitted parameters from now on", "$text-accent"))
            parts.append(" (every card's memory worked out again, due dates kept).")
        text.update(Content.assemble(*parts))
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save":
            return self.fit is not None and not self.fit.kept_current and not self.saving
        return True

    def action_save(self) -> None:
        self.saving = True
        self.refresh_bindings()
        self.query_one("#fit-text", Static).update("Working out every card's memory ...")
        self.save()

    @work(thread=True, exclusive=True, group="fit", exit_on_error=False)
    def save(self) -> None:
        from cards import optimize
        from cards.store import StoreError

        ctx = self.app.ctx
        try:
            cards = optimize.apply(ctx.store, ctx.settings, ctx.home, self.fit.parameters,
                                   ctx.clock(), self.rows, self.deck)  # fmt: skip
        except (OSError, StoreError) as e:
            self.post_message(self.Saved(problem=str(e)))
            return
        self.post_message(self.Saved(cards))

    def on_scheduling_screen_saved(self, message: Saved) -> None:
        if message.problem:
            self.notify(f"Not saved, nothing changed: {message.problem}", severity="error",
                        markup=False)  # fmt: skip
            self.saving = False
            self.refresh_bindings()
            return
        self.app.ctx.reload_settings()  # (apply saved them, with the deck's if one)
        self.notify(f"FSRS fitted to you: the memory of {message.cards:,} cards is worked out"
                    " again; intervals use the new parameters from now on.", markup=False)  # fmt: skip
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
