"""The numbered options of a choice or verdict card, marked right and wrong after answering."""

from __future__ import annotations

from textual import events
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive


class ChoiceList(Vertical):
    """Options 1-9, mounted as a card needs them. `highlighted` follows the arrow keys;
    `reveal()` marks the answer."""

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
            self._mount(options)

    def _mount(self, options, start: int = 0) -> None:
        # defined in its own module, imported here: start-up draws the question first
        from app.tui.widgets.choice_option import ChoiceOption

        self.mount_all(ChoiceOption(i, options[i]) for i in range(start, len(options)))

    def show(self, options: list[str]) -> None:
        """New options, none picked; an empty list hides the list. The options in place
        take the new texts (making and styling three widgets an option, for every card,
        was most of the time to the next card); only a longer list mounts more."""
        self.highlighted = None
        options = tuple(options)
        kept = list(self.children)
        for option, text in zip(kept, options, strict=False):  # (the shorter of the two)
            option.show(text)
        if len(kept) > len(options):
            self.remove_children(kept[len(options) :])
        self.options = options
        self.count = len(options)
        self.display = bool(options)
        if len(options) > len(kept):
            self._mount(options, start=len(kept))

    def reveal(self, correct: int | None, picked: int | None) -> None:
        """Mark the right option ✓, a wrong pick ✗, and dim the others."""
        self.highlighted = None
        for option in self.children:
            i = option.index
            option.mark("✓" if i == correct else "✗" if i == picked else f"{i + 1}")
            option.set_class(i == correct, "-correct")
            option.set_class(i == picked and i != correct, "-wrong")
            option.set_class(i not in (correct, picked), "-other")

    def on_click(self, event: events.Click) -> None:
        for node in event.widget.ancestors_with_self:  # (the option's number or text)
            if node.parent is self:
                self.post_message(ChoiceList.Picked(node.index))
                break

    def move(self, step: int) -> None:
        if not self.count:
            return
        if self.highlighted is None:
            self.highlighted = 0 if step > 0 else self.count - 1
        else:
            self.highlighted = (self.highlighted + step) % self.count

    def watch_highlighted(self, highlighted: int | None) -> None:
        for option in self.children:
            option.set_class(option.index == highlighted, "-highlighted")
