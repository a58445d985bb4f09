"""The CLI and settings cases of issue 16 (acceptance 6), as a user runs them: each is one
line, with DESIGN.md's exit codes (1 a problem to fix, 2 a usage error)."""

from __future__ import annotations

import json
import tomllib

import pytest

from app.export_cmd import output_path
from cards import deck_schema
from tests.test_cli import assert_one_line_error, fixture, run

NOTE = "yet, so nothing is studied; the app makes it at your first review"


def test_missing_decks_path_is_an_error(tmp_path):
    r = run("--decks", str(tmp_path / "nowhere"), "list", home=tmp_path)
    assert_one_line_error(r, 1)
    assert "--decks" in r.stderr and "no such file or folder" in r.stderr


@pytest.mark.parametrize("command", [["list"], ["stats"], ["list", "--json"], ["optimize"],
                                     ["export"], ["export", "--scheduling"]])  # fmt: skip
def test_read_only_commands_make_no_collection(tmp_path, command):
    home = tmp_path / "home"
    if command[0] == "export":
        command = [*command, "-o", str(tmp_path / "x.apkg")]
    r = run(*fixture(*command), home=home)
    assert not (home / "collection.sqlite3").exists()
    if command[0] == "optimize":  # nothing to fit: that is the one line
        assert_one_line_error(r, 1)
        assert "optimising needs at least 8 reviews" in r.stderr
    elif "--scheduling" not in command and command[0] == "export":  # (nothing of one goes out)
        assert r.returncode == 0 and r.stderr == ""
    else:
        assert r.returncode == 0, r.stderr
        assert r.stderr == f"note: no collection at {home / 'collection.sqlite3'} {NOTE}\n"


def test_list_names_each_deck_with_its_id(tmp_path):
    r = run(*fixture("list"), home=tmp_path)
    assert r.returncode == 0
    header, row = r.stdout.splitlines()[:2]
    assert header.split() == ["DECK", "NEW", "LEARN", "DUE", "NAME"]
    assert row.split()[0] == "basics" and row.endswith("Basics")


def test_keys_problems_are_one_line_each(tmp_path):
    (tmp_path / "config.toml").write_text(
        '[keys]\n"review.flyp" = "x"\n"review.info" = "b"\n"review.bury" = "z"\n'
    )
    r = run(*fixture("check"), home=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0].endswith(
        "[keys]: 'review.flyp' is no binding id (the help screen, ?, lists the ids)"
    )
    assert lines[1].endswith(
        "[keys]: review.info = 'b': 'b' is already the key of app.browse (Review)"
    )
    assert lines[2] == "2 errors; 1 deck loaded"


def test_config_theme_is_checked(tmp_path):
    r = run("config", "theme", "solarised", home=tmp_path)
    assert_one_line_error(r, 2)
    assert "theme: no theme 'solarised'" in r.stderr
    assert run("config", "theme", "nord", home=tmp_path).returncode == 0


def test_config_keeps_the_files_comments_and_layout(tmp_path):
    text = (
        "# my heartcards settings\n"
        "desired_retention = 0.85  # a bit less work\n"
        "\n"
        "[keys]\n"
        "# vim hands\n"
        '"review.bury" = "z"\n'
    )
    (tmp_path / "config.toml").write_text(text)
    assert run("config", "day_starts_at", "5", home=tmp_path).returncode == 0
    assert run("config", "decks.basics.new_per_day", "5", home=tmp_path).returncode == 0
    after = (tmp_path / "config.toml").read_text()
    assert after.startswith(
        "# my heartcards settings\ndesired_retention = 0.85  # a bit less work\nday_starts_at = 5\n"
    )
    assert '[keys]\n# vim hands\n"review.bury" = "z"\n' in after
    assert tomllib.loads(after)["decks"] == {"basics": {"new_per_day": 5}}
    assert run("config", "day_starts_at", "4", home=tmp_path).returncode == 0  # the default
    assert "day_starts_at" not in (tmp_path / "config.toml").read_text()
    assert "# vim hands" in (tmp_path / "config.toml").read_text()


def test_export_paths_are_the_tuis(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for given, expect in (
        (folder, folder / "heartcards.apkg"),
        (tmp_path / "mine", tmp_path / "mine.apkg"),
    ):
        r = run(*fixture("export", "-o", str(given)), home=tmp_path / "home")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"wrote {expect} ") and expect.is_file()
        assert output_path(str(given)) == expect  # what the TUI's field makes of it


def test_new_writes_a_starter_deck_that_checks(tmp_path):
    r = run("new", "spanish-verbs", home=tmp_path)
    assert r.returncode == 0, r.stderr
    path = tmp_path / "decks" / "spanish-verbs.toml"
    assert r.stdout.startswith(f"wrote {path}")
    text = path.read_text()
    assert text.splitlines()[0] == f"#:schema {deck_schema.PATH.as_uri()}"
    check = run("--no-builtin", "check", home=tmp_path)
    assert check.returncode == 0 and check.stdout.startswith("ok: 1 deck, 4 notes, 4 cards")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(tomllib.loads(text), json.loads(deck_schema.PATH.read_text()))
    assert_one_line_error(run("new", "spanish-verbs", home=tmp_path), 1)
    assert_one_line_error(run("new", "Spanish Verbs", home=tmp_path), 2)
    assert_one_line_error(run("new", "advice", home=tmp_path), 1)  # a shipped deck's id
