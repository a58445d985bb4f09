"""`heartcards export [-o FILE] [DECK...] [--scheduling]`: write the decks as an Anki .apkg.

Progress goes to stderr, and only when it is a terminal; the result is one line on stdout.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.context import Context, UserError, warn_deck_problems

DEFAULT_OUTPUT = "heartcards.apkg"


def output_path(text: str) -> Path:
    """Where an export goes, as the CLI's -o and the TUI's field both take it: ~ expanded,
    relative to the working directory, a folder gets heartcards.apkg inside, and the .apkg
    suffix is added when missing (not to a device or FIFO, which the export refuses)."""
    path = Path(text.strip() or DEFAULT_OUTPUT).expanduser()
    if path.is_dir():
        path = path / DEFAULT_OUTPUT
    special = path.exists() and not path.is_file()  # a device, a FIFO: refused as it is
    if path.suffix.lower() != ".apkg" and not special:
        path = path.with_name(path.name + ".apkg")
    return path.absolute()


def select_decks(ctx: Context, ids: list[str]):
    """The decks named by `ids` (all decks when empty), in library order."""
    decks = ctx.library.decks
    if not ids:
        if not decks:
            raise UserError("no decks to export")
        return list(decks)
    known = {d.id for d in decks}
    for deck_id in ids:
        if deck_id not in known:
            names = ", ".join(d.id for d in decks) or "none"
            raise UserError(f"no deck {deck_id!r} (decks: {names})")
    wanted = set(ids)
    return [d for d in decks if d.id in wanted]


class TerminalProgress:
    """`exporting: 40% (1,234/3,085 notes)` rewritten in place on a terminal."""

    def __init__(self, stream, interval: float = 0.1):
        self.stream = stream
        self.interval = interval
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        pct = 100 * done // total if total else 100
        self.stream.write(f"\rexporting: {pct:3d}% ({done:,}/{total:,} notes)")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


def run_export(ctx: Context, args) -> int:
    from cards.anki import ExportError, export_apkg

    warn_deck_problems(ctx)
    decks = select_decks(ctx, list(getattr(args, "decks_to_export", None) or []))
    output = output_path(str(args.output or ""))
    scheduling = bool(getattr(args, "scheduling", False))
    progress = TerminalProgress(sys.stderr) if _isatty(sys.stderr) else None
    try:
        result = export_apkg(
            decks,
            output,
            store=ctx.store,
            scheduling=scheduling,
            settings=ctx.settings,
            now=ctx.clock(),
            progress=progress,
        )
    except ExportError as e:
        raise UserError(str(e)) from None
    finally:
        if progress is not None:
            progress.clear()
    what = f"{_n(result.notes, 'note')}, {_n(result.cards, 'card')}"
    if scheduling:
        what += f", {_n(result.scheduled, 'card')} with scheduling, {_n(result.reviews, 'review')}"
    print(f"wrote {result.path} ({_n(len(decks), 'deck')}: {what})")
    if not scheduling:  # nothing of the collection went out: no need to say there is none
        ctx.no_collection = False
    return 0


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
