"""Editing a note from the app (issue 16, acceptance 1): e opens $EDITOR at the note's
file and line with the TUI suspended; on return the card shows the new text and keeps its
state and history; an edit that breaks the deck is a located error in the app."""

from __future__ import annotations

import shutil
import sys
import textwrap

from app.tui.screens.browse import BrowseScreen
from app.tui.screens.review import ReviewScreen
from cards import editor
from cards.state import Rating
from tests.tui.helpers import BASICS, make_app, make_ctx, press, screen_text

SIZE = (80, 24)

# An editor: records its arguments, then at the line it is given changes the note's
# back (or, with BREAK set, breaks the TOML there).
EDITOR = textwrap.dedent("""
    import os, sys
    open(os.environ["EDITOR_LOG"], "a").write(" ".join(sys.argv[1:]) + "\\n")
    line, path = int(sys.argv[1][1:]), sys.argv[2]
    lines = open(path, encoding="utf-8").read().split("\\n")
    for i in range(line - 1, len(lines)):
        if lines[i].startswith("back = "):
            lines[i] = 'back = ' + ('"unclosed' if os.environ.get("BREAK") else '"Edited back"')
            break
    open(path, "w", encoding="utf-8").write("\\n".join(lines))
""")


def setup(tmp_path, monkeypatch, *, broken=False):
    deck = tmp_path / "decks" / "basics.toml"
    deck.parent.mkdir()
    shutil.copyfile(BASICS, deck)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    log = tmp_path / "editor.log"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR_LOG", str(log))
    if broken:
        monkeypatch.setenv("BREAK", "1")
    return make_ctx(tmp_path / "home", [deck]), deck, log


async def test_e_edits_the_note_and_keeps_its_schedule(tmp_path, monkeypatch):
    ctx, deck, log = setup(tmp_path, monkeypatch)
    s = ctx.session()
    first = s.next_card()
    s.answer(first, Rating.AGAIN)  # a state and a history to keep
    state, history = ctx.store.get(first.key), ctx.store.reviews(key=first.key)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")
        assert isinstance(app.screen, BrowseScreen)
        app.screen.query_one("#search").value = "FSRS"
        await press(pilot, "e")
        assert log.read_text().split() == [f"+{first.note.line}", str(deck)]
        await press(pilot, "escape", "enter")  # home: study
        assert isinstance(app.screen, ReviewScreen)
        while app.screen.card.key != first.key:
            await press(pilot, "space", "4")
        await press(pilot, "e", "space")
        assert "Edited back" in screen_text(app)
    assert ctx.store.get(first.key) == state and ctx.store.reviews(key=first.key) == history


async def test_an_edit_that_breaks_the_deck_is_a_located_error(tmp_path, monkeypatch):
    ctx, deck, log = setup(tmp_path, monkeypatch, broken=True)
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "enter")
        card = app.screen.card
        await press(pilot, "e")
        said = " ".join(n.message for n in app._notifications)
        lines = deck.read_text().split("\n")
        back = next(i for i in range(card.note.line - 1, len(lines)) if lines[i].startswith("back"))
        assert f"basics.toml:{back + 1}:" in said and "e edits it again" in said
        assert app.screen.card.key == card.key  # still shown: e opens the editor again
        await press(pilot, "e")
        assert len(log.read_text().splitlines()) == 2


def test_the_editor_command_takes_the_line_as_each_editor_wants_it(tmp_path):
    f = tmp_path / "d.toml"
    assert editor.command(f, 7, {"EDITOR": "vim"}) == ["vim", "+7", str(f)]
    assert editor.command(f, 7, {"EDITOR": "emacs -nw", "VISUAL": ""}) == [
        "emacs",
        "-nw",
        "+7",
        str(f),
    ]
    assert editor.command(f, 7, {"VISUAL": "code --wait"}) == ["code", "--wait", "--goto", f"{f}:7"]
    assert editor.command(f, 7, {"EDITOR": "/usr/bin/subl"}) == ["/usr/bin/subl", f"{f}:7"]


def test_a_copy_of_a_shipped_deck_in_home_takes_its_place(tmp_path):
    """What e does to a shipped deck: it edits a copy in <home>/decks, which is then the
    deck (the shipped file stays as it is; no "id already used" error)."""
    from cards.library import builtin_decks_dir, load_library

    (tmp_path / "decks").mkdir()
    text = (builtin_decks_dir() / "advice.toml").read_text(encoding="utf-8")
    (tmp_path / "decks" / "advice.toml").write_text(
        text.replace('name = "Healthy or unhealthy?"', 'name = "My advice"'), encoding="utf-8"
    )
    lib = load_library(builtin=True, home=tmp_path)
    assert not lib.errors
    assert lib.deck("advice").name == "My advice" and len(lib.decks) == 5
