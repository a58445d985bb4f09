"""Start-up benchmark: process start to first card on screen, heartcards vs a bare Textual app.

Both run side by side in a pseudo-terminal (80x24), alternating, N times each; a run ends
when its marker text has been drawn: the first card's question for heartcards (opened
with `heartcards review`, fresh collection, the shipped decks), the label for the bare
app. Prints the median of each and the ratio.

    .venv/bin/python bench/startup.py [-n 15] [--json]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("bare textual app ready")

Bare().run()
"""
ANSI = re.compile(
    rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)


def first_question(home: Path) -> str:
    """A piece of the first card's question, as the review screen will draw it."""
    sys.path.insert(0, str(ROOT))
    from app.context import Context
    from app.tui import render

    ctx = Context(home=home)
    card = ctx.session().next_card()
    ctx.store.close()
    words = render.question_text(card).split()
    return " ".join(words[:3])  # short enough to sit on one line of the screen


def run_once(argv: list[str], marker: str, env: dict, timeout: float = 20.0) -> float:
    """Seconds from spawning `argv` in an 80x24 pty until `marker` appears on screen."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    start = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    want = marker.encode()
    seen = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{marker!r} not drawn within {timeout}s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise RuntimeError(
                    f"exited before drawing {marker!r}: {ANSI.sub(b'', seen)[-400:]!r}"
                ) from None
            if not chunk:
                raise RuntimeError("exited early")
            seen += chunk
            if want in ANSI.sub(b"", seen):
                return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="runs of each (default 15)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "HEARTCARDS"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS="80", LINES="24")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        marker = first_question(home)  # also creates the collection, as a first run would
        env["HEARTCARDS_HOME"] = str(home)
        python = sys.executable
        runs = {
            "bare": ([python, "-c", BARE], "bare textual app ready"),
            "heartcards": ([python, "-m", "app", "review"], marker),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        for argv, mark in runs.values():  # warm the OS caches once, untimed
            run_once(argv, mark, env)
        for _ in range(args.n):
            for name, (argv, mark) in runs.items():
                times[name].append(run_once(argv, mark, env))
    medians = {name: statistics.median(t) for name, t in times.items()}
    ratio = medians["heartcards"] / medians["bare"]
    if args.json:
        print(
            json.dumps(
                {"runs": args.n, "median_s": medians, "ratio": ratio, "times_s": times}, indent=2
            )
        )
    else:
        for name, t in times.items():
            print(
                f"{name:<11} median {medians[name] * 1000:6.0f} ms   (min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f}, n={len(t)})"
            )
        print(f"ratio       {ratio:.2f}x   (goal: at most 1.15x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
