"""Optimising FSRS on the scale run's collection (bench.gen: 10 reviews a card), beside
Anki's own optimiser on the equal Anki collection (bench.anki_ref): `heartcards optimize`
in-process (the log read, the fit with its held-out score, every card's memory worked
out again and saved) against Anki's compute_fsrs_params (its items, its fit, its check
against the parameters in use). Each on a copy, so the other suites see the collection
as it was."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.timing import Row, Stat


def rows(synth, anki_path: Path, label: str, runs: int = 1) -> list[Row]:
    from cards import optimize
    from cards.config import Settings
    from cards.scheduler import parameters
    from cards.store import Store

    ours, theirs, reviews = [], [], 0
    with tempfile.TemporaryDirectory(prefix="hc-bench-optimize-") as tmp:
        for i in range(runs):
            home = Path(tmp) / f"home{i}"
            shutil.copytree(synth.home, home)
            store = Store.open(home)
            t = time.perf_counter()
            rows_ = store.review_rows()
            fit = optimize.fit(rows_, Settings(), synth.now)
            if not fit.kept_current:
                optimize.apply(store, Settings(), home, fit.parameters, synth.now, rows_)
            ours.append(time.perf_counter() - t)
            reviews = fit.reviews
            store.close()

            from anki.collection import Collection

            copy = Path(tmp) / f"anki{i}" / "collection.anki2"
            copy.parent.mkdir()
            shutil.copy(anki_path, copy)
            col = Collection(str(copy))
            try:
                t = time.perf_counter()
                col._backend.compute_fsrs_params(
                    search="", current_params=parameters(), ignore_revlogs_before_ms=0,
                    num_of_relearning_steps=1, health_check=False,
                )  # fmt: skip
                theirs.append(time.perf_counter() - t)
            finally:
                col.close()
    return [
        Row(
            "optimize FSRS (fit, score, memory of every card saved)",
            f"{label}, {reviews // 1000}k reviews",
            "s",
            Stat(ours),
            "Anki's optimiser (compute_fsrs_params)",
            Stat(theirs),
            target="(reported)",
            note=f"{runs} run" + "s" * (runs != 1),
        )
    ]
