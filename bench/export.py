"""Benchmark: `heartcards export` against genanki alone writing the same notes.

    python -m bench.export [--notes 10000] [--runs 7] [--scheduling] [--max-ratio 1.2]
    python bench/export.py ...

Decks of synthetic notes (every kind, bench.gen's text) are loaded once. Then, side by
side, alternating, after one warm-up run of each:

  genanki alone   given the notes ready-made (fields, tags, GUIDs, note types, decks):
                  creates its Notes and Decks and calls Package.write_to_file;
  heartcards      cards.anki.export_apkg from the Deck objects: builds every field
                  from the deck text, then writes the package through genanki, into a
                  temp file it moves into place.

Reports the median of each, their ratio and the file sizes; with --scheduling also the
export with scheduling and review history (10 reviews per card; informational, genanki
alone cannot write it). Exits 1 if the ratio of the plain export exceeds --max-ratio.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen import write_decks, write_store  # noqa: E402
from cards import anki, kinds  # noqa: E402
from cards.library import load_library  # noqa: E402
from cards.model import Deck  # noqa: E402


def make_decks(root: Path, notes: int) -> list[Deck]:
    """Exactly `notes` notes, in decks of bench.gen's mix (10 notes -> 13 cards)."""
    write_decks(root, notes * 13 // 10 + 20)
    lib = load_library(builtin=False, extra=[root])
    if lib.errors:
        raise SystemExit(f"generated decks do not load: {lib.errors[0]}")
    out, left = [], notes
    for deck in lib.decks:
        if left <= 0:
            break
        out.append(deck.replace(notes=deck.notes[:left]))
        left -= len(out[-1].notes)
    return out


def genanki_inputs(decks: list[Deck]) -> list[tuple]:
    """What genanki is given in the baseline: per deck, (id, name, [(model, fields, tags,
    guid)]) -- the very notes the export writes."""
    models = anki._models()
    out = []
    for deck in decks:
        ctx = anki._DeckFields(deck)
        notes = [
            (
                models[kinds.of(n).note_type(n).key],
                anki.note_fields(n, ctx),
                ctx.tags(n),
                anki.note_guid(f"{deck.id}/{n.id}"),
            )
            for n in deck.notes
        ]
        out.append((anki.deck_id(deck.id), anki.anki_deck_name(deck), notes))
    return out


def genanki_alone(inputs: list[tuple], path: Path) -> None:
    import genanki

    decks = []
    for did, name, notes in inputs:
        deck = genanki.Deck(did, name)
        for model, fields, tags, guid in notes:
            deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid))
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(path))


def timed(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n")[0])
    p.add_argument("--notes", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--scheduling", action="store_true", help="also time --scheduling")
    p.add_argument("--max-ratio", type=float, default=1.2)
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hc-bench-export-") as tmp:
        root = Path(tmp)
        decks = make_decks(root / "decks", args.notes)
        n_notes = sum(len(d.notes) for d in decks)
        n_cards = sum(len(d.cards) for d in decks)
        inputs = genanki_inputs(decks)
        base_out, ours_out = root / "genanki.apkg", root / "heartcards.apkg"

        def base():
            genanki_alone(inputs, base_out)

        def ours():
            anki.export_apkg(decks, ours_out)

        base(), ours()  # warm-up: imports, caches
        t_base, t_ours = [], []
        for _ in range(args.runs):
            t_base.append(timed(base))
            t_ours.append(timed(ours))
        m_base, m_ours = statistics.median(t_base), statistics.median(t_ours)
        ratio = m_ours / m_base

        print(f"export of {n_notes:,} notes ({n_cards:,} cards), median of {args.runs} runs each")
        print(f"  genanki alone, same notes ready-made  {m_base:7.3f} s   {_size(base_out)}")
        print(f"  heartcards export                     {m_ours:7.3f} s   {_size(ours_out)}")
        print(f"  ratio                                 {ratio:7.2f}x  (limit {args.max_ratio}x)")
        print("  runs (s): genanki " + " ".join(f"{t:.3f}" for t in t_base))
        print("            ours    " + " ".join(f"{t:.3f}" for t in t_ours))

        if args.scheduling:
            from cards.store import Store

            now = datetime.now().astimezone().replace(microsecond=0)
            keys = [c.key for d in decks for c in d.cards]
            write_store(root / "home", keys, now)
            store = Store.open(root / "home")
            try:
                result = None

                def sched():
                    nonlocal result
                    result = anki.export_apkg(
                        decks, ours_out, store=store, scheduling=True, now=now
                    )

                sched()
                t_sched = statistics.median(timed(sched) for _ in range(max(1, args.runs // 2)))
            finally:
                store.close()
            print(
                f"  heartcards export --scheduling        {t_sched:7.3f} s   {_size(ours_out)}"
                f"  ({result.reviews:,} reviews; {t_sched / m_base:.2f}x genanki alone)"
            )
    return 0 if ratio <= args.max_ratio else 1


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:6.1f} MB"


if __name__ == "__main__":
    sys.exit(main())
