"""Control characters in decks (terminal escape sequences, Anki's field separator): taken
out at load with a located warning, never printed by the CLI, never drawn by the TUI."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time

from cards.deckfile import load
from cards.text import CONTROLS, printable
from tests.conftest import FIXTURES
from tests.test_cli import ROOT, run

ESCAPES = FIXTURES / "hostile" / "escapes.toml"
# What the deck's sequences would write; the app draws with escape sequences of its own.
PAYLOADS = (b"\x1b]52", b"\x1b]2;pwned", b"\x1b]0;pwned", b"\x1b]8;;https://evil", b"\xc2\x9b")


def test_controls_are_taken_out_at_load_with_located_warnings():
    deck, problems = load(ESCAPES)
    assert deck is not None and [n.id for n in deck.notes] == ["osc52", "pick", "typed"]
    assert all(p.warning for p in problems) and len(problems) == 12  # one per string
    lines = ESCAPES.read_text(encoding="utf-8").splitlines()
    for p in problems:  # each names the line of the key that held them
        key = lines[p.line - 1].split("=")[0].strip()
        assert key in ("name", "description", "title", "front", "back", "prompt", "options",
                       "answer", "why"), p  # fmt: skip
        assert "control characters removed: U+" in p.message
    texts = [deck.name, deck.description, deck.sources[0].title]
    for note in deck.notes:
        texts += [v for v in note.fields.values() if isinstance(v, str)]
        texts += list(note.fields.get("options", ()))
    assert texts and not any(CONTROLS.search(t) for t in texts)
    assert deck.notes[1].fields["answer"] in deck.notes[1].fields["options"]  # still one of them
    assert deck.notes[2].fields["back"] == "Lisbon"


def test_printable_shows_controls_as_escapes():
    assert printable("a\x1b]2;x\x07b\tc\nd\x9b") == "a\\x1b]2;x\\x07b\tc\nd\\x9b"


def test_cli_prints_no_control_character(tmp_path):
    folder = tmp_path / "decks \x1b]2;path-title\x07"
    folder.mkdir()
    (folder / "escapes.toml").write_text(ESCAPES.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (("check", str(folder)), ("list",), ("stats",), ("list", "--json")):
        result = run("--no-builtin", "--decks", str(folder), *args, home=tmp_path / "home")
        assert result.returncode == 0, result.stderr
        out = result.stdout + result.stderr
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out, out
    assert "warning: control characters removed" in result.stderr
    assert "decks \\x1b]2;path-title\\x07" in result.stderr  # the path, shown safely


def test_tui_writes_none_of_the_decks_sequences(tmp_path):
    """A real terminal (pty): every screen the deck's text reaches, raw bytes checked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", HEARTCARDS_NOW="2026-03-02T10:00:00+02:00")
    argv = [sys.executable, "-m", "app", "--home", str(tmp_path / "home"), "--no-builtin",
            "--decks", str(ESCAPES)]  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    seen = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    seen.extend(os.read(fd, 65536))
                except OSError:
                    return

    try:
        read_for(3)
        # home; study; the basic card, its answer; the choice card and its answer; the typed
        # card, typed and checked; the summary; stats; browse; a card opened whole; help
        for keys in ("\r", " ", "4", "1", "4", "Lisbon\r", "4", "\r", "s", "b", "\r", "\x1b",
                     "\x1b", "?"):  # fmt: skip
            os.write(fd, keys.encode())
            read_for(0.8)
        assert b"Escapes" in seen and b"clipboard front" in seen and b"Prompt" in seen
        for payload in PAYLOADS:
            assert payload not in seen, payload
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
