"""Deck files that try to hang, exhaust or crash the loader, or smuggle in what Anki or a
terminal would choke on: each is one located line, quickly, and every other deck (the
shipped ones included) still loads."""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest

from tests.conftest import FIXTURES
from tests.test_cli import run
from tests.test_deckfile import HEADER, LOCATED

DECK = 'format = 1\n[deck]\nid = "{id}"\nname = "N"\n'


def every_bad_deck_of_the_tests(folder) -> dict[str, list[str]]:
    """The broken decks the other tests use, copied into `folder`: file name -> the
    "line:col: message" starts each must be reported with."""
    expected: dict[str, list[str]] = {}
    for path in sorted((FIXTURES / "kinds").glob("*-bad.toml")):
        shutil.copy(path, folder / path.name)
        lines = path.read_text(encoding="utf-8").splitlines()
        expected[path.name] = [
            f"{n}:" for n, line in enumerate(lines, 1) if re.search(r"# error: (.*)", line)
        ]
    for i, (body, error) in enumerate(LOCATED):
        name = f"located{i}.toml"
        (folder / name).write_text(HEADER.replace('id = "t"', f'id = "t{i}"') + body)
        expected[name] = [error.removeprefix("t.toml:")]
    shutil.copy(FIXTURES / "hostile" / "escapes.toml", folder / "escapes.toml")
    expected["escapes.toml"] = ["9:1: warning: control characters removed: U+001B, U+0007"]
    return expected


def smuggled(folder) -> dict[str, list[str]]:
    """What Anki rejects whole, or a reader would misplace."""
    (folder / "unit-raw.toml").write_text(  # U+001F, Anki's field separator, as is
        DECK.format(id="unit-raw") + '[[notes]]\nid = "a"\nkind = "basic"\n'
        'front = "one\x1ftwo"\nback = "b"\n'
    )
    (folder / "unit-escaped.toml").write_text(  # and written as escapes, C1 too
        DECK.format(id="unit-escaped") + '[[notes]]\nid = "a"\nkind = "basic"\n'
        'front = "one\\u001ftwo"\nback = "\\u009b2J\\u0085"\n'
    )
    (folder / "bom.toml").write_bytes(
        b"\xef\xbb\xbf" + DECK.format(id="bom").encode() + b'[[notes]]\nid = "t\\n"\n'
        b'kind = "basic"\nfront = "f"\nback = "b"\n'
    )
    (folder / "nested.toml").write_text(
        DECK.format(id="nested") + '[[notes]]\nid = "n"\nkind = "cloze"\n'
        'text = "{{c1::outer {{c2::inner}} text}}"\n'
    )
    (folder / "breaks.toml").write_text(  # line breaks only to str.splitlines()
        DECK.format(id="breaks") + '[[notes]]\nid = "a"\nkind = "basic"\n'
        'front = "a\u2028b\u2029c\x85d"\nback = "b"\n'
        '[[notes]]\nid = "b"\nkind = "basic"\nfront = "f"\nfrnot = 1\n',
        encoding="utf-8",
    )
    return {
        "unit-raw.toml": ["8:13: TOML syntax: Illegal character"],
        "unit-escaped.toml": [
            "8:1: warning: control characters removed: U+001F",
            "9:1: warning: control characters removed: U+009B, U+0085",
        ],
        "bom.toml": ["6:1: note 't\\n': id must match"],
        "nested.toml": ["8:1: note 'n': a cloze inside c1"],
        "breaks.toml": [
            "8:1: warning: control characters removed: U+0085",
            "10:1: note 'b': missing 'back'",
            "14:1: note 'b': unknown key 'frnot'",
        ],
    }


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
        "fifo.toml": ["1:1: cannot read: not a regular file"],
        "zero.toml": ["1:1: cannot read: not a regular file"],
        "folder.toml": ["1:1: cannot read: a folder"],
        "deep.toml": ["1:1: TOML nested too deeply to read"],
        "cloze.toml": ["8:1: note 'n': cloze numbers go up to c65535"],
        **smuggled(folder),
        **every_bad_deck_of_the_tests(folder),
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["check", "list"])
def test_each_bad_file_is_one_located_error(tmp_path, command):
    expected = hostile(tmp_path / "bad")
    args = (command,)  # with --decks: the shipped decks and the bad folder together
    started = time.monotonic()
    result = run("--decks", str(tmp_path / "bad"), *args, home=tmp_path / "home")
    assert time.monotonic() - started < 10
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    for name, wheres in expected.items():
        assert wheres
        for where in wheres:
            assert any(f"{name}:{where}" in line for line in lines), (name, where, result.stderr)
    if command == "check":  # the shipped decks are loaded (and counted) beside them
        assert result.returncode == 1 and lines[-1].endswith(" loaded")
        loaded = int(re.search(r"(\d+) decks? loaded", lines[-1])[1])
        assert loaded >= 4 + 1, lines[-1]  # the four shipped decks, and the sound ones here
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
