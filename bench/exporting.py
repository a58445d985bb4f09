"""Export to .apkg beside genanki alone, through bench/export.py's building blocks (the
export engineer's benchmark): the same notes, runs alternating, after a warm-up of each.
With scheduling: the same export carrying card states and the review log (10 reviews
per card: 13k cards -> 130k revlog rows for 10k notes)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from bench.timing import Row, Stat


def rows(notes: int, runs: int, scheduling: bool) -> list[Row]:
    from bench import export as ex
    from cards import anki

    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hc-bench-export-") as tmp:
        root = Path(tmp)
        decks = ex.make_decks(root / "decks", notes)
        n_notes = sum(len(d.notes) for d in decks)
        inputs = ex.genanki_inputs(decks)
        base_out, ours_out = root / "genanki.apkg", root / "heartcards.apkg"

        def base():
            ex.genanki_alone(inputs, base_out)

        def ours():
            anki.export_apkg(decks, ours_out)

        base(), ours()
        t_base, t_ours = [], []
        for _ in range(runs):
            t_base.append(ex.timed(base))
            t_ours.append(ex.timed(ours))
        label = f"{n_notes // 1000}k notes" if n_notes >= 1000 else f"{n_notes} notes"
        big = n_notes >= 10_000
        out.append(
            Row(
                "export .apkg",
                label,
                "s",
                Stat(t_ours),
                "genanki alone",
                Stat(t_base),
                target="<= 1.2x genanki" if big else "(reported)",
                max_ratio=1.2 if big else None,
                note=f"{runs} runs",
            )
        )
        if scheduling:
            from bench.gen import write_store
            from cards.store import Store

            now = datetime.now().astimezone().replace(microsecond=0)
            keys = [c.key for d in decks for c in d.cards]
            write_store(root / "home", keys, now)
            store = Store.open(root / "home")
            result = None
            try:

                def sched():
                    nonlocal result
                    result = anki.export_apkg(
                        decks, ours_out, store=store, scheduling=True, now=now
                    )

                sched()
                t_sched = [ex.timed(sched) for _ in range(max(1, runs // 2))]
            finally:
                store.close()
            out.append(
                Row(
                    "export .apkg --scheduling",
                    f"{label}, {result.reviews // 1000}k revlog rows",
                    "s",
                    Stat(t_sched),
                    "genanki alone (no scheduling)",
                    Stat(t_base),
                    target="<= 3x genanki" if big else "(reported)",
                    max_ratio=3.0 if big else None,
                    note=f"{len(t_sched)} runs",
                )
            )
    return out


def big_rows(synth, runs: int) -> list[Row]:
    """The scale run's collection (bench.gen, 10 reviews a card) exported whole, with its
    history, beside genanki alone on the same notes without any."""
    from bench import export as ex
    from cards import anki
    from cards.library import load_library
    from cards.store import Store

    decks = load_library(builtin=False, extra=[synth.decks_dir]).decks
    inputs = ex.genanki_inputs(decks)
    store = Store.open(synth.home)
    result = None
    with tempfile.TemporaryDirectory(prefix="hc-bench-export-") as tmp:
        root = Path(tmp)

        def ours():
            nonlocal result
            result = anki.export_apkg(decks, root / "ours.apkg", store=store, scheduling=True,
                                      now=synth.now)  # fmt: skip

        try:
            t_base, t_ours = [], []
            for _ in range(runs):
                t_base.append(ex.timed(lambda: ex.genanki_alone(inputs, root / "genanki.apkg")))
                t_ours.append(ex.timed(ours))
        finally:
            store.close()
    n_notes = sum(len(d.notes) for d in decks)
    return [
        Row(
            "export .apkg --scheduling",
            f"{n_notes // 1000}k notes, {result.reviews // 1000}k revlog rows",
            "s",
            Stat(t_ours),
            "genanki alone (no scheduling)",
            Stat(t_base),
            target="(reported)",
            note=f"{runs} runs",
        )
    ]
