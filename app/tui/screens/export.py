"""Export to Anki: pick decks, scheduling or not, a file; writes the .apkg in a worker
with a progress bar (cards.anki does the work)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, SelectionList, Static

from app.export_cmd import DEFAULT_OUTPUT as DEFAULT_FILE
from app.export_cmd import output_path
from app.tui import render
from app.tui.widgets.footer import FittingFooter


class ExportScreen(ModalScreen):
    DEFAULT_CSS = """
        ExportScreen {
            align: center middle;
        }
        #export-dialog {
            width: 90%;
            max-width: 72;
            height: auto;
            max-height: 95%;
            border: round $accent;
            border-title-color: $text-accent;
            background: $surface;
            padding: 0 1;
            Label {
                color: $text-muted;
                margin-top: 1;
            }
        }
        #export-decks {
            height: auto;
            max-height: 8;
        }
        #export-scheduling {
            margin-top: 1;
        }
        #export-progress {
            margin-top: 1;
        }
        #export-status {
            height: auto;
        }
        #export-buttons {
            height: 1;
            margin: 1 0 0 0;
            align-horizontal: right;
            Button {
                margin-left: 2;
            }
        }
    """

    class Progress(Message):
        def __init__(self, done: int, total: int):
            super().__init__()
            self.done, self.total = done, total

    class Finished(Message):
        def __init__(self, result):
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, error: str):
            super().__init__()
            self.error = error

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.run"),
        Binding("escape,q", "close", "Close", id="export.close"),
    ]

    running: reactive[bool] = reactive(False, bindings=True)

    def compose(self) -> ComposeResult:
        yield FittingFooter()  # this dialog's keys, not those of the screen under it
        decks = self.app.ctx.library.decks
        with Vertical(id="export-dialog"):
            yield Label("Decks")
            yield SelectionList(
                *((Content(render.one_line(d.name)), d.id, True) for d in decks),
                id="export-decks",
                compact=True,
            )
            yield Checkbox(
                "Include scheduling and review history", id="export-scheduling", compact=True
            )
            yield Label("File")
            yield Input(DEFAULT_FILE, id="export-path", compact=True)
            yield ProgressBar(total=1, id="export-progress", show_eta=False)
            yield Static(id="export-status", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Close", id="export-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-dialog").border_title = "Export to Anki (.apkg)"
        self.query_one("#export-status", Static).update(
            Content.assemble(
                ("Enter", "bold"),
                " or ",
                ("Ctrl+S", "bold"),
                " exports · ",
                ("Esc", "bold"),
                " closes",
            )
        )
        self.query_one("#export-path", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return not self.running
        return True

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        if self.running:
            return
        deck_ids = set(self.query_one(SelectionList).selected)
        decks = [d for d in self.app.ctx.library.decks if d.id in deck_ids]
        status = self.query_one("#export-status", Static)
        if not decks:
            status.update(Content.styled("Pick at least one deck.", "$text-error"))
            return
        output = output_path(self.query_one("#export-path", Input).value)
        scheduling = self.query_one("#export-scheduling", Checkbox).value
        self.running = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        status.update(Content(f"Writing {output} …"))
        self.write(decks, output, scheduling)

    @work(thread=True, exclusive=True, group="export")
    def write(self, decks, output: Path, scheduling: bool) -> None:
        ctx = self.app.ctx
        try:
            from cards.anki import ExportError, export_apkg
        except ImportError as e:  # pragma: no cover - the exporter ships with the app
            self.post_message(self.Failed(f"export is not available: {e}"))
            return
        try:
            result = export_apkg(
                decks,
                output,
                store=ctx.store,
                scheduling=scheduling,
                settings=ctx.settings,
                now=ctx.clock(),
                progress=lambda done, total: self.post_message(self.Progress(done, total)),
            )
        except (ExportError, OSError) as e:
            self.post_message(self.Failed(str(e)))
        else:
            self.post_message(self.Finished(result))

    def on_export_screen_progress(self, event: Progress) -> None:
        self.query_one(ProgressBar).update(total=event.total, progress=event.done)

    def on_export_screen_finished(self, event: Finished) -> None:
        self.running = False
        r = event.result
        self.query_one(ProgressBar).update(total=max(r.notes, 1), progress=max(r.notes, 1))
        self.query_one("#export-status", Static).update(
            Content.assemble(
                ("Done: ", "bold $text-success"), f"{r.notes} notes, {r.cards} cards in {r.path}"
            )
        )
        self.notify(f"Exported {r.cards} cards to {r.path}", markup=False, timeout=4)

    def on_export_screen_failed(self, event: Failed) -> None:
        self.running = False
        self.query_one(ProgressBar).update(total=100, progress=0)
        self.query_one("#export-status", Static).update(Content.styled(event.error, "$text-error"))

    @on(Button.Pressed, "#export-close")
    def action_close(self) -> None:
        if self.running:
            self.notify("The export is still running.", timeout=3)
            return
        self.dismiss()
