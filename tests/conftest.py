"""Shared test helpers: fixture decks, a fixed clock, a collection in a temp dir."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DECKS = FIXTURES / "decks"
# A fixed local zone (UTC+2, no DST) so "04:00 local" means the same on every machine.
TZ = timezone(timedelta(hours=2))


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 10, 0, tzinfo=TZ))


@pytest.fixture
def store(tmp_path):
    from cards.store import Store

    s = Store.open(tmp_path)
    yield s
    s.close()


@pytest.fixture
def col(tmp_path):
    """A fresh collection of Anki's own engine (the `anki` package: tests only)."""
    anki_collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    c = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield c
    c.close()


def in_anki_test_mode(
    cmd: list[str], days_ago: int = 0, zone: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """(command, environment) to run `cmd`, a process of Anki's engine, with
    ANKI_TEST_MODE=1 (Anki's fuzz off), `days_ago` days back on faketime's clock, in time
    zone `zone` (None: ours). Test mode also sets Anki's clock back two hours from 2 to
    4 am local time (rslib timestamp.rs, for Anki's own Python tests), so from 1 to 4 am
    the process runs three hours back: the same study day (4 am rollover), at hours test
    mode leaves alone."""
    env = {**os.environ, "ANKI_TEST_MODE": "1"}
    if zone is not None:
        env["TZ"] = zone
    local = datetime.now(ZoneInfo(zone) if zone else None)
    hours = days_ago * 24 + (3 if 1 <= local.hour < 4 else 0)
    if hours:
        if shutil.which("faketime") is None:
            pytest.skip("faketime is not installed (.ci/run installs it)")
        cmd = ["faketime", "-f", f"-{hours}h", *cmd]
    return cmd, env
