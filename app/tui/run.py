"""Start the TUI. Imported only when the TUI is wanted, so other commands stay fast."""

from __future__ import annotations

import sys

from app.context import Context


def run_tui(ctx: Context, *, review: bool, decks: list[str] | None) -> int:
    from app.tui.app import HeartcardsApp

    # Resolve everything that can fail before the screen switches to the TUI,
    # so errors are one clear line on a normal terminal.
    ctx.settings, ctx.store, ctx.library  # noqa: B018
    if decks:
        ctx.session(decks)
    for err in ctx.library.errors:
        print(f"warning: {err}", file=sys.stderr)
    app = HeartcardsApp(ctx, start_review=review, decks=decks)
    app.run()
    return app.return_code or 0
