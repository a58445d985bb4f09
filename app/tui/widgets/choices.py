"""The numbered options of a choice or verdict card, marked right and wrong after answering."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from app.tui.render import deck_text


class ChoiceOption(Horizontal):
    """One option: its number (the key that picks it) and its text, with a hanging indent."""

    # Its own rules, not ChoiceList's: the options are mounted after the first frame, and
    # Textual reads a widget's CSS when the first one is mounted, so start-up skips them.
    DEFAULT_CSS = """
    ChoiceOption {
        height: auto;
        .choice-key {
            width: 4;
            color: $text-accent;
            text-style: bold;
        }
        .choice-text {
            width: 1fr;
        }
        &.-highlighted {
            background: $boost;
            .choice-key {
                background: $accent;
                color: $text;
            }
        }
        &.-correct .choice-key, &.-correct .choice-text {
            color: $text-success;
            text-style: bold;
        }
        &.-wrong .choice-key, &.-wrong .choice-text {
            color: $text-error;
            text-style: strike;
        }
        &.-wrong .choice-key {
            text-style: bold;
        }
        &.-other .choice-key, &.-other .choice-text {
            color: $text-muted;
        }
    }
    """

    def __init__(self, index: int, text: str):
        super().__init__()
        self.index = index
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{self.index + 1}"), classes="choice-key")
        yield Static(deck_text(self.text), classes="choice-text")

    def mark(self, mark: str) -> None:
        self.query_one(".choice-key", Static).update(Content(mark))

    def on_click(self, event: events.Click) -> None:
        self.post_message(ChoiceList.Picked(self.index))


class ChoiceList(Vertical):
    """Options 1-9, mounted per card. `highlighted` follows the arrow keys; `reveal()`
    marks the answer."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
    }
    """

    class Picked(Message):
        """An option was clicked."""

        def __init__(self, index: int):
            super().__init__()
            self.index = index

    highlighted: reactive[int | None] = reactive(None)

    def __init__(self, options: tuple[str, ...] = (), **kwargs):
        super().__init__(**kwargs)
        self.options = options
        self.count = len(options)

    def on_mount(self) -> None:
        # After the first frame, not composed: at start-up the question is drawn first and
        # the options (nine widgets) a frame later, as the review's Header and Footer are.
        # Measured: composed with it, they delay the first card by about 8 ms.
        self.display = bool(self.count)
        if self.options:
            self.call_after_refresh(self._mount_options, self.options)

    def _mount_options(self, options) -> None:
        if self.options is options and not self.children:
            self.mount_all(ChoiceOption(i, text) for i, text in enumerate(options))

    def show(self, options: list[str]) -> None:
        """New options, none picked; an empty list hides the list."""
        self.highlighted = None
        if self.children:
            self.remove_children()
        self.options = tuple(options)
        self.count = len(options)
        self.display = bool(options)
        if options:
            self.mount_all(ChoiceOption(i, text) for i, text in enumerate(options))

    def reveal(self, correct: int | None, picked: int | None) -> None:
        """Mark the right option ✓, a wrong pick ✗, and dim the others."""
        self.highlighted = None
        for option in self.query(ChoiceOption):
            i = option.index
            option.mark("✓" if i == correct else "✗" if i == picked else f"{i + 1}")
            option.set_class(i == correct, "-correct")
            option.set_class(i == picked and i != correct, "-wrong")
            option.set_class(i not in (correct, picked), "-other")

    def move(self, step: int) -> None:
        if not self.count:
            return
        if self.highlighted is None:
            self.highlighted = 0 if step > 0 else self.count - 1
        else:
            self.highlighted = (self.highlighted + step) % self.count

    def watch_highlighted(self, highlighted: int | None) -> None:
        for option in self.query(ChoiceOption):
            option.set_class(option.index == highlighted, "-highlighted")
