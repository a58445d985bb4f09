"""`heartcards check` of the generated decks beside tomllib alone parsing the same files.

Both are whole processes, run alternately: `python -m app check DIR` (read, parse,
validate every note, report) and `python -c <read + tomllib.loads each file>`. With
several large files and more than one CPU, check parses in worker processes
(cards.library.PARALLEL_MIN_BYTES); the second row is the same check kept to one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.timing import Row, Stat

ROOT = Path(__file__).resolve().parent.parent

TOMLLIB = """
import sys, tomllib
from pathlib import Path
for f in sorted(Path(sys.argv[1]).glob("*.toml")):
    tomllib.loads(f.read_text(encoding="utf-8"))
"""


def _run(argv: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=_env())
    t = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr.strip()[-500:]}")
    return t


def _env() -> dict:
    skip = ("HEARTCARDS", "PYTHONDONTWRITEBYTECODE")  # bytecode cached, as after a first run
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env["PYTHONPATH"] = str(ROOT)
    return env


ONE_PROCESS = """
import sys
import cards.library
cards.library.PARALLEL_MIN_BYTES = float("inf")
from app.cli import main
raise SystemExit(main(["check", sys.argv[1]]))
"""


def rows(decks_dir: Path, runs: int, size: str, big: bool) -> list[Row]:
    check = [sys.executable, "-m", "app", "check", str(decks_dir)]
    single = [sys.executable, "-c", ONE_PROCESS, str(decks_dir)]
    parse = [sys.executable, "-c", TOMLLIB, str(decks_dir)]
    _run(check), _run(parse)  # warm the OS caches
    ours, one, ref = [], [], []
    for _ in range(runs):
        ref.append(_run(parse))
        ours.append(_run(check))
        one.append(_run(single))
    return [
        Row(
            "check",
            size,
            "s",
            Stat(ours),
            "tomllib parse alone",
            Stat(ref),
            target="<= 1.3x tomllib" if big else "(reported)",
            max_ratio=1.3 if big else None,
            note=f"{runs} runs",
        ),
        Row(
            "check, kept to one process",
            size,
            "s",
            Stat(one),
            "tomllib parse alone",
            Stat(ref),
            target="(reported)",
            note=f"{runs} runs",
        ),
    ]
