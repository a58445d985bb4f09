"""Deck files that try to hang, exhaust or crash the loader: each is one located error,
quickly, and every other deck (the shipped ones included) still loads."""

from __future__ import annotations

import os
import time

import pytest

from tests.test_cli import run


def hostile(folder):
    folder.mkdir()
    os.mkfifo(folder / "fifo.toml")  # a read would wait for a writer forever
    (folder / "zero.toml").symlink_to("/dev/zero")  # a read would never end
    (folder / "folder.toml").mkdir()
    deep = "[" * 600 + "]" * 600
    (folder / "deep.toml").write_text(f'format = 1\n[deck]\nid = "deep"\nname = "D"\nx = {deep}\n')
    huge = "9" * 5000  # more digits than Python's int() takes
    (folder / "cloze.toml").write_text(
        'format = 1\n[deck]\nid = "cloze"\nname = "C"\n[[notes]]\nid = "n"\nkind = "cloze"\n'
        f'text = "{{{{c4294967296::a}}}} {{{{c{huge}::b}}}} {{{{c2::ok}}}}"\n'
    )
    return {
        "fifo.toml": "1:1: cannot read: not a regular file",
        "zero.toml": "1:1: cannot read: not a regular file",
        "folder.toml": "1:1: cannot read: a folder",
        "deep.toml": "1:1: TOML nested too deeply to read",
        "cloze.toml": "8:1: note 'n': cloze numbers go up to c65535",
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["check", "list"])
def test_each_bad_file_is_one_located_error(tmp_path, command):
    expected = hostile(tmp_path / "bad")
    args = ("check", str(tmp_path / "bad")) if command == "check" else ("list",)
    started = time.monotonic()
    result = run("--decks", str(tmp_path / "bad"), *args, home=tmp_path / "home")
    assert time.monotonic() - started < 10
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for name, where in expected.items():
        assert any(f"{name}:{where}" in line for line in lines), (name, result.stderr)
    if command == "check":
        assert result.returncode == 1 and lines[-1].endswith("decks loaded")
    else:  # the shipped decks are listed beside them
        assert result.returncode == 0 and "advice" in result.stdout and "reasons" in result.stdout


def test_a_byte_order_mark_is_read_past_and_ids_end_where_they_end(tmp_path):
    from cards.deckfile import load

    path = tmp_path / "bom.toml"
    path.write_bytes(
        b'\xef\xbb\xbfformat = 1\n[deck]\nid = "bom"\nname = "B"\n'
        b'[[notes]]\nid = "ok"\nkind = "basic"\nfront = "f"\nback = "b"\n'
        b'[[notes]]\nid = "t\\n"\nkind = "basic"\nfront = "f"\nback = "b"\ntags = ["x\\n"]\n'
    )
    deck, errors = load(path)
    assert deck is not None and [n.id for n in deck.notes] == ["ok"]  # the BOM is no error
    assert [(e.line, e.message) for e in errors] == [
        (11, "note 't\\n': id must match [a-z0-9-]+"),
        (15, "note 't\\n': tag 'x\\n' must be one word (letters, digits, - _ : .)"),
    ]
