"""One option of a choice or verdict card: its number (the key that picks it) and its text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from app.tui.render import deck_text


class ChoiceOption(Horizontal):
    """One option: its number (the key that picks it) and its text, with a hanging indent."""

    # Its own module and rules, not ChoiceList's: the options are mounted after the first
    # frame, and Textual reads a widget's CSS when the first one is mounted, so start-up
    # neither defines the class nor parses its rules.
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

    def show(self, text: str) -> None:
        """Another card's option in this place: its text, unmarked (the list clears the
        highlight)."""
        self.text = text
        self.remove_class("-correct", "-wrong", "-other")
        if self.children:  # (else not composed yet: compose() uses the new text)
            self.query_one(".choice-text", Static).update(deck_text(text))
            self.mark(f"{self.index + 1}")

    def mark(self, mark: str) -> None:
        self.query_one(".choice-key", Static).update(Content(mark))
