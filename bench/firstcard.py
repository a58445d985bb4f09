"""Start-up to the first card, and the TUI's peak memory, beside a bare Textual app.

Start-up uses bench/startup.py (the TUI engineer's side-by-side measurement): each run
spawns the process in an 80x24 pseudo-terminal and stops the clock when the marker text
(the first card's question / the bare app's label) has been drawn; runs alternate.
With the shipped decks: `heartcards review` on a fresh home. With 100k cards:
`heartcards review --no-builtin --decks <generated decks>` on the generated collection.
Both after one untimed run, which fills the deck cache as any earlier start-up does.

Memory: the same launch, then the peak resident set (VmHWM) of the process once the
first card is on screen, beside the bare app's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import Row, Stat

ROOT = Path(__file__).resolve().parent.parent


def _env(home: Path) -> dict:
    # As a user's second start: bytecode cached (PYTHONDONTWRITEBYTECODE would make every
    # run compile heartcards from source, while Textual's bytecode came with its install).
    skip = ("TEXTUAL", "HEARTCARDS", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS="80", LINES="24")
    env["HEARTCARDS_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _marker(home: Path, decks: Path | None) -> str:
    """The first words of the first card's question, as the review screen draws them."""
    from app.context import Context
    from app.tui import render

    ctx = Context(home=home, builtin=decks is None, extra_decks=[decks] if decks else [])
    card = ctx.session().next_card()
    ctx.store.close()
    if card is None:
        raise RuntimeError("nothing to review in the benchmark collection")
    return " ".join(render.question_text(card).split()[:3])


def _startup_module():
    try:
        from bench import startup
    except ImportError:
        return None
    return startup if hasattr(startup, "run_once") else None


def _pty_peak_rss(argv: list[str], marker: str, env: dict, timeout: float = 60.0) -> float:
    """Launch in a pty, wait until `marker` is drawn, return the peak RSS (VmHWM) in MB."""
    import fcntl
    import pty
    import re
    import select
    import signal
    import struct
    import termios

    ansi = re.compile(
        rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
    )
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen = b""
    try:
        while marker.encode() not in ansi.sub(b"", seen):
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{marker!r} not drawn within {timeout}s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise RuntimeError(f"exited early: {ansi.sub(b'', seen)[-300:]!r}")
                seen += chunk
        time.sleep(0.2)  # let the first frame settle
        with open(f"/proc/{pid}/status") as f:
            kb = next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM"))
        return kb / 1024
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


# The core's share of start-up: what `heartcards review` does before Textual draws,
# without Textual: settings, store, decks (from the cache), today's queue, first card.
CORE_ONLY = """
import sys
from pathlib import Path
from app.context import Context
home, decks = Path(sys.argv[1]), sys.argv[2:]
ctx = Context(home=home, builtin=not decks, extra_decks=[Path(d) for d in decks])
ctx.settings, ctx.store, ctx.library
session = ctx.session()
session.next_card(), session.counts()
"""


def _process_ms(argv: list[str], env: dict) -> float:
    import subprocess

    t0 = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return (time.perf_counter() - t0) * 1000


def rows(synth_100k, runs: int, runs_big: int, mem: bool) -> list[Row]:
    startup = _startup_module()
    if startup is None:
        raise RuntimeError("bench/startup.py (run_once, BARE) is missing")
    python = sys.executable
    bare = ([python, "-c", startup.BARE], "bare textual app ready")
    out: list[Row] = []
    cases = []
    with tempfile.TemporaryDirectory(prefix="hc-bench-start-") as tmp:
        home = Path(tmp) / "home"
        cases.append(("shipped decks", home, None, runs, 1.15))
        if synth_100k is not None:
            cases.append(
                (
                    f"{len(synth_100k.keys) // 1000}k cards",
                    synth_100k.home,
                    synth_100k.decks_dir,
                    runs_big,
                    1.3,
                )
            )
        for size, home, decks, n, limit in cases:
            marker = _marker(home, decks)
            env = _env(home)
            argv = [python, "-m", "app", "review"]
            if decks is not None:
                argv += ["--no-builtin", "--decks", str(decks)]
            startup.run_once(argv, marker, env)  # untimed: deck cache, OS caches
            startup.run_once(bare[0], bare[1], env)
            ours, ref = [], []
            for _ in range(n):
                ref.append(startup.run_once(bare[0], bare[1], env) * 1000)
                ours.append(startup.run_once(argv, marker, env) * 1000)
            core = [python, "-c", CORE_ONLY, str(home)] + ([str(decks)] if decks else [])
            plain = [python, "-c", "pass"]
            _process_ms(core, env)
            t_core, t_plain = [], []
            for _ in range(n):
                t_plain.append(_process_ms(plain, env))
                t_core.append(_process_ms(core, env))
            out.append(
                Row(
                    "core only: first card chosen, no TUI",
                    size,
                    "ms",
                    Stat(t_core),
                    "python -c pass",
                    Stat(t_plain),
                    target="(reported: the core's share)",
                    note=f"{n} runs, whole process",
                )
            )
            out.append(
                Row(
                    "start-up to first card",
                    size,
                    "ms",
                    Stat(ours),
                    "bare Textual app",
                    Stat(ref),
                    target=f"<= {limit}x bare",
                    max_ratio=limit,
                    note=f"{n} runs",
                )
            )
            if mem and decks is not None:
                ours_mb = [_pty_peak_rss(argv, marker, env) for _ in range(3)]
                ref_mb = [_pty_peak_rss(bare[0], bare[1], env) for _ in range(3)]
                out.append(
                    Row(
                        "TUI peak memory (VmHWM)",
                        size,
                        "MB",
                        Stat(ours_mb),
                        "bare Textual app",
                        Stat(ref_mb),
                        target="<= 150 MB",
                        max_abs_p99=150.0,
                        note="first card drawn",
                    )
                )
    return out


def scale_rows(synths: list, runs: int) -> list[Row]:
    """Start-up to first card at each size of the scale run: how the cost grows with the
    collection (runs alternating with the bare app, after one untimed run of each)."""
    startup = _startup_module()
    python = sys.executable
    bare = ([python, "-c", startup.BARE], "bare textual app ready")
    out: list[Row] = []
    for synth in synths:
        marker = _marker(synth.home, synth.decks_dir)
        env = _env(synth.home)
        argv = [python, "-m", "app", "review", "--no-builtin", "--decks", str(synth.decks_dir)]
        startup.run_once(argv, marker, env)
        startup.run_once(bare[0], bare[1], env)
        ours, ref = [], []
        for _ in range(runs):
            ref.append(startup.run_once(bare[0], bare[1], env) * 1000)
            ours.append(startup.run_once(argv, marker, env) * 1000)
        out.append(
            Row(
                "scale: start-up to first card",
                f"{len(synth.keys) // 1000}k cards",
                "ms",
                Stat(ours),
                "bare Textual app",
                Stat(ref),
                target="(reported)",
                note=f"{runs} runs",
            )
        )
    return out
