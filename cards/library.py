"""Where decks come from: the shipped decks, the user's own, and --decks paths."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cards.model import Card, Deck

if TYPE_CHECKING:
    from cards.deckfile import DeckError


def __getattr__(name):  # DeckError without importing the parser on every start-up
    if name == "DeckError":
        from cards.deckfile import DeckError

        return DeckError
    raise AttributeError(name)


def builtin_decks_dir() -> Path:
    """The shipped decks: inside the package when installed, else the checkout's decks/."""
    here = Path(__file__).resolve().parent
    packaged = here / "_decks"
    return packaged if packaged.is_dir() else here.parent / "decks"


class Library:
    """Every deck that loaded, in load order, and every problem found on the way."""

    def __init__(self, decks: list[Deck] | None = None, errors: list[DeckError] | None = None):
        self.decks = [] if decks is None else decks
        self.errors = [] if errors is None else errors

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self, deck_ids: list[str] | None = None) -> list[Card]:
        decks = [d for d in self.decks if not deck_ids or d.id in deck_ids]
        from cards.deckcache import CachedDeck, CardList

        if decks and all(isinstance(d, CachedDeck) and d.lazy for d in decks):
            return CardList(decks)  # the same cards, made only when used
        return [c for d in decks for c in d.cards]


def deck_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.toml")) if path.is_dir() else [path]


def load_library(
    *,
    builtin: bool = True,
    home: Path | None = None,
    extra: list[Path] = (),
    cache_dir: Path | None = None,
) -> Library:
    """Load decks from, in order: shipped decks, <home>/decks, each --decks path.

    With `cache_dir` (e.g. <home>/cache/decks), unchanged deck files are read from the
    cache instead of parsed (see cards.deckcache); the result is the same."""
    roots: list[tuple[Path, bool]] = []  # (path, must exist)
    if builtin:
        roots.append((builtin_decks_dir(), False))
    if home is not None:
        roots.append((home / "decks", False))
    roots += [(Path(p), True) for p in extra]

    # Parsing makes many objects that all live on; collecting garbage meanwhile only
    # rescans them (a fifth of the time at 100k cards). Collection resumes afterwards.
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(roots, cache_dir)
    finally:
        if collecting:
            gc.enable()


def _load(roots: list[tuple[Path, bool]], cache_dir: Path | None) -> Library:
    lib = Library()
    where: dict[str, str] = {}  # deck id -> file it came from
    shipped_dir = builtin_decks_dir()
    items: list[tuple[str, Path]] = []  # ("missing", root) | ("file", path), in order
    for root, required in roots:
        if not root.exists():
            if required:
                items.append(("missing", root))
            continue
        items += [("file", path) for path in deck_files(root)]
    files = [path for what, path in items if what == "file"]
    if cache_dir is not None:
        from cards import deckcache

        loaded = iter([deckcache.load(p, display(p), cache_dir) for p in files])
    else:
        loaded = _parse_all(files)
    for what, path in items:
        if what == "missing":
            from cards.deckfile import DeckError

            lib.errors.append(DeckError(str(path), 0, 0, "no such file or folder"))
            continue
        deck, errors = next(loaded)
        lib.errors += errors
        if deck is None:
            continue
        if (
            deck.id in where
            and _shipped(where[deck.id], shipped_dir)
            and not _shipped(display(path), shipped_dir)
        ):  # a learner's own copy of a shipped deck (to edit it) takes its place
            lib.decks = [d for d in lib.decks if d.id != deck.id]
            del where[deck.id]
        if deck.id in where:
            from cards.deckfile import DeckError

            lib.errors.append(
                DeckError(
                    display(path),
                    *_deck_id_position(path),
                    f"deck id {deck.id!r} is already used by {where[deck.id]}",
                )
            )
            continue
        where[deck.id] = display(path)
        lib.decks.append(deck)
    return lib


# Parsing is pure Python (tomllib): with several large files and more than one CPU, the
# files are parsed in forked worker processes, in order. Below this much text, or with
# one CPU, or when threads are running (forking them is unsafe), one process does it all.
PARALLEL_MIN_BYTES = 4_000_000


def _parse_all(files: list[Path]):
    """deckfile.load() of each file, in order (an iterator)."""
    from cards import deckfile

    jobs = _jobs(files)
    if jobs < 2:
        return (deckfile.load(p, display=display(p)) for p in files)
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        work = [(p, display(p)) for p in files]
        results = pool.imap(_parse_one, work, chunksize=1)
        return iter(list(results))
    finally:
        pool.close()
        pool.join()


def _parse_one(item: tuple[Path, str]):
    import gc

    from cards import deckfile

    gc.disable()  # a short-lived worker: nothing to collect
    path, display = item
    return deckfile.load(path, display=display)


def _jobs(files: list[Path]) -> int:
    import os
    import threading

    if len(files) < 2 or threading.active_count() > 1:
        return 1
    try:
        import multiprocessing

        multiprocessing.get_context("fork")
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        size = sum(p.stat().st_size for p in files)
    except (ValueError, OSError):
        return 1
    if not cpus or cpus < 2 or size < PARALLEL_MIN_BYTES:
        return 1
    return min(cpus, len(files))


def _shipped(shown: str, shipped_dir: Path) -> bool:
    try:
        return Path(shown).resolve().is_relative_to(shipped_dir.resolve())
    except OSError:
        return False


def is_shipped(path: Path) -> bool:
    """Whether a deck file is one of the shipped decks (read-only to the app's editing)."""
    return _shipped(str(path), builtin_decks_dir())


def display(path: Path) -> str:
    """Paths under the working directory are shown relative to it, like compilers do."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _deck_id_position(path: Path) -> tuple[int, int]:
    from cards.tomlpos import lookup, positions

    return lookup(positions(path.read_text(encoding="utf-8")), ("deck", "id"))
