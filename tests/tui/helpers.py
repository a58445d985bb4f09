"""Helpers for the TUI tests: a context with a fixed clock, fake answer timing, a review
history made by the real scheduler, and the screen as plain text."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from app.context import Context
from tests.conftest import FIXTURE_DECKS, FIXTURES, TZ

BASICS = FIXTURE_DECKS / "basics.toml"
MARKUP = FIXTURES / "tui" / "markup.toml"
# A Wednesday morning, in the tests' fixed zone (UTC+2, no DST).
NOW = datetime(2026, 3, 18, 9, 30, tzinfo=TZ)


def make_ctx(
    home: Path, decks: list[Path] = (BASICS,), now: datetime = NOW, new_order: str = "file"
) -> Context:
    """A context on `home` at `now`. New cards come in file order unless `new_order` says
    otherwise: the flows and snapshots go through the decks card by card."""
    from cards import config

    ctx = Context(home=home, builtin=False, extra_decks=list(decks))
    ctx.__dict__["clock"] = lambda: now  # Context.clock is a cached_property
    ctx.__dict__["settings"] = config.load(home).replace(new_order=new_order)
    return ctx


class Ticker:
    """A fake time.monotonic: every call is `step` seconds after the previous one."""

    def __init__(self, step: float = 4.0):
        self.t = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def make_app(ctx: Context, **kwargs):
    from app.tui.app import HeartcardsApp

    return HeartcardsApp(ctx, monotonic=Ticker(), **kwargs)


def write_big_deck(folder: Path, notes: int = 60) -> Path:
    """A deck of `notes` basic notes with tags, for stats and browse."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "format = 1",
        "[deck]",
        'id = "big"',
        'name = "Big deck"',
        'description = "Generated notes for the stats and browse tests."',
    ]
    for i in range(notes):
        lines += [
            "[[notes]]",
            f'id = "n{i:03d}"',
            'kind = "basic"',
            f'front = "Question number {i} about {("trust", "distance", "repair")[i % 3]}?"',
            f'back = "Answer {i}"',
            f'tags = ["{("trust", "distance", "repair")[i % 3]}"]',
        ]
    path = folder / "big.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_history(ctx: Context, days: int = 120, seed: int = 7) -> int:
    """Study every day for `days` days before ctx.clock() (skipping some), with the real
    scheduler, so stats and browse have something to show. Returns the reviews made."""
    from cards.session import Session
    from cards.state import Rating

    rng = random.Random(seed)
    end = ctx.clock()
    made = 0
    for back in range(days, 0, -1):
        if rng.random() < 0.25:
            continue  # a day off
        t = {"now": end - timedelta(days=back, hours=rng.randint(0, 8))}
        session = Session(ctx.store, ctx.library.cards(), ctx.settings, lambda t=t: t["now"])
        for _ in range(200):
            card = session.next_card()
            if card is None:
                break
            rating = Rating.AGAIN if rng.random() < 0.12 else Rating.GOOD
            session.answer(card, rating, duration_ms=rng.randint(2000, 15000))
            t["now"] += timedelta(minutes=1)
            made += 1
    return made


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text."""
    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


async def settle(pilot) -> None:
    """Let the screens' loading workers finish and their results be drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys as a person would: each after the screen has loaded what it shows."""
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def pressing(*keys: str):
    """A snapshot's run_before that presses `keys` with press()."""

    async def run_before(pilot) -> None:
        await press(pilot, *keys)

    return run_before
