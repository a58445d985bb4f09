"""python -m bench [--quick] [--json] [--only SUITE,...] [--strict]

Runs every benchmark, each figure beside its reference measured in the same run, and
prints the table (Markdown) or, with --json, the same figures as JSON.

  --quick   the smoke run CI calls (about 30 s): 1k-card collections, few repetitions,
            plus a check that the indexed queue still equals the reference one.
            Its figures are not meaningful; it fails only if the harness breaks.
  --strict  also exit 1 when a target is missed (full runs).

Exit status: 0, or 1 when a suite failed to run (or, with --strict, missed a target).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

SUITES = ("startup", "queue", "scale", "answer", "size", "check", "export", "optimize", "sync")
SCALE = (10_000, 100_000, 300_000)  # cards: how start-up and today's queue grow


def _label(n: int) -> str:
    return f"{n // 1000}k cards" if n >= 1000 else f"{n} cards"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small smoke run (CI)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--only", default=",".join(SUITES), help=f"comma-separated: {SUITES}")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--sizes", help="collection sizes for queue/answer, e.g. 1000,10000,100000")
    args = p.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SUITES)
    if unknown:
        p.error(f"unknown suite(s): {', '.join(sorted(unknown))}")

    from bench import timing

    quick = args.quick
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [1000] if quick else [1000, 10_000, 100_000]
    )  # fmt: skip
    big = max(sizes)
    rows: list = []
    errors: list[str] = []
    started = time.perf_counter()

    def log(msg: str) -> None:  # progress goes to stderr, whatever the output format
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    def suite(name: str, fn) -> None:
        if name not in only:
            return
        log(f"{name} ...")
        try:
            rows.extend(fn())
        except Exception:
            errors.append(f"{name}: {traceback.format_exc()}")
            log(f"{name} FAILED")

    import compileall

    here = Path(__file__).resolve().parent.parent
    for package in ("cards", "app"):  # bytecode, as an installed (or already run) copy has
        compileall.compile_dir(here / package, quiet=2)

    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        root = Path(tmp)
        worlds: dict[int, tuple] = {}

        def world(n: int):
            if n not in worlds:
                from bench import anki_ref, gen

                log(f"generating {_label(n)} x 10 reviews (heartcards + Anki) ...")
                now = datetime.now().astimezone().replace(microsecond=0)
                synth = gen.make(root / f"c{n}", n, now)
                anki_path = anki_ref.make(
                    root / f"c{n}" / "anki" / "collection.anki2", synth.keys, now
                )
                os.sync()  # no dirty pages left for a measured fsync to flush
                worlds[n] = (synth, anki_path)
            return worlds[n]

        if quick:
            log("equivalence of the indexed queue ...")
            try:
                from tests import test_session_equivalence as test_equivalence

                test_equivalence.check(25)
                test_equivalence.check_note_lines(100)
            except Exception:
                errors.append(f"equivalence: {traceback.format_exc()}")

        def startup_rows():
            from bench import firstcard

            synth = world(big)[0] if (big >= 100_000 or quick) else None
            return firstcard.rows(synth, runs=2 if quick else 15, runs_big=2 if quick else 10,
                                  mem=True)  # fmt: skip

        def queue_rows():
            from bench import answer

            rs = answer.rows({n: world(n) for n in sizes}, 0, 2 if quick else 15, _label)
            return [r for r in rs if r.measure.startswith("today")]

        def answer_rows():
            from bench import answer

            rs = answer.rows({n: world(n) for n in sizes}, 40 if quick else 1000, 0, _label)
            return [r for r in rs if r.measure == "answer path"]

        def size_rows():
            from bench import size

            return size.rows({n: world(n) for n in sizes}, _label)

        def scale_rows():
            from bench import answer, firstcard

            scale = (1000, 2000) if quick else SCALE
            runs = 2 if quick else 5
            out = firstcard.scale_rows([world(n)[0] for n in scale], runs)
            for n in scale:
                synth, anki_path = world(n)
                ours = answer.heartcards_cold(synth, runs)
                ref = answer.anki_cold(anki_path, runs)
                out.append(timing.Row("scale: today's queue, cold", _label(n), "ms", ours,
                                      "Anki engine", ref, target="(reported)"))  # fmt: skip
            return out

        def check_rows():
            from bench import check

            synth = world(big)[0]
            return check.rows(synth.decks_dir, 1 if quick else 5, _label(big), big >= 100_000)

        def export_rows():
            from bench import exporting

            out = exporting.rows(200 if quick else 10_000, 1 if quick else 7, scheduling=True)
            if big >= 100_000:  # the 1M-review history of the scale run
                out += exporting.big_rows(world(big)[0], runs=2)
            return out

        suite("startup", startup_rows)
        suite("queue", queue_rows)
        suite("scale", scale_rows)  # before the answer suite writes to the collections
        suite("answer", answer_rows)
        suite("size", size_rows)
        suite("check", check_rows)
        suite("export", export_rows)

        def optimize_rows():
            from bench import optimizing

            synth, anki_path = world(big)
            return optimizing.rows(synth, anki_path, _label(big))

        suite("optimize", optimize_rows)

        def sync_rows():
            from bench import syncing

            return syncing.rows(world(big)[0], _label(big), rounds=1 if quick else 3,
                                answers=10 if quick else 100)  # fmt: skip

        suite("sync", sync_rows)

    if quick:  # a smoke run: 1k cards and two repetitions say nothing about the targets
        for r in rows:
            r.max_ratio = r.max_abs_p99 = None
            r.target = "(smoke run)"
    missed = [r for r in rows if r.met is False]
    if args.json:
        print(
            json.dumps(
                {
                    "quick": quick,
                    "machine": timing.machine(),
                    "seconds": round(time.perf_counter() - started, 1),
                    "rows": [r.to_json() for r in rows],
                    "errors": errors,
                },
                indent=2,
                default=str,
            )
        )
    else:
        m = timing.machine()
        print(timing.table(rows))
        print()
        print(
            f"Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory']} RAM, {m['os']}; Python "
            f"{m['python']}, SQLite {m['sqlite']}, Textual {m['textual']}, fsrs-rs-python {m['fsrs-rs-python']}, "
            f"anki {m['anki']}, genanki {m['genanki']}."
        )
        print(f"Run: {'--quick ' if quick else ''}{time.perf_counter() - started:.0f} s.")
        for e in errors:
            print(f"\nERROR in {e}", file=sys.stderr)
    if errors:
        return 1
    if args.strict and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
