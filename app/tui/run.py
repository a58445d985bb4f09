"""Start the TUI. Imported only when the TUI is wanted, so other commands stay fast."""

from __future__ import annotations

import gc
import sys
from functools import partial

from app.context import Context, warn_deck_problems

# Seconds an answer waits for another process's write lock before the review says so (and
# keeps trying): another heartcards holds it for milliseconds; longer is something else.
TUI_BUSY_TIMEOUT = 0.25
# Textual's writer thread puts each frame on the terminal, and waits for the GIL to do it
# while the main thread works on (Textual's own layout passes, the card's options): with
# Python's 5 ms switch interval the first frame reached the terminal ~10 ms after it was
# drawn, at this interval ~1.6 ms (measured, fresh processes in a pty). Start-up only.
START_SWITCH_INTERVAL = 0.0005


def _started(switch_interval: float) -> None:
    """The first frame is out: the collector and the switch interval as they were."""
    gc.enable()
    sys.setswitchinterval(switch_interval)


def run_tui(ctx: Context, *, review: bool, decks: list[str] | None) -> int:
    # Start-up (importing Textual, building the first screen) allocates a great deal and
    # frees almost nothing, so collecting meanwhile is wasted time (about 10 ms). The app
    # turns the collector back on once the first frame is on screen.
    gc.disable()
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(START_SWITCH_INTERVAL)
    try:
        from app.tui.app import HeartcardsApp

        # Resolve everything that can fail before the screen switches to the TUI,
        # so errors are one clear line on a normal terminal.
        ctx.busy_timeout = TUI_BUSY_TIMEOUT
        from cards.store import DB_FILE

        made = None if (ctx.home / DB_FILE).exists() else ctx.home / DB_FILE
        ctx.settings, ctx.store, ctx.library  # noqa: B018
        if decks:
            ctx.session(decks)
        warn_deck_problems(ctx)
        app = HeartcardsApp(ctx, start_review=review, decks=decks, new_collection=made,
                            started=partial(_started, switch_interval))  # fmt: skip
        app.run()
    finally:
        _started(switch_interval)
    return app.return_code or 0
