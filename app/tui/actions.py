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
