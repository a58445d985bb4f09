"""Keys and navigation, for the app and every screen: the app-wide bindings, key labels as
people write them, and the registry of screens by name.

A leaf: it imports no screen and not the app, so both can import it (no cycle), and the
screens themselves are imported only when first opened.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

APP_BINDINGS = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
    Binding("s", "stats", "Stats", id="app.stats"),
    Binding("b", "browse", "Browse", id="app.browse"),
    Binding("e", "export", "Export", id="app.export"),
    Binding("question_mark,f1", "help", "Help", id="app.help"),
    Binding("ctrl+t", "change_theme", "Theme", show=False, id="app.theme"),
]

# name -> (module, class, the help screen's title for its keys), in the help screen's order
SCREENS = {
    "home": ("app.tui.screens.home", "HomeScreen", "Home"),
    "review": ("app.tui.screens.review", "ReviewScreen", "Review"),
    "summary": ("app.tui.screens.summary", "SummaryScreen", "Session summary"),
    "stats": ("app.tui.screens.stats", "StatsScreen", "Stats"),
    "browse": ("app.tui.screens.browse", "BrowseScreen", "Browse"),
    "card": ("app.tui.screens.card", "CardScreen", "Card (from browse)"),
    "export": ("app.tui.screens.export", "ExportScreen", "Export"),
    "scheduling": ("app.tui.screens.scheduling", "SchedulingScreen", "Scheduling (from stats)"),
    "help": ("app.tui.screens.help", "HelpScreen", "Help"),
    "problems": ("app.tui.screens.problems", "ProblemsScreen", "Deck problems (from home)"),
    "custom_study": ("app.tui.screens.custom_study", "CustomStudyScreen", "Custom study (+)"),
    "reschedule": (
        "app.tui.screens.reschedule",
        "RescheduleScreen",
        "Forget, Set due date (from browse)",
    ),  # fmt: skip
}
# The views the app-wide keys open from any screen (but a modal one, or themselves).
VIEWS = ("stats", "browse", "export", "help", "home")


def screen_class(name: str) -> type[Screen]:
    """The screen called `name` in SCREENS, imported on first use."""
    module, cls, _ = SCREENS[name]
    return getattr(import_module(module), cls)


def screen_name(screen: Screen) -> str | None:
    """The SCREENS name of a screen, or None for one not listed (Textual's own)."""
    for name, (module, cls, _) in SCREENS.items():
        if type(screen).__name__ == cls and type(screen).__module__ == module:
            return name
    return None


def all_bindings() -> list[tuple[str, list[Binding]]]:
    """(section title, bindings) for the app and every screen, for the help screen."""
    return [("Everywhere", APP_BINDINGS)] + [
        (title, screen_class(name).BINDINGS) for name, (_, _, title) in SCREENS.items()
    ]


def keymap_problems(overrides: dict[str, str]) -> dict[str, str]:
    """What is wrong with [keys] entries (binding id -> keys), by id: an id no binding has,
    or a key that another binding of the same screen (or an app-wide one) has already."""
    sections = all_bindings()
    known = {b.id for _, bindings in sections for b in bindings if b.id}
    problems = {i: f"{i!r} is no binding id (the help screen, ?, lists the ids)"
                for i in overrides if i not in known}  # fmt: skip
    for title, bindings in sections[1:]:
        users: dict[str, set[str]] = {}  # key -> the ids it runs on this screen
        for b in [*APP_BINDINGS, *bindings]:
            if b.id is None:
                continue
            keys = overrides.get(b.id, b.key) if b.id not in problems else b.key
            for key in (k.strip() for k in keys.split(",")):
                users.setdefault(key, set()).add(b.id)
        for key, ids in users.items():
            for i in sorted(ids & overrides.keys()):
                others = sorted(ids - {i})
                if others and i not in problems:
                    problems[i] = (f"{i} = {overrides[i]!r}: {key!r} is already the key of"
                                   f" {others[0]} ({title})")  # fmt: skip
    return problems


def hidden_app_keys(*actions: str) -> list[Binding]:
    """App keys repeated on a screen with show=False (same ids, so [keys] still applies):
    they keep working there but leave the footer to the screen's own keys."""
    return [
        Binding(b.key, f"app.{b.action}", b.description, show=False, id=b.id)
        for b in APP_BINDINGS
        if b.action in actions
    ]


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


def key_text(app: App, binding: Binding) -> str:
    """The keys of a binding as the user has them (config.toml [keys] applied)."""
    overrides = getattr(app, "key_overrides", {})
    keys = overrides.get(binding.id, binding.key) if binding.id else binding.key
    return ", ".join(key_label(app, k) for k in keys.split(","))
