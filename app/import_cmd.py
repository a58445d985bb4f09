"""`heartcards import FILE`: bring what was studied in Anki back (an .apkg or .colpkg
exported from Anki with scheduling). Prints one summary; a file that is not a readable
Anki package is one line and exit 1, with nothing changed."""

from __future__ import annotations

from pathlib import Path

from app.context import Context, UserError, warn_deck_problems


def run_import(ctx: Context, args) -> int:
    from cards import scheduler
    from cards.anki_import import PackageError, plan, read_package

    warn_deck_problems(ctx)
    path = Path(args.file)
    try:
        package = read_package(path)
    except PackageError as e:
        raise UserError(str(e)) from None
    store = ctx.store
    todo = plan(package, list(ctx.library.decks), store.review_times())
    settings = ctx.settings
    merged, touched = store.merge_reviews(
        [(r.key, r.at_ms, r.rating, r.duration_ms) for r in todo.reviews],
        lambda state, rating, at: scheduler.review(settings, state, rating, at),
        settings.day_starts_at,
        suspend=todo.suspend,
    )
    print(f"imported {path}: {_n(merged, 'review')} merged, {_n(touched, 'card')} touched")
    for why, count in sorted(todo.skipped.items()):
        print(f"  skipped {_n(count, 'review')} {why}")
    if todo.notes_not_ours:
        print(
            f"  {_n(todo.notes_not_ours, 'note')} not from your decks left in Anki"
            f" ({_n(todo.notes_ours, 'note')} of yours found)"
        )
    return 0


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"
