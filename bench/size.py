"""Collection size: heartcards' collection beside Anki's equal one (the same cards and the
same 10 reviews a card, bench.gen and bench.anki_ref), in bytes on disk after a checkpoint
(the WAL copied in and emptied), as a user's disk would hold them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.timing import Row, Stat


def checkpointed_mb(path: Path) -> float:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        db.close()
    return path.stat().st_size / 1e6


def rows(worlds: dict[int, tuple], label) -> list[Row]:
    from cards.store import DB_FILE

    out = []
    for n, (synth, anki_path) in sorted(worlds.items()):
        reviews = f"{n * 10 // 1_000_000}M" if n >= 100_000 else f"{n * 10 // 1000}k"
        out.append(
            Row(
                "collection size (after a checkpoint)",
                f"{label(n)}, {reviews} reviews",
                "MB",
                Stat([checkpointed_mb(synth.home / DB_FILE)]),
                "Anki engine (same cards and history)",
                Stat([checkpointed_mb(anki_path)]),
                target="<= 1.0x Anki" if n >= 100_000 else "(reported)",
                max_ratio=1.0 if n >= 100_000 else None,
            )
        )
    return out
