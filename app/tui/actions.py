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
