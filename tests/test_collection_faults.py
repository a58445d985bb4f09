"""A home or collection that is not what it should be: one line saying what is wrong,
exit 1, never a traceback; the file is left as it was for the user to rescue."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

from cards.library import load_library
from cards.state import CardState, Rating
from cards.store import DB_FILE, Store
from tests.test_cli import run

COMMANDS = (["list"], ["stats"], ["export", "--scheduling", "-o", "out.apkg"])


def _one_line(result, *words):
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    """A collection with one review of a shipped card."""
    home = tmp_path_factory.mktemp("base")
    store = Store.open(home)
    shipped = load_library(builtin=True).cards()[0].key  # exported with its history
    state = CardState(shipped)
    t = datetime(2026, 3, 1, 9, tzinfo=UTC)
    after = state.with_(state=2, stability=3.0, difficulty=5.0, due=t, last_review=t, reps=1)
    store.record(state, after, Rating.GOOD, t, 1000)
    store.close()
    return home


@pytest.mark.parametrize(
    "damage, words",
    [
        ("DROP VIEW reviews; DROP TABLE revlog", ["is damaged", "no revlog or reviews"]),
        ("UPDATE cards SET state = 9", ["row for card", "state 9"]),
        ("UPDATE cards SET due = 'soon'", ["row for card", "wrong type"]),
        ("UPDATE revlog SET state = 7", ["review log row", "state 7", "out of range"]),
        ("UPDATE revlog SET due = 'soon'", ["review log row", "wrong type", "out of range"]),
        ("UPDATE revlog SET rating = 7", ["review log row", "unknown value 7"]),
    ],
)
def test_a_damaged_collection_is_one_line(tmp_path, answered, damage, words):
    home = tmp_path / "home"
    shutil.copytree(answered, home)
    db = sqlite3.connect(home / DB_FILE)
    db.executescript(damage)
    db.close()
    for command in COMMANDS[1:]:  # the commands that read every row
        result = run(*command, home=home)
        _one_line(result, "restore a backup")
        assert any(word in result.stderr for word in words), result.stderr


def test_a_file_that_is_no_database(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"not sqlite " * 100)
    for command in COMMANDS:
        _one_line(run(*command, home=tmp_path), "cannot open collection", "not a database")
    assert (tmp_path / DB_FILE).read_bytes() == b"not sqlite " * 100


def test_a_file_as_home(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for home in (afile, afile / "below"):
        for command in ([], ["config"], *COMMANDS):
            _one_line(run(*command, home=home), f"{afile} is a file, not a folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        _one_line(run("list", home=home), f"the folder {home} is not writable")
    finally:
        home.chmod(0o755)
