"""The heartcards Textual app: screens, app-wide keys, command palette, themes and keymap.

Screens are imported when first shown, so start-up only pays for the first one.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from functools import partial

from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from app.context import Context

NAV_ACTIONS = ("stats", "browse", "export", "help", "home")


class HeartcardsApp(App):
    CSS_PATH = "heartcards.tcss"
    TITLE = "heartcards"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
        Binding("s", "stats", "Stats", id="app.stats"),
        Binding("b", "browse", "Browse", id="app.browse"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "change_theme", "Theme", show=False, id="app.theme"),
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        start_review: bool = False,
        decks: list[str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        super().__init__()
        self.ctx = ctx
        self.start_review = start_review
        self.start_decks = decks
        self.monotonic = monotonic  # answer timing; tests pass a fake
        self.key_overrides: dict[str, str] = dict(ctx.settings.keys)  # [keys] in config.toml
        self._unknown_theme = None
        if ctx.settings.theme in self.available_themes:
            self.theme = ctx.settings.theme
        else:
            self._unknown_theme = ctx.settings.theme

    def on_mount(self) -> None:
        if not self.start_review:
            from app.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        if self.key_overrides:
            self.set_keymap(self.key_overrides)
            self.call_after_refresh(self._check_keymap)
        if self._unknown_theme:
            self.notify(
                f"Unknown theme {self._unknown_theme!r}; using {self.theme}. Ctrl+T picks one.",
                severity="warning",
                markup=False,
            )
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def get_default_screen(self) -> Screen:
        if self.start_review:
            # The review is the first screen itself, not pushed over an empty one: so it is
            # drawn in Textual's first frame, as a bare app's widgets are. Pushed during
            # start-up, its first frame is thrown away and it waits for a later refresh.
            from app.tui.screens.review import ReviewScreen

            screen = ReviewScreen(self.start_decks, chrome_later=True)
            # What push_screen does (Textual's default screen skips it); switch_screen,
            # on the way home, pops it.
            screen._push_result_callback(screen, None)
            return screen
        return super().get_default_screen()

    def on_ready(self) -> None:
        # After the first frame: the review's header and footer (start-up waits for the card
        # alone), and the collector that run_tui paused.
        if self.start_review:
            self.call_after_refresh(self.screen_stack[0].mount_chrome)
        self.call_after_refresh(gc.enable)

    # -- screens --------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Our screens on the stack (not Textual's empty default screen, when there is one)."""
        return sum(1 for screen in self.screen_stack if screen.id != "_default")

    def back(self) -> None:
        """Leave the current screen: to the one below, or home; quit from home."""
        from app.tui.screens.home import HomeScreen

        if self.depth > 1:
            self.pop_screen()
        elif isinstance(self.screen, HomeScreen):
            self.exit()
        else:
            self.switch_screen(HomeScreen())

    def open_view(self, screen: Screen) -> None:
        """Show stats, browse or help: over the current screen, or instead of another view."""
        if getattr(self.screen, "VIEW", False):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._can_go(action, self.screen)

    @staticmethod
    def _can_go(action: str, screen: Screen) -> bool:
        """Views open from any screen but a modal one, and not over themselves."""
        if action not in NAV_ACTIONS:
            return True
        if isinstance(screen, ModalScreen):
            return False
        return type(screen).__name__.removesuffix("Screen").lower() != action

    def action_study(self, decks: list[str] | None = None) -> None:
        from app.tui.screens.review import ReviewScreen

        while self.depth > 1:
            self.pop_screen()
        self.push_screen(ReviewScreen(decks))

    def action_home(self) -> None:
        from app.tui.screens.home import HomeScreen

        while self.depth > 1:
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.switch_screen(HomeScreen())

    def action_stats(self) -> None:
        from app.tui.screens.stats import StatsScreen

        self.open_view(StatsScreen())

    def action_browse(self) -> None:
        from app.tui.screens.browse import BrowseScreen

        self.open_view(BrowseScreen())

    def action_help(self) -> None:
        from app.tui.screens.help import HelpScreen

        self.open_view(HelpScreen())

    def action_export(self) -> None:
        from app.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen())

    # -- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from textual.markup import escape

        from app.tui.render import one_line

        # The screen's own actions first: what the user can do right here.
        seen = set()
        for binding in type(screen).BINDINGS:
            namespace, name, params = parse_action(binding.action)
            if binding.action in seen or namespace or not screen.check_action(name, params):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"Key: {key_text(self, binding)}",
                partial(screen.run_action, binding.action),
            )
        if isinstance(screen, ModalScreen):
            yield from super().get_system_commands(screen)
            return
        nav = [
            ("home", "Home", "Decks and today's counts", self.action_home),
            ("stats", "Stats", "Heatmap, forecast, retention, streak (s)", self.action_stats),
            ("browse", "Browse", "Search every card (b)", self.action_browse),
            ("export", "Export to Anki", "Write an .apkg file (e)", self.action_export),
            ("help", "Help", "Every key (?)", self.action_help),
        ]
        for action, title, help_text, callback in nav:
            if self._can_go(action, screen):
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Study all decks", "Review every due card", self.action_study)
        for deck in self.ctx.library.decks:
            # The palette reads titles as markup: escape, so deck text stays literal.
            yield SystemCommand(
                escape(f"Study {one_line(deck.name)}"),
                escape(f"Review the deck {deck.id}"),
                partial(self.action_study, [deck.id]),
            )
        yield from super().get_system_commands(screen)

    # -- settings ---------------------------------------------------------------------------

    def _save_theme(self, theme) -> None:
        import json
        from dataclasses import replace

        from cards import config

        if theme.name == self.ctx.settings.theme:
            return
        try:
            config.set_value(self.ctx.home, "theme", json.dumps(theme.name))
        except (OSError, config.ConfigError) as e:
            self.notify(f"Theme not saved: {e}", severity="error", markup=False)
            return
        self.ctx.settings = replace(self.ctx.settings, theme=theme.name)

    def _check_keymap(self) -> None:
        from app.tui.screens.help import all_bindings

        known = {b.id for _, bindings in all_bindings() for b in bindings if b.id}
        unknown = sorted(set(self.key_overrides) - known)
        if unknown:
            self.notify(
                f"[keys] in config.toml: unknown binding id {', '.join(unknown)}. "
                "The help screen (?) lists the ids.",
                severity="warning",
                markup=False,
            )


KEY_NAMES = {
    "enter": "Enter",
    "space": "Space",
    "escape": "Esc",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def hidden_app_keys(*actions: str) -> list[Binding]:
    """App keys repeated on a screen with show=False (same ids, so [keys] still applies):
    they keep working there but leave the footer to the screen's own keys."""
    return [
        Binding(b.key, f"app.{b.action}", b.description, show=False, id=b.id)
        for b in HeartcardsApp.BINDINGS
        if b.action in actions
    ]


def key_label(app: App, key: str) -> str:
    """One key as people write it: Enter, Ctrl+Z, ?, @, -."""
    *mods, base = key.strip().split("+")
    if base in KEY_NAMES:
        text = KEY_NAMES[base]
    elif base[:1] == "f" and base[1:].isdigit():
        text = base.upper()
    else:
        text = app.get_key_display(Binding(base, ""))
        if mods and len(text) == 1:
            text = text.upper()
    return "+".join([*(m.capitalize() for m in mods), text])


def key_text(app: HeartcardsApp, binding: Binding) -> str:
    """The keys of a binding as the user has them (config.toml [keys] applied)."""
    keys = app.key_overrides.get(binding.id, binding.key) if binding.id else binding.key
    return ", ".join(key_label(app, k) for k in keys.split(","))
