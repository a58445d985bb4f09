"""Shared test helpers: fixture decks, a fixed clock, a collection in a temp dir."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

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
