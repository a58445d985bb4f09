"""The heartcards Textual app: screens, app-wide keys, command palette, themes and keymap.

Screens are imported when first shown, so start-up only pays for the first one.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from functools import partial

from textual import work
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.screen import ModalScreen, Screen

from app.context import Context
from app.tui import nav


class HeartcardsApp(App):
    TITLE = "heartcards"
    CSS_PATH = "app.tcss"
    BINDINGS = nav.APP_BINDINGS

    def __init__(
        self,
        ctx: Context,
        *,
        start_review: bool = False,
        decks: list[str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        new_collection=None,
        started: Callable[[], None] = gc.enable,
    ):
        super().__init__()
        self.ctx = ctx
        self.edited_files: dict = {}  # deck id -> its file, once edited (actions.edit_note)
        self.start_review = start_review
        self.start_decks = decks
        self.monotonic = monotonic  # answer timing; tests pass a fake
        self.new_collection = new_collection  # the collection's path, if made just now
        self.started = started  # called once the first frame is out (run_tui's undoing)
        self.key_overrides: dict[str, str] = dict(ctx.settings.keys)  # [keys] in config.toml
        self._unknown_theme = None
        if ctx.settings.theme in self.available_themes:
            self.theme = ctx.settings.theme
        else:
            self._unknown_theme = ctx.settings.theme

    def on_mount(self) -> None:
        if not self.start_review:
            self.push_screen(nav.screen_class("home")())
        if self.key_overrides:  # ([keys] entries that cannot apply are left out, and said)
            problems = nav.keymap_problems(self.key_overrides)
            self.key_overrides = {i: k for i, k in self.key_overrides.items()
                                  if i not in problems}  # fmt: skip
            self.set_keymap(self.key_overrides)
            if problems:
                self.call_after_refresh(self._say_keymap_problems, list(problems.values()))
        if self._unknown_theme:
            self.notify(
                f"Unknown theme {self._unknown_theme!r}; using {self.theme}. Ctrl+T picks one.",
                severity="warning",
                markup=False,
            )
        if self.new_collection is not None:
            self.notify(f"Started your collection: {self.new_collection}", timeout=8,
                        markup=False)  # fmt: skip
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def get_default_screen(self) -> Screen:
        if self.start_review:
            # The review is the first screen itself, not pushed over an empty one: so it is
            # drawn in Textual's first frame, as a bare app's widgets are. Pushed during
            # start-up, its first frame is thrown away and it waits for a later refresh.
            screen = nav.screen_class("review")(self.start_decks, chrome_later=True)
            # What push_screen does (Textual's default screen skips it); switch_screen,
            # on the way home, pops it.
            screen._push_result_callback(screen, None)
            return screen
        return super().get_default_screen()

    def on_ready(self) -> None:
        # After the first frame: the review's header and footer (start-up waits for the card
        # alone), and what run_tui set for start-up undone.
        mount_chrome = getattr(self.screen_stack[0], "mount_chrome", None)
        if self.start_review and mount_chrome is not None:  # (None: the review has ended)
            self.call_after_refresh(mount_chrome)
        self.call_after_refresh(self.started)

    # -- screens --------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Our screens on the stack (not Textual's empty default screen, when there is one)."""
        return sum(1 for screen in self.screen_stack if screen.id != "_default")

    def back(self) -> None:
        """Leave the current screen: to the one below, or home; quit from home."""
        if self.depth > 1:
            self.pop_screen()
        elif nav.screen_name(self.screen) == "home":
            self.exit()
        else:
            self.switch_screen(nav.screen_class("home")())

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
        if action not in nav.VIEWS:
            return True
        if isinstance(screen, ModalScreen):
            return False
        return nav.screen_name(screen) != action

    def action_study(self, decks: list[str] | None = None) -> None:
        while self.depth > 1:
            self.pop_screen()
        self.push_screen(nav.screen_class("review")(decks))

    def action_home(self) -> None:
        while self.depth > 1:
            self.pop_screen()
        if nav.screen_name(self.screen) != "home":
            self.switch_screen(nav.screen_class("home")())

    def action_stats(self) -> None:
        self.open_view(nav.screen_class("stats")())

    def action_browse(self) -> None:
        self.open_view(nav.screen_class("browse")())

    def action_help(self) -> None:
        self.open_view(nav.screen_class("help")())

    def action_export(self) -> None:
        self.push_screen(nav.screen_class("export")())

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
                f"Key: {nav.key_text(self, binding)}",
                partial(screen.run_action, binding.action),
            )
        if isinstance(screen, ModalScreen):
            yield from super().get_system_commands(screen)
            return
        views = [
            ("home", "Home", "Decks and today's counts", self.action_home),
            ("stats", "Stats", "Heatmap, forecast, retention, streak (s)", self.action_stats),
            ("browse", "Browse", "Search every card (b)", self.action_browse),
            ("export", "Export to Anki", "Write an .apkg file (e)", self.action_export),
            ("help", "Help", "Every key (?)", self.action_help),
        ]
        for action, title, help_text, callback in views:
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
        yield SystemCommand("Sync", "Two-way sync through your Anki sync server (y on home)",
                            self.action_sync)  # fmt: skip
        if not isinstance(screen, ModalScreen):
            yield SystemCommand("Fit FSRS to your reviews", "Optimize, as Anki does (o in stats)",
                                partial(self._fit, None))  # fmt: skip
            for deck in self.ctx.library.decks:
                yield SystemCommand(
                    escape(f"Fit FSRS to {one_line(deck.name)}"),
                    escape(f"Optimize the deck {deck.id} on its own reviews"),
                    partial(self._fit, deck.id),
                )
        yield from super().get_system_commands(screen)

    def action_sync(self) -> None:
        """Sync through the Anki sync server (cards.sync), in a worker: what it did, or why
        not, is a notice; a full sync is left to `heartcards sync`, which asks."""
        self.notify("Syncing…", timeout=2)
        self._sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self) -> None:
        import os

        from cards import sync

        ctx = self.ctx

        def say(text: str, severity: str = "information") -> None:
            self.call_from_thread(self.notify, text, severity=severity, markup=False,
                                  timeout=8 if severity == "information" else 15)  # fmt: skip

        if not sync.available():
            return say("Sync needs Anki's engine: pip install 'heartcards[sync]'", "error")
        settings = ctx.settings
        auth = sync.saved_auth(ctx.home)
        password = os.environ.get("HEARTCARDS_SYNC_PASSWORD")
        try:
            if auth is None or auth.get("server", "") != settings.sync_server:
                if not (settings.sync_user and password):
                    return say("Log in once with `heartcards sync` in a terminal; the app"
                               " then syncs with the key it keeps.", "warning")  # fmt: skip
                auth = sync.login(ctx.home, settings.sync_user, password, settings.sync_server)
            report = sync.sync(ctx.home, ctx.store, list(ctx.library.decks), settings,
                               ctx.clock, auth, lambda required: None)  # fmt: skip
        except sync.NeedsChoice:
            return say("The server needs a full sync: run `heartcards sync` in a terminal to"
                       " choose which side wins.", "warning")  # fmt: skip
        except Exception as e:  # (a StoreError, SyncError: said, the app goes on)
            return say(f"Sync failed: {e}", "error")
        say(f"Synced: {report.pushed} changes sent, {report.merged} reviews merged from"
            " elsewhere")  # fmt: skip
        refresh = getattr(self.screen, "action_refresh", None)
        if refresh is not None:
            self.call_from_thread(refresh)

    def _fit(self, deck: str | None) -> None:
        from app.tui import nav

        self.push_screen(nav.screen_class("scheduling")(deck))

    # -- settings ---------------------------------------------------------------------------

    def _save_theme(self, theme) -> None:
        import json

        from cards import config

        if theme.name == self.ctx.settings.theme:
            return
        try:
            config.set_value(self.ctx.home, "theme", json.dumps(theme.name))
        except (OSError, config.ConfigError) as e:
            self.notify(f"Theme not saved: {e}", severity="error", markup=False)
            return
        self.ctx.settings = self.ctx.settings.replace(theme=theme.name)

    def _say_keymap_problems(self, problems: list[str]) -> None:
        for problem in problems:
            self.notify(f"[keys] in config.toml: {problem}; not applied.", severity="error",
                        timeout=12, markup=False)  # fmt: skip
