"""`heartcards export` as a user runs it: default output, deck choice, progress on a
terminal only, one-line errors, and never a half-written file."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from cards.anki import ExportError, export_apkg
from cards.deckfile import load as load_deck
from tests.conftest import FIXTURE_DECKS


def fixture_args(home: Path, *args: str) -> list[str]:
    return ["--home", str(home), "--no-builtin", "--decks", str(FIXTURE_DECKS), *args]


def package_notes(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    try:
        return db.execute("SELECT count() FROM notes").fetchone()[0]
    finally:
        db.close()


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_default_output_in_current_folder_quiet_when_piped(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(fixture_args(tmp_path / "home", "export")) == 0
    out, err = capsys.readouterr()
    assert (tmp_path / "heartcards.apkg").is_file()
    assert out == f"wrote {tmp_path / 'heartcards.apkg'} (1 deck: 5 notes, 7 cards)\n"
    assert err == ""  # no progress when stderr is not a terminal
    assert package_notes(tmp_path / "heartcards.apkg") == 5
    assert leftovers(tmp_path) == []


def test_deck_arguments_pick_decks(tmp_path, capsys):
    out = tmp_path / "two.apkg"
    assert main(["--home", str(tmp_path), "export", "-o", str(out), "advice", "red-flags"]) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"wrote {out} (2 decks: ")
    from cards.library import load_library

    lib = load_library(builtin=True)
    expected = len(lib.deck("advice").notes) + len(lib.deck("red-flags").notes)
    assert package_notes(out) == expected


def test_unknown_deck_is_one_line_listing_the_known_ones(tmp_path, capsys):
    out = tmp_path / "x.apkg"
    assert main(fixture_args(tmp_path, "export", "-o", str(out), "nope")) == 1
    line = one_line(capsys.readouterr().err)
    assert line == "heartcards: no deck 'nope' (decks: basics)"
    assert not out.exists()


@pytest.mark.parametrize(
    "target, message",
    [
        ("missing/out.apkg", "folder {tmp}/missing does not exist"),
        ("a-file/out.apkg", "{tmp}/a-file is not a folder"),
    ],
)
def test_bad_output_path_is_one_line(tmp_path, capsys, target, message):
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / target
    assert main(fixture_args(tmp_path / "home", "export", "-o", str(out))) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"heartcards: cannot write {out}: " + message.format(tmp=tmp_path)
    after = sorted(p.name for p in tmp_path.iterdir() if p.name != "home")
    assert after == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_is_one_line(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert main(fixture_args(tmp_path / "home", "export", "-o", str(folder / "x.apkg"))) == 1
        line = one_line(capsys.readouterr().err)
        assert line.endswith("permission denied")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_one_line(tmp_path, monkeypatch, capsys):
    """The same, as root would see it on a read-only mount: the temp file cannot be made."""
    real_open = os.open

    def deny(path, flags, mode=0o777, *a, **k):
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode, *a, **k)

    monkeypatch.setattr(os, "open", deny)
    out = tmp_path / "x.apkg"
    assert main(fixture_args(tmp_path / "home", "export", "-o", str(out))) == 1
    assert one_line(capsys.readouterr().err) == f"heartcards: cannot write {out}: permission denied"
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", ["disk full", "interrupt"])
def test_failure_while_writing_leaves_old_file_and_no_temp(tmp_path, monkeypatch, capsys, failure):
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"the previous export")

    def broken(f, entries, level):
        f.write(b"half a package")
        if failure == "interrupt":
            raise KeyboardInterrupt
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cards.deflate_zip.write", broken)
    code = main(fixture_args(tmp_path / "home", "export", "-o", str(out)))
    err = capsys.readouterr().err
    if failure == "interrupt":
        assert code == 130
    else:
        assert code == 1
        assert one_line(err) == f"heartcards: cannot write {out}: no space left on device"
    assert out.read_bytes() == b"the previous export"
    assert leftovers(tmp_path) == []


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(tmp_path, monkeypatch, capsys):
    term = FakeTerminal()
    monkeypatch.setattr("sys.stderr", term)
    out = tmp_path / "x.apkg"
    assert main(fixture_args(tmp_path / "home", "export", "-o", str(out))) == 0
    shown = term.getvalue()
    assert "\rexporting:   0% (0/5 notes)" in shown
    assert "\rexporting: 100% (5/5 notes)" in shown
    assert shown.endswith("\r\x1b[2K")  # the progress line is cleared at the end
    assert capsys.readouterr().out.startswith(f"wrote {out}")


def test_scheduling_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HEARTCARDS_NOW", "2026-03-02T10:00:00+02:00")
    home = tmp_path / "home"
    from app.context import Context
    from cards.state import Rating

    ctx = Context(home=home, builtin=False, extra_decks=[FIXTURE_DECKS])
    session = ctx.session()
    session.answer(session.next_card(), Rating.GOOD)
    ctx.store.close()
    out = tmp_path / "s.apkg"
    assert main(fixture_args(home, "export", "--scheduling", "-o", str(out))) == 0
    assert capsys.readouterr().out == (
        f"wrote {out} (1 deck: 5 notes, 7 cards, 1 card with scheduling, 1 review)\n"
    )


def test_progress_callback_contract(tmp_path):
    d, _ = load_deck(FIXTURE_DECKS / "basics.toml")
    calls = []
    result = export_apkg([d], tmp_path / "x.apkg", progress=lambda *a: calls.append(a))
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert result.notes == 5 and result.cards == 7
    empty = []
    export_apkg([], tmp_path / "empty.apkg", progress=lambda *a: empty.append(a))
    assert empty == [(0, 0), (0, 0)]


def test_export_api_errors(tmp_path):
    d, _ = load_deck(FIXTURE_DECKS / "basics.toml")
    with pytest.raises(ExportError, match="does not exist"):
        export_apkg([d], tmp_path / "no" / "x.apkg")
    with pytest.raises(ValueError, match="store"):
        export_apkg([d], tmp_path / "x.apkg", scheduling=True)
    # a naive `now` is local time; any aware one works too
    export_apkg([d], tmp_path / "x.apkg", now=datetime(2026, 3, 2, 10, 0))
