"""`heartcards optimize [DECK...] [--dry-run]`: fit FSRS parameters to your own reviews and
show whether the fit helps; saves them as `fsrs_params` (for the collection, or in each
named deck's [decks.ID] table) unless --dry-run."""

from __future__ import annotations

import sys

from app.context import Context, UserError


def run_optimize(ctx: Context, args) -> int:
    from cards import optimize

    decks = list(dict.fromkeys(getattr(args, "fit_decks", None) or []))
    unknown = [d for d in decks if ctx.library.deck(d) is None]
    if unknown:
        known = ", ".join(d.id for d in ctx.library.decks) or "none"
        raise UserError(f"no deck {unknown[0]!r} (decks: {known})")
    say = _progress(sys.stderr)
    say("reading the review log ...")
    rows = ctx.store.review_rows()
    failed = 0
    for deck in decks or [None]:
        if deck is not None:
            print(f"deck {deck}:")
        try:
            _optimize_one(
                ctx, args, say, optimize.rows_for(ctx.store, ctx.settings, deck, rows), deck
            )
        except optimize.TooFewReviews as e:
            if deck is None:
                raise UserError(str(e)) from None
            print(f"  {e}")
            failed += 1
    return 1 if failed == len(decks) and decks else 0


def _optimize_one(ctx: Context, args, say, rows, deck: str | None) -> None:
    from cards import optimize

    say(f"fitting FSRS to {len(rows):,} reviews ...")
    settings = ctx.settings if deck is None else ctx.settings.for_deck(deck)
    try:
        fit = optimize.fit(rows, settings, ctx.clock())
    finally:
        say("")
    held = f"{fit.items - int(fit.items * (1 - optimize.HELD_OUT)):,}"
    print(f"{fit.reviews:,} reviews, {fit.items:,} training items (as Anki counts them)")
    print(f"on the newest {held} items, fitted on the older ones:")
    print(f"  parameters in use  log loss {fit.current.log_loss:.4f}  RMSE {fit.current.rmse:.4f}")
    print(f"  fitted             log loss {fit.fitted.log_loss:.4f}  RMSE {fit.fitted.rmse:.4f}")
    if fit.partial:
        print(
            f"  (fewer than {optimize.FULL_FIT_ITEMS} items: only the initial stabilities fitted)"
        )
    if fit.kept_current:
        print("the parameters in use fit your reviews as well: nothing to change")
        return
    if getattr(args, "dry_run", False):
        print("not saved (--dry-run)")
        return
    say("working out the memory of every card with the new parameters ...")
    try:
        cards = optimize.apply(ctx.store, ctx.settings, ctx.home, fit.parameters, ctx.clock(),
                               rows, deck)  # fmt: skip
    except OSError as e:  # config.toml could not be written: no card was changed either
        raise UserError(
            f"cannot save {ctx.home / 'config.toml'}: {e.strerror or e}; nothing changed"
        ) from None
    finally:
        say("")
    ctx.reload_settings()
    where = "fsrs_params" if deck is None else f"decks.{deck}.fsrs_params"
    print(
        f"saved {where} in {ctx.home / 'config.toml'}; the memory of {cards:,} cards is"
        " worked out again with them (due dates kept)"
    )


def _progress(stream):
    """say(text): one line of progress, rewritten in place, on a terminal only."""
    tty = stream.isatty()

    def say(text: str) -> None:
        if tty:
            stream.write(f"\r\x1b[2K{text}")
            stream.flush()

    return say
