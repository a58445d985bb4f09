"""The command line as a user runs it: output, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_DECKS

ROOT = Path(__file__).resolve().parent.parent


def run(*args, home: Path, env: dict | None = None, stdin: str | None = None):
    full_env = {**os.environ, "HEARTCARDS_NOW": "2026-03-02T10:00:00+02:00", **(env or {})}
    full_env.pop("HEARTCARDS_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        input=stdin,
        timeout=60,
    )


def fixture(*args):
    return ("--no-builtin", "--decks", str(FIXTURE_DECKS), *args)


def assert_one_line_error(result, code):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_check_valid_decks(tmp_path):
    r = run("check", str(FIXTURE_DECKS), home=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("ok: 1 deck, 5 notes, 7 cards")


def test_check_shipped_decks(tmp_path):
    r = run("check", home=tmp_path)
    assert r.returncode == 0, r.stderr


def test_check_reports_each_error_located(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'format = 1\n[deck]\nid = "b"\nname = "B"\n[[notes]]\nid = "x"\n'
        'kind = "choice"\nprompt = "p"\noptions = ["a", "b"]\nanswer = "c"\n'
        'why = "w"\nsource = "nowhere"\n'
    )
    r = run("check", str(bad), str(FIXTURE_DECKS), home=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0] == f"{bad}:10:1: note 'x': answer 'c' is not among the options"
    assert lines[1] == f"{bad}:12:1: note 'x': source 'nowhere' names no [[sources]] entry"
    assert lines[2] == "2 errors; 2 decks loaded"


def test_check_missing_path(tmp_path):
    r = run("check", str(tmp_path / "nope.toml"), home=tmp_path)
    assert r.returncode == 1 and "nope.toml: no such file or folder" in r.stderr


def test_decks_path_that_does_not_exist_is_an_error(tmp_path):
    """--decks names a file or folder on purpose: one that is not there is a one-line
    error (exit 1) for every command, not a warning and an empty library."""
    missing = tmp_path / "nowhere"
    for command in (["list"], ["stats"], ["export", "-o", str(tmp_path / "x.apkg")]):
        r = run("--no-builtin", "--decks", str(missing), *command, home=tmp_path / "home")
        assert r.returncode == 1, command
        assert r.stderr.strip() == f"heartcards: --decks {missing}: no such file or folder"
    assert not (tmp_path / "x.apkg").exists()


def test_config_theme_is_a_theme_the_app_has(tmp_path):
    r = run("config", "theme", "no-such-theme", home=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "no theme 'no-such-theme'" in r.stderr and "textual-light" in r.stderr
    assert not (tmp_path / "config.toml").exists()
    r = run("config", "theme", "nord", home=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == 'theme = "nord"'


def test_list_json_counts(tmp_path):
    r = run(*fixture("list", "--json"), home=tmp_path)
    assert r.returncode == 0
    assert json.loads(r.stdout) == {
        "decks": [{"id": "basics", "name": "Basics", "new": 5, "learning": 0, "due": 0, "cards": 7}]
    }


def test_list_table(tmp_path):
    r = run(*fixture("list"), home=tmp_path)
    assert r.stdout.splitlines()[1].split()[:4] == ["basics", "5", "0", "0"]


@pytest.fixture
def reviewed_home(tmp_path):
    """A home with three answers at 2026-03-02 10:00 +02:00."""
    from datetime import datetime, timedelta, timezone

    from cards.config import Settings
    from cards.library import load_library
    from cards.session import Session
    from cards.state import Rating
    from cards.store import Store

    now = datetime(2026, 3, 2, 10, tzinfo=timezone(timedelta(hours=2)))
    store = Store.open(tmp_path)
    s = Session(
        store, load_library(builtin=False, extra=[FIXTURE_DECKS]).cards(), Settings(), lambda: now
    )
    for rating in (Rating.EASY, Rating.GOOD, Rating.AGAIN):
        s.answer(s.next_card(), rating, duration_ms=6000)
    store.close()
    return tmp_path


def test_stats_json_matches_the_log(reviewed_home):
    r = run(*fixture("stats", "--json"), home=reviewed_home)
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    assert st["reviews_today"] == 3 and st["reviews_total"] == 3
    assert st["minutes_today"] == 0.3 and st["streak"] == 1
    assert st["states"] == {"new": 4, "learning": 2, "review": 1, "relearning": 0, "suspended": 0}
    assert sum(st["forecast"]) == 3 and st["forecast"][0] == 2  # the two learning cards today
    r = run(*fixture("list", "--json"), home=reviewed_home)
    deck = json.loads(r.stdout)["decks"][0]
    # two untouched notes are new; the siblings of answered notes wait for tomorrow; the
    # learning cards are due in 1 and 10 minutes, within the 20 minutes of learn-ahead, so
    # they count as learning, as in Anki (tests/test_counts_parity.py)
    assert (deck["new"], deck["learning"], deck["due"]) == (2, 2, 0)


def test_config_show_set_and_errors(tmp_path):
    assert run("config", "new_per_day", home=tmp_path).stdout.strip() == "20"
    r = run("config", "new_per_day", "35", home=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "new_per_day = 35"
    assert "new_per_day = 35" in (tmp_path / "config.toml").read_text()
    assert run("config", "new_per_day", home=tmp_path).stdout.strip() == "35"
    r = run("config", "learning_steps", '["1m", "5m", "1h"]', home=tmp_path)
    assert r.stdout.strip() == 'learning_steps = ["1m", "5m", "1h"]'
    assert_one_line_error(run("config", "new_per_dya", "3", home=tmp_path), 2)
    r = run("config", "desired_retention", "2", home=tmp_path)
    assert_one_line_error(r, 2)
    assert "desired_retention" in r.stderr
    (tmp_path / "config.toml").write_text("day_starts_at = 25\n")
    r = run(*fixture("list"), home=tmp_path)
    assert_one_line_error(r, 1)
    assert "day_starts_at" in r.stderr and "config.toml" in r.stderr


def test_usage_errors_exit_2_in_one_line(tmp_path):
    assert_one_line_error(run("--bogus", home=tmp_path), 2)
    assert_one_line_error(run("frobnicate", home=tmp_path), 2)


def test_version_and_help(tmp_path):
    r = run("--version", home=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("heartcards ")
    r = run("--help", home=tmp_path)
    assert r.returncode == 0 and "export" in r.stdout and "config" in r.stdout


def test_bad_clock_and_bad_home_are_one_line_errors(tmp_path):
    r = run(*fixture("list"), home=tmp_path, env={"HEARTCARDS_NOW": "yesterday"})
    assert_one_line_error(r, 1)
    assert "HEARTCARDS_NOW" in r.stderr
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert_one_line_error(run(*fixture("list"), home=not_a_dir), 1)


def test_unknown_deck_for_review(tmp_path):
    r = run(*fixture("review", "nope"), home=tmp_path)
    assert_one_line_error(r, 1)
    assert "no deck 'nope'" in r.stderr


def test_broken_deck_warns_and_the_others_still_list(tmp_path):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "broken.toml").write_text("format = 1\n[deck\n")
    r = run(*fixture("list", "--json"), home=tmp_path)
    assert r.returncode == 0
    assert [d["id"] for d in json.loads(r.stdout)["decks"]] == ["basics"]
    assert "broken.toml:2:" in r.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["review"],
        ["review", "a", "b", "--home", "h"],
        ["--home", "review", "list", "--json"],  # a home called "review"
        ["--ho", "review", "list"],  # an abbreviated option, its value a command's name
        ["--home=review", "stats", "--json"],
        ["--decks", "check", "--no-builtin", "check", "p1", "p2"],
        ["export", "-o", "out.apkg", "--scheduling", "d"],
        ["config", "new_per_day", "30"],
        ["--no-builtin", "list"],
        ["review", "--bogus"],
        ["lis"],
        ["--", "review"],
    ],
)
def test_the_parser_built_for_one_command_reads_as_the_whole_one(argv):
    """Start-up builds only the subcommand named (build_parser(argv)): what it reads, or
    the error it gives, is what the parser with every subcommand gives."""
    from app.arguments import build_parser
    from app.cli import UsageError

    def parsed(parser):
        try:
            return vars(parser.parse_args(argv))
        except UsageError as e:
            return str(e)

    assert parsed(build_parser(argv)) == parsed(build_parser())


@pytest.mark.parametrize(
    "argv", [[], ["review"], ["review", "reasons"], ["review", "reasons", "advice", "review"]]
)
def test_opening_the_app_reads_its_words_as_argparse_does(argv):
    """`heartcards` and `heartcards review DECK...` skip argparse (start-up): the same
    command and decks as the full parser gives."""
    from app.arguments import build_parser
    from app.cli import _app_start

    assert vars(_app_start(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv", [["review", "-h"], ["--home", "x"], ["list"], ["review", "--", "x"]]
)
def test_any_other_command_line_goes_to_argparse(argv):
    from app.cli import _app_start

    assert _app_start(argv) is None


def test_stats_count_a_suspended_new_card_as_suspended(tmp_path):
    from cards import stats
    from cards.config import Settings
    from cards.deckfile import load
    from cards.state import CardState

    deck, _ = load(FIXTURE_DECKS / "basics.toml")
    first, second = deck.cards[0].key, deck.cards[1].key
    states = {first: CardState(first, suspended=True), second: CardState(second)}
    st = stats.compute([], states, deck.cards, Settings(), datetime.now().astimezone())
    assert st.states["suspended"] == 1 and st.states["new"] == len(deck.cards) - 1
