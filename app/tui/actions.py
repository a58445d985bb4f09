"""Store changes that several screens offer, with the notice a user sees either way."""

from __future__ import annotations

from textual.screen import Screen

from cards.store import StoreError


def toggle_suspend(screen: Screen, key: str) -> bool:
    """Suspend the card `key` or take its suspension back; False (and a notice saying
    why, nothing changed) if the collection cannot be written now."""
    store = screen.app.ctx.store
    try:
        suspended = store.get(key).suspended
        store.set_suspended(key, not suspended)
    except StoreError as e:
        screen.notify(f"Not changed: {e}.", severity="error", markup=False)
        return False
    screen.notify("Unsuspended" if suspended else "Suspended", timeout=3)
    return True


def report_store_errors(screen: Screen, event) -> None:
    """A screen's Worker.StateChanged handler, for loading workers started with
    exit_on_error=False: a damaged collection is a notice on screen, not a crash; any other
    error still ends the app, with its traceback."""
    from textual.worker import WorkerState

    if event.state is WorkerState.ERROR:
        error = event.worker.error
        if not isinstance(error, StoreError):
            raise error
        screen.notify(f"Cannot show this: {error}", severity="error", markup=False, timeout=15)


def edit_note(screen: Screen, card):
    """Open the card's note in the learner's editor (cards.editor) at its line, with the
    TUI suspended, then read the decks again: the card as it is now (its key, and so its
    schedule, unchanged), or None if there is none to show (it is gone, its deck does not
    load, or no editor ran: a notice says which). A shipped deck is copied into
    <home>/decks first, and that copy is the deck from then on. A problem the edit made is
    a notice naming file, line and column; e opens the editor again."""
    import shutil
    import subprocess

    from textual.app import SuspendNotSupported

    from cards import editor
    from cards.library import display, is_shipped

    app = screen.app
    ctx = app.ctx
    deck = ctx.library.deck(card.deck_id)
    edited = app.edited_files
    path = deck.path if deck is not None else edited.get(card.deck_id)
    if path is None:  # (a deck broken by an edit is edited again from where it was)
        screen.notify("This card's deck file is not known.", severity="error")
        return None
    if is_shipped(path):
        own = ctx.home / "decks" / path.name
        if not own.exists():
            own.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, own)
        screen.notify(f"Shipped decks are read-only: you edit your copy, {own}.", timeout=6,
                      markup=False)  # fmt: skip
        path = own
    edited[card.deck_id] = path
    try:
        cmd = editor.command(path, card.note.line)
    except editor.NoEditor as e:
        screen.notify(f"{e}.", severity="error", markup=False)
        return None
    try:
        try:
            with app.suspend():
                subprocess.run(cmd, check=False)
        except SuspendNotSupported:  # (headless, in tests)
            subprocess.run(cmd, check=False)
    except OSError as e:
        screen.notify(f"Could not start {cmd[0]}: {e.strerror or e}.", severity="error",
                      markup=False)  # fmt: skip
        return None
    ctx.__dict__.pop("library", None)  # read the decks again (unchanged files: the cache)
    shown = display(path)
    problems = [e for e in ctx.library.errors if e.path == shown and not e.warning]
    if problems:
        screen.notify(f"{problems[0]} (e edits it again)", severity="error", timeout=20,
                      markup=False)  # fmt: skip
    for c in ctx.library.cards([card.deck_id]) if ctx.library.deck(card.deck_id) else ():
        if c.key == card.key:
            return c
    return None
