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
    _shown: tuple | None = None  # what the keys were made from, at the last compose
    _pending = False  # a recompose is asked for

    def __init__(self, **kwargs):
        super().__init__(compact=True, **kwargs)

    def bindings_changed(self, screen) -> None:
        # Textual recomposes the footer at every announcement that the keys may have
        # changed: in review six times a card (its phase, and the focus moving as the
        # card's widgets are replaced), each one a dozen widgets made and styled. Here the
        # announcements before the next frame make one recompose, and none if the keys
        # to show are the same.
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if self.is_attached and self._keys_to_show() != self._shown:
            await self.recompose()

    def _keys_to_show(self) -> tuple:
        app = self.app
        return self.show_command_palette, tuple(
            (b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tip)
            for _, b, enabled, tip in self.screen.active_bindings.values()
            if b.show
        )

    def compose(self):
        if self._bindings_ready:
            self._shown = self._keys_to_show()
        # Textual's FooterKey takes its "-compact" class from its bound `compact` once it is
        # mounted: one restyle per key each time the footer is recomposed (twice a card in
        # review). Given before the mount, it costs nothing.
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
