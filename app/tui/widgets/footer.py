"""The footer of every screen: Textual's, compact, showing only the keys that fit whole.

Textual's footer lets keys run under the command palette key on a narrow terminal, which
leaves cut words and stray letters; this one hides the keys that do not fit beside it,
from the right, but the way out and ? help last (every key is in help and the palette).
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = ("app.help", "help", "leave", "back", "close", "quit", "app.quit")


class FittingFooter(Footer):
    def __init__(self, **kwargs):
        super().__init__(compact=True, **kwargs)

    def compose(self):
        # Textual's FooterKey takes its "-compact" class from its bound `compact` once it is
        # mounted: one restyle per key each time the footer is recomposed (at every change
        # of the keys: twice a card in review). Given before the mount, it costs nothing.
        for widget in super().compose():
            if isinstance(widget, FooterKey) and self.compact:
                widget.add_class("-compact", update=False)
            yield widget

    def on_mount(self) -> None:
        super().on_mount()
        # A footer mounted after its screen's bindings were announced (the review's, put
        # in after the first frame) would wait for the next change to show any key.
        self._bindings_ready = True
        self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        for key in self.query(FooterKey):
            key.display = True
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palette = [k for k in self.query(FooterKey) if k.has_class("-command-palette")]
        room = self.size.width - sum(k.outer_size.width for k in palette)
        width = {k: k.outer_size.width + k.styles.margin.right for k in keys}
        used = sum(width.values())
        # drop from the right, the keys that leave or help last
        for key in sorted(reversed(keys), key=lambda k: k.action in KEEP):
            if used <= room:
                break
            key.display = False
            used -= width[key]
