"""The command line's parser: the global options and each subcommand's arguments.

Imported only for commands other than opening the app (app.cli._app_start reads those)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.context import UsageError
from cards import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _globals() -> argparse.ArgumentParser:
    g = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS  # so the options work before or after the subcommand
    g.add_argument(
        "--home", type=Path, default=s, metavar="DIR", help="where the collection and settings live"
    )
    g.add_argument(
        "--decks",
        type=Path,
        action="append",
        default=s,
        metavar="PATH",
        help="also load decks from this file or folder (repeatable)",
    )
    g.add_argument(
        "--no-builtin", action="store_true", default=s, help="do not load the shipped decks"
    )
    return g


def _review(r: argparse.ArgumentParser) -> None:
    r.add_argument("decks_to_study", nargs="*", metavar="DECK")


def _check(c: argparse.ArgumentParser) -> None:
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH")


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def _export(e: argparse.ArgumentParser) -> None:
    e.add_argument("-o", "--output", type=Path, metavar="FILE")
    e.add_argument("decks_to_export", nargs="*", metavar="DECK")
    e.add_argument(
        "--scheduling", action="store_true", help="include review history and scheduling"
    )


def _import(im: argparse.ArgumentParser) -> None:
    im.add_argument("file", type=Path, help="a package exported from Anki with scheduling")


def _optimize(op: argparse.ArgumentParser) -> None:
    op.add_argument("fit_decks", nargs="*", metavar="DECK",
                    help="fit these decks each on their own reviews (default: the collection)")  # fmt: skip
    op.add_argument("--dry-run", action="store_true", help="show the fit, save nothing")


def _sync(sy: argparse.ArgumentParser) -> None:
    sy.add_argument("--server", help="the sync server's URL (default: sync_server, else AnkiWeb)")
    sy.add_argument("--user", help="the account (default: sync_user)")
    sy.add_argument("--full-upload", action="store_true",
                    help="if a full sync is needed: this collection wins")  # fmt: skip
    sy.add_argument("--full-download", action="store_true",
                    help="if a full sync is needed: the server's wins")  # fmt: skip


def _new(nw: argparse.ArgumentParser) -> None:
    nw.add_argument("deck_id", metavar="DECK_ID", help="the new deck's id: a-z, 0-9 and -")


def _config(cf: argparse.ArgumentParser) -> None:
    cf.add_argument("key", nargs="?")
    cf.add_argument("value", nargs="?")


# name: (help, what its parser takes)
SUBCOMMANDS = {
    "review": ("open the TUI straight into a review", _review),
    "check": ("validate decks", _check),
    "list": ("decks with new / learning / due counts", _json),
    "stats": ("reviews, retention, streak, forecast", _json),
    "export": ("write an Anki .apkg", _export),
    "import": ("bring reviews made in Anki back (.apkg/.colpkg)", _import),
    "optimize": ("fit FSRS parameters to your own reviews", _optimize),
    "config": ("show or set a setting", _config),
    "new": ("write a commented starter deck into <home>/decks", _new),
    "sync": ("two-way sync through an Anki sync server (AnkiWeb or your own)", _sync),
}
_TAKES_VALUE = ("--home", "--decks")  # the global options that take the next word


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given `argv`, only the subcommand it names is built in full (the
    others cost a few ms at every start-up), unless help is asked for."""
    common = _globals()
    p = _Parser(
        prog="heartcards",
        parents=[common],
        description="Spaced-repetition flashcards for the terminal.",
    )
    p.add_argument("--version", action="version", version=f"heartcards {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    named = _subcommand(argv)
    for name, (help_text, arguments) in SUBCOMMANDS.items():
        if named is None or name == named:
            arguments(sub.add_parser(name, parents=[common], help=help_text))
    return p


def _subcommand(argv: list[str] | None) -> str | None:
    """The subcommand `argv` names, if it names one and asks for no help."""
    if argv is None or any(a in ("-h", "--help") for a in argv):
        return None
    words = iter(argv)
    for word in words:
        if word == "--":
            return None
        if word.startswith("--") and any(o.startswith(word) for o in _TAKES_VALUE):
            next(words, None)  # (argparse takes abbreviations: --ho DIR)
        elif not word.startswith("-"):
            return word if word in SUBCOMMANDS else None
    return None
