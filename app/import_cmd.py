"""`heartcards import FILE`: bring what was studied in Anki back (an .apkg or .colpkg
exported from Anki with scheduling), and Anki's own notes as TOML decks in <home>/decks
(cards.anki_decks) with their review history. Prints one summary; a file that is not a
readable Anki package is one line and exit 1, with nothing changed."""

from __future__ import annotations

import os
from pathlib import Path

from app.context import Context, UserError, warn_deck_problems
from cards.text import printable


def run_import(ctx: Context, args) -> int:
    from cards import scheduler
    from cards.anki_import import PackageError, plan, read_package

    warn_deck_problems(ctx)
    path = Path(args.file)
    try:
        package = read_package(path)
    except PackageError as e:
        raise UserError(str(e)) from None
    theirs = _write_decks(ctx, package)
    store = ctx.store
    todo = plan(package, list(ctx.library.decks), store.review_times(), theirs)
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


def _write_decks(ctx: Context, package) -> dict[str, tuple[str, str]]:
    """Write Anki's own notes as decks in <home>/decks (a file only when its text changes),
    say what was written and left out, and read the decks again; Anki GUID -> (deck, note)
    of the notes written."""
    from cards import anki_decks
    from cards.anki import note_guid

    if package.content is None:
        return {}
    library = ctx.library
    ours = {note_guid(f"{d.id}/{n.id}") for d in library.decks for n in d.notes}
    folder = ctx.home / "decks"
    card_ords: dict[int, set[int]] = {}
    for nid, ord_, _ in package.cards.values():
        card_ords.setdefault(nid, set()).add(ord_)
    made = anki_decks.convert(package.content, ours, card_ords)
    theirs: dict[str, tuple[str, str]] = {}
    changed = 0
    for deck_id, table in sorted(made.decks.items()):
        target = folder / f"{deck_id}.toml"
        other = library.deck(deck_id)
        if other is not None and other.path is not None and Path(other.path) != target:
            print(printable(f"  deck {deck_id!r} not written: {other.path} has that id"))
            continue
        table, dropped = anki_decks.valid_notes(table)
        for line in dropped:
            print(printable(f"  {deck_id}: note {line}: left in Anki"))
        if not table["notes"]:
            continue
        text = anki_decks.render(table)
        try:
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                folder.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".toml.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, target)
                changed += 1
                verb = "wrote" if old is None else "updated"
                print(printable(f"  {verb} {target} ({_n(len(table['notes']), 'note')})"))
        except OSError as e:
            raise UserError(f"cannot write {target}: {e.strerror}") from None
        kept = {item["id"] for item in table["notes"]}
        theirs.update({g: dn for g, dn in made.guids.items() if dn[0] == deck_id and dn[1] in kept})
    for name, count in sorted(made.skipped_types.items()):
        print(printable(f"  {_n(count, 'note')} of note type {name!r} left in Anki"
                        " (heartcards makes Basic, reversed, Cloze and type-in notes)"))  # fmt: skip
    if made.with_media:
        print(f"  {_n(made.with_media, 'note')} had images or sounds, not copied (the text is)")
    if changed:
        ctx.__dict__.pop("library", None)  # read the decks again, the new ones with them
    return theirs


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"
