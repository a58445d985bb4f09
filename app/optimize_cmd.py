"""`heartcards optimize [--dry-run]`: fit FSRS parameters to your own reviews and show
whether the fit helps; saves them as `fsrs_params` unless --dry-run."""

from __future__ import annotations

import sys

from app.context import Context, UserError


def run_optimize(ctx: Context, args) -> int:
    from cards import optimize

    say = _progress(sys.stderr)
    say("reading the review log ...")
    rows = ctx.store.review_rows()
    say(f"fitting FSRS to {len(rows):,} reviews ...")
    try:
        fit = optimize.fit(rows, ctx.settings, ctx.clock())
    except optimize.TooFewReviews as e:
        raise UserError(str(e)) from None
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
        return 0
    if getattr(args, "dry_run", False):
        print("not saved (--dry-run)")
        return 0
    say("working out the memory of every card with the new parameters ...")
    try:
        cards = optimize.apply(ctx.store, ctx.settings, ctx.home, fit.parameters, ctx.clock(), rows)
    except OSError as e:  # config.toml could not be written: no card was changed either
        raise UserError(
            f"cannot save {ctx.home / 'config.toml'}: {e.strerror or e}; nothing changed"
        ) from None
    finally:
        say("")
    print(
        f"saved fsrs_params in {ctx.home / 'config.toml'}; the memory of {cards:,} cards is"
        " worked out again with them (due dates kept)"
    )
    return 0


def _progress(stream):
    """say(text): one line of progress, rewritten in place, on a terminal only."""
    tty = stream.isatty()

    def say(text: str) -> None:
        if tty:
            stream.write(f"\r\x1b[2K{text}")
            stream.flush()

    return say
