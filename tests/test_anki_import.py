"""`heartcards import`: what was studied in Anki comes back (issue 13), checked against
Anki's own engine on the same data. Anki's clock is moved with faketime (Anki runs in a
process of its own for that, with ANKI_TEST_MODE=1: no fuzz, as `fuzz = false` here)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main as cli
from cards import anki as hc_anki
from cards.anki import export_apkg
from cards.config import Settings
from cards.days import study_day
from cards.session import Session
from cards.state import LEARNING, RELEARNING, REVIEW, Rating
from cards.store import Store
from tests.conftest import Clock, in_anki_test_mode
from tests.test_export import shipped_decks

pytest.importorskip("anki.collection")
STUDY = Path(__file__).parent / "anki_side" / "study.py"
ANKI_TYPE = {LEARNING: 1, REVIEW: 2, RELEARNING: 3}


def anki_day(collection: Path, days_ago: int, answers: int, *extra: str) -> dict:
    """A day of study in Anki `days_ago` days before now (faketime moves its clock)."""
    cmd, env = in_anki_test_mode(
        [sys.executable, str(STUDY), str(collection), str(days_ago), str(answers), *extra],
        days_ago,
    )
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_round_trip_through_anki(tmp_path, capsys):
    """Acceptance 4: export --scheduling, import into Anki, 20 answers over 3 days in Anki's
    engine, export from Anki with scheduling, `heartcards import`: each card answered in
    Anki has Anki's reps, lapses and state here, and the same due day; a second import of
    the same file merges nothing."""
    decks = shipped_decks()
    cards = [c for d in decks for c in d.cards]
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("fuzz = false\n")
    settings = Settings(fuzz=False)
    now = datetime.now().astimezone()
    clock = Clock(now - timedelta(days=6))
    store = Store.open(home)
    rng = random.Random(4)
    for _ in range(3):  # three days in the terminal first
        session = Session(store, cards, settings, clock)
        for _ in range(15):
            card = session.next_card()
            if card is None:
                break
            session.answer(card, Rating(rng.choice((1, 3, 3, 4))), duration_ms=5000)
            clock.advance(seconds=50)
        clock.advance(days=1)
    clock.now = now - timedelta(days=2, hours=1)
    package = tmp_path / "out.apkg"
    export_apkg(decks, package, store=store, scheduling=True, settings=settings, now=clock())
    ours_before = len(store.reviews())
    store.close()

    col = tmp_path / "anki" / "collection.anki2"
    col.parent.mkdir()
    anki_day(col, 2, 7, "--import", str(package), "--seed", "4")
    anki_day(col, 1, 7, "--seed", "4")
    back = tmp_path / "from-anki.apkg"
    theirs = anki_day(col, 0, 6, "--export", str(back), "--seed", "4")
    assert len(theirs) >= 10  # cards answered in Anki (some more than once)

    assert cli(["--home", str(home), "import", str(back)]) == 0
    out = capsys.readouterr().out
    key_of = {f"{hc_anki.note_guid(c.note_key)}/{c.ord - 1}": c.key for c in cards}
    store = Store.open(home)
    merged = len(store.reviews()) - ours_before
    assert f"{merged} reviews merged" in out and merged >= 20
    states = store.states()
    today = date.today()
    for anki_id, a in theirs.items():
        st = states[key_of[anki_id]]
        assert (st.reps, st.lapses, ANKI_TYPE.get(st.state, 0)) == (a["reps"], a["lapses"],
                                                                    a["type"]), anki_id  # fmt: skip
        if a["due_date"] is not None:
            assert study_day(st.due.astimezone(), 4).isoformat() == a["due_date"], anki_id
        else:  # learning today: due at a time (a second later when Anki's answer straddled
            # a second: its due and its revlog id come from two clock reads, see
            # test_anki_decks)
            assert int(st.due.timestamp()) - a["due"] in (0, 1), anki_id
    assert today  # (dates above are local, as Anki's)
    store.close()

    assert cli(["--home", str(home), "import", str(back)]) == 0
    assert "0 reviews merged" in capsys.readouterr().out


def _bad_packages(tmp: Path, good: Path) -> dict[str, Path]:
    """Ten and more files that are not readable Anki packages, each of its own kind."""
    import sqlite3
    import zipfile

    import zstandard

    out: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        out[name] = tmp / f"{name}.apkg"
        out[name].write_bytes(data)

    def zipped(name: str, entries: dict[str, bytes]) -> None:
        out[name] = tmp / f"{name}.apkg"
        with zipfile.ZipFile(out[name], "w") as z:
            for entry, data in entries.items():
                z.writestr(entry, data)

    raw = good.read_bytes()
    collection = zipfile.ZipFile(good).read("collection.anki2")
    put("text", b"this is not a package\n")
    put("empty", b"")
    put("truncated", raw[: len(raw) // 2])
    zipped("no-collection", {"media": b"{}"})
    zipped("not-a-database", {"collection.anki2": b"\x00" * 4096})
    zipped("bad-zstd", {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage", "meta": b"\x08\x03"})
    zipped("zstd-not-a-database",
           {"collection.anki21b": zstandard.ZstdCompressor().compress(b"hello " * 100)})  # fmt: skip
    db = sqlite3.connect(":memory:")
    db.deserialize(collection)
    db.execute("UPDATE col SET ver = 99")
    db.commit()
    zipped("future-version", {"collection.anki2": db.serialize()})
    db.close()
    empty = sqlite3.connect(":memory:")
    empty.execute("CREATE TABLE x (y)")
    empty.commit()
    zipped("no-tables", {"collection.anki2": empty.serialize()})
    zipped("cut-database", {"collection.anki2": collection[: len(collection) // 3]})
    # a bit flipped inside the compressed collection: the zip's CRC check fails
    damaged = bytearray(raw)
    damaged[len(raw) // 3] ^= 0xFF
    put("crc", bytes(damaged))
    (tmp / "folder.apkg").mkdir()
    out["folder"] = tmp / "folder.apkg"
    out["missing"] = tmp / "missing.apkg"
    return out


def test_malformed_packages_are_one_line_and_change_nothing(tmp_path, capsys):
    """Acceptance 5: each malformed package is one line on stderr, exit 1; the collection
    is unchanged (integrity ok, the same log)."""
    from tests.conftest import FIXTURE_DECKS
    from tests.test_export import deck

    d = deck(FIXTURE_DECKS / "basics.toml")
    home = tmp_path / "home"
    store = Store.open(home)
    session = Session(store, d.cards, Settings(), lambda: datetime.now().astimezone())
    session.answer(session.next_card(), Rating.GOOD, duration_ms=2000)
    good = tmp_path / "good.apkg"
    export_apkg([d], good, store=store, scheduling=True)
    log = store.db.execute("SELECT * FROM revlog ORDER BY id").fetchall()
    cards = store.db.execute("SELECT * FROM cards ORDER BY key").fetchall()
    store.close()
    args = ["--home", str(home), "--no-builtin", "--decks", str(FIXTURE_DECKS / "basics.toml")]

    bad = _bad_packages(tmp_path, good)
    assert len(bad) >= 10
    for name, path in bad.items():
        assert cli([*args, "import", str(path)]) == 1, name
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("heartcards: "), (name, captured.err)
        assert str(path) in lines[0] and "Traceback" not in captured.err, name
        assert captured.out == "", name
    store = Store.open(home)
    assert store.integrity_ok()
    assert store.db.execute("SELECT * FROM revlog ORDER BY id").fetchall() == log
    assert store.db.execute("SELECT * FROM cards ORDER BY key").fetchall() == cards
    store.close()

    # and our own export comes back as a package with nothing new in it
    assert cli([*args, "import", str(good)]) == 0
    assert "0 reviews merged, 0 cards touched" in capsys.readouterr().out
