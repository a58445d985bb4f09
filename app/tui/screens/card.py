"""One card, whole: question, answer, options, explanation, sources, schedule and history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from app.tui import render
from app.tui.actions import toggle_suspend
from app.tui.faces import face_for
from app.tui.widgets.footer import FittingFooter
from cards.library import display
from cards.model import Card
from cards.scheduler import format_interval
from cards.state import STATE_NAMES


def section(title: str, body: Content | str) -> Content:
    return Content.assemble((title, "bold $text-accent"), "\n", body)


class CardScreen(ModalScreen):
    DEFAULT_CSS = """
        CardScreen {
            align: center middle;
        }
        #card-dialog {
            width: 90%;
            max-width: 84;
            height: 90%;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
            padding: 0 1;
        }
        #card-details-scroll {
            height: 1fr;
        }
        #card-keys {
            height: 1;
            color: $text-muted;
        }
    """
    BINDINGS = [
        Binding("escape,q,enter", "close", "Close", id="card.close"),
        Binding("at", "toggle_suspend", "Suspend/unsuspend", id="card.suspend"),
        Binding("e", "edit", "Edit note", id="card.edit"),
    ]

    def __init__(self, card: Card, *, during_review: bool = False, answered: bool = True):
        """`during_review`: card info from the reviewer: schedule and history first, and
        the answer only once the card is `answered` (no spoilers)."""
        super().__init__()
        self.card = card
        self.during_review = during_review
        self.answered = answered

    def compose(self) -> ComposeResult:
        yield FittingFooter()  # this dialog's keys, not those of the screen under it
        with Vertical(id="card-dialog"):
            yield VerticalScroll(Static(id="card-details", markup=False), id="card-details-scroll")
            yield Static(
                Content.assemble(
                    ("Esc", "bold"),
                    " close  ",
                    ("@", "bold"),
                    " suspend/unsuspend  ",
                    ("↑↓", "bold"),
                    " scroll",
                ),
                id="card-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#card-dialog").border_title = self.card.key
        self.show()

    def show(self) -> None:
        card = self.card
        ctx = self.app.ctx
        deck = ctx.library.deck(card.deck_id)
        face = face_for(card)
        where = ""
        if deck is not None and deck.path is not None:
            where = f"{display(deck.path)}:{card.note.line}" if card.note.line else ""
        marks = render.marks(
            ctx.store.flag_of(card.key), "marked" in ctx.store.tags_of(card.note_key)
        )
        app_tags = sorted(ctx.store.tags_of(card.note_key))
        parts = [
            Content.assemble(
                (render.one_line(deck.name) if deck else card.deck_id, "bold"),
                " · ",
                card.label,
                *(("  ", marks) if marks else ()),
                *(("\n", (f"Note {card.note.id} in {where}", "$text-muted")) if where else ()),
            ),
        ]
        if self.during_review:
            parts.append(section("Schedule", self._schedule()))
            parts.append(section("History", self._history()))
        parts.append(section("Question", face.question(card)))
        if self.answered:
            parts.append(section("Answer", face.answer(card)))
            why = render.explanation(card, None)  # sources are listed whole below
            if why:
                parts.append(section("Why", why))
        cited = []
        if deck is not None:
            for ref in (*card.note.source, *card.note.evidence):
                src = deck.source(ref)
                if src is not None:
                    section_ref = f" §{ref.split('#', 1)[1]}" if "#" in ref else ""
                    cited.append(Content.assemble("• ", src.citation(), section_ref))
        if cited:
            parts.append(section("Sources", Content("\n").join(cited)))
        if card.note.tags or app_tags:
            parts.append(section("Tags", ", ".join([*card.note.tags, *app_tags])))
        if not self.during_review:
            parts.append(section("Schedule", self._schedule()))
            parts.append(section("History", self._history()))
        self.query_one("#card-details", Static).update(Content("\n\n").join(parts))

    def _schedule(self) -> Content:
        from cards.scheduler import retrievability

        ctx = self.app.ctx
        now = ctx.clock()
        s = ctx.store.get(self.card.key)
        flags = [
            f
            for f, on in (
                ("suspended", s.suspended),
                (f"buried until {s.buried_until}", s.buried_until),
            )
            if on
        ]
        rows = [("State", ", ".join([STATE_NAMES[s.state], *flags]))]
        if not s.is_new:
            r = retrievability(ctx.settings.for_deck(self.card.deck_id), s, now)
            rows += [
                (
                    "Due",
                    render.until(s.due, now)
                    if s.due > now
                    else f"now (since {s.due.astimezone(now.tzinfo):%Y-%m-%d %H:%M})",
                ),
                ("Stability", f"{s.stability:.2f} days" if s.stability is not None else "–"),
                ("Difficulty", f"{s.difficulty:.2f} / 10" if s.difficulty is not None else "–"),
                ("Retrievability", Content.assemble(render.percent(r), "   ", self._curve(s, now))),
                ("Reviews", f"{s.reps}, lapses {s.lapses}"),
            ]
        return Content("\n").join(Content.assemble((f"{k:<15}", "$text-muted"), v) for k, v in rows)

    def _curve(self, s, now) -> Content:
        """Retrievability from now to three intervals on, as a line of blocks from its
        highest (now) to its lowest, and the figure it ends at."""
        from datetime import timedelta

        from cards.scheduler import retrievability

        settings = self.app.ctx.settings.for_deck(self.card.deck_id)
        interval = (s.due - s.last_review).total_seconds() / 86400 if s.due and s.last_review else 1
        days = max(3.0, 3 * interval)
        points = [retrievability(settings, s, now + timedelta(days=days * i / 19)) or 0.0
                  for i in range(20)]  # fmt: skip
        top, low = max(points), min(points)
        blocks = "▁▂▃▄▅▆▇█"
        span = (top - low) or 1.0
        line = "".join(blocks[round((r - low) / span * 7)] for r in points)
        return Content.assemble((line, "$text-accent"),
                                (f" {render.percent(low)} in {days:.0f}d", "$text-muted"))  # fmt: skip

    def _history(self) -> Content:
        ctx = self.app.ctx
        now = ctx.clock()
        reviews = ctx.store.reviews(key=self.card.key)
        # cram answers (cards.cram) among them, by time: they changed nothing
        crammed = [(t, rating, ms) for _, t, rating, ms in ctx.store.cram_answers(self.card.key)]
        if not reviews and not crammed:
            return Content.styled("not reviewed yet", "$text-muted")
        rows = sorted([(r.time, 0, r) for r in reviews] + [(c[0], 1, c) for c in crammed],
                      key=lambda x: (x[0], x[1]))  # fmt: skip
        lines = [Content.styled(f"{'when':<16}  {'grade':<6}  {'next in':<8}  {'S (days)':>8}  D",
                                "$text-muted")]  # fmt: skip
        for when_at, is_cram, r in rows:
            when = when_at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
            if is_cram:
                rating, ms, then = r[1], r[2], "  cram: not scheduled"
            else:
                interval = format_interval(r.after.due - r.time) if r.after.due else "–"
                a = r.after
                sd = (f"{a.stability:>8.2f}  {a.difficulty:.2f}"
                      if a.stability is not None and a.difficulty is not None else "")  # fmt: skip
                rating, ms, then = r.rating, r.duration_ms, f"  {interval:<8}  {sd}"
            lines.append(
                Content.assemble(
                    (when, "$text-muted"), "  ", rating.label.ljust(6), then,
                    ("" if not ms else f"  ({render.duration(ms / 1000)})", "$text-muted"),
                )
            )  # fmt: skip
        reviews = rows
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from app.tui.actions import edit_note

        card = edit_note(self, self.card)
        if card is not None:
            self.card = card
            self.show()

    def action_toggle_suspend(self) -> None:
        if toggle_suspend(self, self.card.key):
            self.show()
