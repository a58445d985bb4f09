"""Review: one card at a time.

Space/Enter shows the answer, 1-4 rate with the interval on each button. How a card is
asked and answered is its kind's face (app/tui/faces/): choice and verdict cards are
answered by number (1-9, or arrows and Enter), typed cards by typing. The grade the answer
suggests (wrong -> Again, right -> Good) is selected, Enter/Space accepts it, 1-4 or the
arrows change it. u undoes (answers, buries and suspends, several steps).

An answer that cannot be saved (another process holds the collection's write lock, the
disk is full) keeps its card on screen with a line saying why, and is saved by itself as
soon as it can be: the next card shows only once the answer is in the collection.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from app.tui import render
from app.tui.faces import Face
from app.tui.nav import hidden_app_keys
from app.tui.widgets.card_view import CardView
from app.tui.widgets.rating_bar import RatingBar
from app.tui.widgets.session_progress import SessionProgress
from cards import kinds
from cards.model import Card
from cards.state import STATE_NAMES, Rating
from cards.store import StoreError, UndoRefused, WriteFailed

MAX_ANSWER_SECONDS = 60  # Anki's cap on the time recorded for one card
RETRY_SECONDS = 1.0  # how often an answer that could not be saved is tried again


class Answer:
    """One answer of this session, for the summary."""

    __slots__ = ("card", "rating", "correct", "duration_ms")

    def __init__(self, card: Card, rating: Rating, correct: bool | None, duration_ms: int):
        self.card = card
        self.rating = rating
        self.correct = correct  # whether the answer was right (None: graded by the learner)
        self.duration_ms = duration_ms


Phase = Literal["question", "answer", "done"]


class ReviewScreen(Screen):
    DEFAULT_CSS = """
    ReviewScreen {
        #card-scroll {
            height: 1fr;
            padding: 1 2 0 2;
            align-horizontal: center;
            scrollbar-gutter: stable;  /* (a scrollbar that comes moves nothing) */
        }
        #save-problem {
            display: none;
            width: 100%;
            padding: 0 2;
            background: $error-muted;
            color: $text;
        }
        #save-problem.-shown {
            display: block;
        }
    }
    """
    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="review.reveal"),
        Binding("space,enter", "accept", "Accept grade", id="review.accept"),
        *(
            Binding(str(n), f"pick({n})", f"Option {n}", show=False, id=f"review.option{n}")
            for n in range(1, 10)
        ),
        *(
            Binding(
                str(int(r)), f"rate({int(r)})", r.label, show=False, id=f"review.{r.name.lower()}"
            )
            for r in Rating
        ),
        Binding("left", "grade(-1)", "Lower grade", show=False, id="review.grade_down"),
        Binding("right", "grade(1)", "Higher grade", show=False, id="review.grade_up"),
        Binding("up,k", "move(-1)", "Previous option / scroll up", show=False, id="review.up"),
        Binding("down,j", "move(1)", "Next option / scroll down", show=False, id="review.down"),
        Binding("u,ctrl+z", "undo", "Undo", id="review.undo"),
        Binding("minus", "bury", "Bury", id="review.bury"),
        Binding("at", "suspend", "Suspend", id="review.suspend"),
        Binding("equals_sign", "bury_note", "Bury note", show=False, id="review.bury_note"),
        Binding(
            "exclamation_mark", "suspend_note", "Suspend note", show=False, id="review.suspend_note"
        ),  # fmt: skip
        Binding("i", "info", "Card info", id="review.info"),
        Binding("e", "edit", "Edit", show=False, id="review.edit"),
        Binding("asterisk", "mark", "Mark note", show=False, id="review.mark"),
        *render.flag_bindings("review"),
        Binding("q,escape", "leave", "End", id="review.back"),
        *hidden_app_keys("stats", "browse"),  # (e edits here; export is in the palette)
    ]

    phase: reactive[Phase] = reactive("question", bindings=True)
    grade: reactive[Rating] = reactive(Rating.GOOD)
    counts: reactive[tuple[int, int, int]] = reactive((0, 0, 0))  # new, learning, due left
    progress: reactive[tuple[int, int]] = reactive((0, 0))  # cards done today, of the session's

    def __init__(
        self,
        decks: list[str] | None = None,
        *,
        chrome_later: bool = False,
        session=None,
        title: str | None = None,
    ):
        """`session`: a session made already (custom study, cram), `title` its name."""
        super().__init__()
        self.decks = decks
        self.chrome_later = chrome_later  # the app calls mount_chrome after the first frame
        self.session = session
        self.title_text = title
        self.card: Card | None = None
        self.correct: bool | None = None
        self.shown_at = 0.0
        self.answers: list[Answer] = []  # for the summary; undo is the session's
        self.unsaved: Answer | None = None  # an answer waiting for the collection
        self._retrying = None  # the timer trying it again
        self._leave_unsaved = False  # q pressed once while an answer waits

    def compose(self) -> ComposeResult:
        # The session and its first card before the widgets: the card's face is composed
        # with the rest, so the first frame shows it.
        if self.session is None:
            self.session = self.app.ctx.session(self.decks)
        self.card = first = self.session.next_card()
        chrome = () if self.chrome_later else self._chrome()
        yield from chrome[:1]  # the header
        yield SessionProgress(id="progress").data_bind(ReviewScreen.counts, ReviewScreen.progress)
        scroll = VerticalScroll(id="card-scroll")
        scroll.can_focus = False  # keys go to the screen; set before mounting, so the
        # screen's auto focus does not focus it and restyle the card on the first frame
        with scroll:
            yield CardView(first, id="card")
        # (#save-problem, mounted above the ratings when an answer cannot be saved)
        yield RatingBar(id="ratings").data_bind(selected=ReviewScreen.grade)
        yield from chrome[1:]  # the footer

    def on_mount(self) -> None:
        ctx = self.app.ctx
        names = []
        for deck_id in self.decks or ():
            deck = ctx.library.deck(deck_id)
            names.append(render.one_line(deck.name) if deck else deck_id)
        self.sub_title = " · ".join(names) or "All decks"
        if self.title_text:
            self.sub_title = f"{self.title_text} · {self.sub_title}"
        self.show_card(self.card)

    @staticmethod
    def _chrome() -> tuple[Widget, Widget]:
        # imported here: at start-up they come after the first frame
        from textual.widgets import Header

        from app.tui.widgets.footer import FittingFooter

        return Header(), FittingFooter()

    def mount_chrome(self) -> None:
        """Header and footer, when compose left them out (chrome_later)."""
        if self.chrome_later and self.is_attached and self.is_current:
            self.chrome_later = False
            header, footer = self._chrome()
            self.mount(header, before=0)
            self.mount(footer)

    # -- showing -----------------------------------------------------------------------

    def show_card(self, card: Card | None = None) -> None:
        """Show `card` (after an undo) or the next card of the queue; the summary at the end."""
        self.card = card or self.session.next_card()
        self.correct = None
        self.counts = self.session.counts()
        if self.answers:
            seen = {a.card.key for a in self.answers}
            pending = set(self.session.pending_keys())
            self.progress = (len(seen - pending), len(seen | pending))
        else:  # (what pending_keys() would give: the cards counts() counts)
            self.progress = (0, sum(self.counts))
        if self.card is None:
            self.phase = "done"
            self.show_summary()
            return
        deck = self.app.ctx.library.deck(self.card.deck_id)
        try:
            state = self.session.state(self.card)
        except StoreError as e:
            self._stop(e)
            return
        self.query_one(CardView).show(self.card, deck, STATE_NAMES[state.state], self._marks())
        self.query_one("#card-scroll").scroll_home(animate=False)
        self.query_one(RatingBar).ask(self.face.hint())
        self.phase = "question"
        self.shown_at = self.app.monotonic()

    @property
    def face(self) -> Face:
        return self.query_one(CardView).face

    def reveal(self, response: object) -> None:
        """Turn the card over after `response` (None: asked to see the answer), with the
        grade the kind gives it selected."""
        card = self.card
        self.correct = kinds.of(card.note).grade(card, response)
        self.grade = Rating.AGAIN if self.correct is False else Rating.GOOD
        deck = self.app.ctx.library.deck(card.deck_id)
        try:
            intervals = self.session.intervals(card)
        except StoreError as e:
            self._stop(e)
            return
        self.query_one(CardView).reveal(card, deck, response)
        self.query_one(RatingBar).grades(intervals)
        self.phase = "answer"
        self.call_after_refresh(self._show_explanation)

    def _show_explanation(self) -> None:
        """Where the card is taller than the screen, scroll so the explanation starts in
        view (its first lines at least): it is what the answer side is for."""
        why = self.query_one(CardView).why
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if why is None or not why.display or scroll.max_scroll_y == 0:
            return
        view = scroll.content_region
        if why.region.y + min(why.region.height, 3) > view.bottom:  # not (enough) in view
            scroll.scroll_to_widget(why, animate=False, top=True)

    def show_summary(self, left: tuple[int, int, int] = (0, 0, 0)) -> None:
        """The session's summary; `left`: the counts still due, when it ends early."""
        from app.tui.screens.summary import SessionSummary, SummaryScreen

        nxt = None if sum(left) else self.session.next_due()
        held = None if getattr(self.session, "filtered", False) else self.session.held()
        summary = SessionSummary(self.answers, self.session.clock(), nxt, left, held)
        self.app.push_screen(
            SummaryScreen(summary, can_undo=bool(self.session.history)), self._after_summary
        )

    def _after_summary(self, result: str | None) -> None:
        if result == "undo":
            self.action_undo()
        elif result == "custom":
            from app.tui import nav

            held = self.session.held()
            kind = "reviews" if held.reviews and not held.new else "new"
            self.app.back()
            self.app.push_screen(nav.screen_class("custom_study")(self.decks, kind))
        else:
            self.app.back()

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if self.unsaved is not None and action != "leave":
            return False  # the card stays until its answer is saved
        if action == "reveal":
            return phase == "question"
        if action == "accept":
            return phase == "answer"
        if action == "pick":
            face = self.face
            return phase == "question" and face is not None and parameters[0] <= face.picks
        if action in ("rate", "grade"):
            return phase == "answer"
        if action in ("bury", "suspend", "bury_note", "suspend_note"):  # (not in cram)
            return phase != "done" and not getattr(self.session, "cram", False)
        if action in ("info", "mark", "flag", "edit"):
            return phase != "done" and self.card is not None
        if action == "undo":
            return True if self.session.history else None
        return True

    def action_reveal(self) -> None:
        self.reveal(self.face.response)

    def action_pick(self, number: int) -> None:
        self.reveal(number - 1)

    def action_accept(self) -> None:
        self.action_rate(int(self.grade))

    def action_grade(self, step: int) -> None:
        self.grade = Rating(min(max(int(self.grade) + step, 1), 4))

    def action_move(self, step: int) -> None:
        if not (self.phase == "question" and self.face.move(step)):
            scroll = self.query_one("#card-scroll", VerticalScroll)
            (scroll.scroll_down if step > 0 else scroll.scroll_up)(animate=False)

    def action_rate(self, rating: int) -> None:
        if self.phase != "answer" or self.unsaved is not None:
            return
        spent = min(self.app.monotonic() - self.shown_at, MAX_ANSWER_SECONDS)
        self._save(Answer(self.card, Rating(rating), self.correct, round(spent * 1000)))

    def _save(self, answer: Answer) -> None:
        """Save `answer` and go on; if the collection cannot take it now, keep the card
        and try again every RETRY_SECONDS."""
        try:
            review = self.session.answer(answer.card, answer.rating, duration_ms=answer.duration_ms)
        except WriteFailed as e:
            self.unsaved = answer
            self._show_problem(e)
            if self._retrying is None:
                self._retrying = self.set_interval(RETRY_SECONDS, self._retry)
            self.refresh_bindings()
            return
        except StoreError as e:  # a damaged collection: trying again cannot help
            self._stop(e)
            return
        if self.unsaved is not None:
            self.unsaved = None
            self._retrying.stop()
            self._retrying = None
            self._leave_unsaved = False
            self.query_one("#save-problem").remove_class("-shown")  # (mounted with unsaved)
            self.refresh_bindings()
            self.notify("Answer saved", timeout=2)
        self.answers.append(answer)
        if getattr(review, "leech", False):
            done = "suspended and tagged leech" if review.after.suspended else "tagged leech"
            lapses = review.after.lapses
            self.notify(f"That card is a leech ({lapses} lapse{'s' * (lapses != 1)}): {done}; browse"
                        " finds it with tag:leech.", severity="warning", timeout=8)  # fmt: skip
        self.show_card()

    def _stop(self, e: StoreError) -> None:
        """End the review on a collection it cannot read: a notice, not a traceback."""
        if self._retrying is not None:
            self._retrying.stop()
            self._retrying = None
        self.unsaved = None
        self.notify(f"The review stopped: {e}", severity="error", markup=False, timeout=15)
        self.app.back()

    def _retry(self) -> None:
        if self.unsaved is not None:
            self._save(self.unsaved)

    def _show_problem(self, e: WriteFailed) -> None:
        if e.busy:
            why = "the collection is locked by another program"
            then = "It is saved as soon as the collection is free."
        elif e.full:
            why = "the disk is full"
            then = "Free some space: it is saved as soon as there is room."
        else:
            why, then = str(e), "Trying again every second."
        text = f"Your answer is not saved yet: {why}. {then} (q leaves without it)"
        found = self.query("#save-problem")
        if found:
            found.first(Static).update(text)
        else:  # the first time: mounted now, so start-up draws one widget less
            self.mount(Static(text, id="save-problem", markup=False),
                       before=self.query_one(RatingBar))  # fmt: skip
        self.query_one("#save-problem").add_class("-shown")

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        self.action_rate(int(event.rating))

    def on_rating_bar_reveal(self, event: RatingBar.Reveal) -> None:
        if self.phase == "question":
            self.action_reveal()

    def on_face_answered(self, event: Face.Answered) -> None:
        if self.phase == "question":
            self.reveal(event.response)

    def _marks(self):
        store = self.app.ctx.store
        try:
            flag, tags = store.flag_of(self.card.key), store.tags_of(self.card.note_key)
        except StoreError:
            return None
        return render.marks(flag, "marked" in tags)

    def action_edit(self) -> None:
        """The note in the learner's editor; on return the card as it is now."""
        from app.tui.actions import edit_note
        from cards.session import Session

        card = edit_note(self, self.card)
        if card is None:  # the note or its deck is gone for now: an error said why
            return
        if type(self.session) is Session and not self.session.filtered:
            old = self.session  # today's queue over the decks read again, undo kept
            self.session = self.app.ctx.session(self.decks)
            self.session.history = old.history
        self.show_card(card)

    def action_info(self) -> None:
        from app.tui import nav

        self.app.push_screen(nav.screen_class("card")(self.card, during_review=True,
                                                     answered=self.phase == "answer"))  # fmt: skip

    def action_flag(self, flag: int) -> None:
        try:
            now = self.session.store.toggle_flag(self.card.key, flag)
        except StoreError as e:
            self.notify(f"Could not flag: {e}", severity="error", markup=False)
            return
        self.query_one(CardView).set_marks(self._marks())
        name = render.FLAGS[flag][0].lower()
        self.notify(f"Flagged {name}" if now else "Flag removed", timeout=2)

    def action_mark(self) -> None:
        try:
            marked = self.session.store.toggle_note_tag(self.card.note_key, "marked")
        except StoreError as e:
            self.notify(f"Could not mark: {e}", severity="error", markup=False)
            return
        self.query_one(CardView).set_marks(self._marks())
        self.notify("Note marked" if marked else "Mark removed", timeout=2)

    def action_bury_note(self) -> None:
        if self._store_step(self.session.bury_note, "Could not bury"):
            self.notify("The note's cards are buried until tomorrow. u undoes.", timeout=3)
            self.show_card()

    def action_suspend_note(self) -> None:
        if self._store_step(self.session.suspend_note, "Could not suspend"):
            self.notify("The note's cards are suspended. u undoes.", timeout=3)
            self.show_card()

    def action_bury(self) -> None:
        if self._store_step(self.session.bury, "Could not bury"):
            self.notify("Buried until tomorrow. u undoes.", timeout=3)
            self.show_card()

    def action_suspend(self) -> None:
        if self._store_step(self.session.suspend, "Could not suspend"):
            self.notify("Suspended. u undoes; browse lists it.", timeout=3)
            self.show_card()

    def _store_step(self, step, failed: str) -> bool:
        try:
            step(self.card)
        except StoreError as e:
            self.notify(f"{failed}: {e}. Nothing changed.", severity="error", markup=False)
            return False
        return True

    def action_undo(self) -> None:
        if not self.session.history:
            self.notify("Nothing to undo", timeout=3)
            return
        try:
            step = self.session.undo()
        except UndoRefused as e:
            self.notify(f"That answer cannot be undone: {e}.", severity="warning", markup=False)
            return
        except StoreError as e:
            self.notify(f"Could not undo: {e}. Try again.", severity="error", markup=False)
            return
        if step.what == "answer":
            self.answers.pop()
        self.show_card(step.card)
        self.notify(f"{step.what.capitalize()} undone", timeout=3)

    def action_leave(self) -> None:
        if self.unsaved is not None and not self._leave_unsaved:
            self._leave_unsaved = True
            self.notify(
                "Your last answer is not saved yet. Press q again to leave without it.",
                severity="warning",
                timeout=5,
            )
            return
        if self._retrying is not None:
            self._retrying.stop()
            self._retrying = None
        if self.answers and self.unsaved is None and self.phase != "done":
            self.show_summary(left=self.session.counts())  # Enter there goes home
        else:
            self.app.back()
