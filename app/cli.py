"""The `heartcards` command. Fast paths (check, list, stats, config) never import Textual."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.context import (
    Context,
    UsageError,
    UserError,
    check_home,
    default_home,
    warn_deck_problems,
)
from cards import __version__
from cards.text import printable


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
_TAKES_VALUE = ("--home", "--decks")
READ_ONLY = (
    "list",
    "stats",
    "export",
    "optimize",
)  # commands that never make a collection  # the global options that take the next word


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


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv).parse_args(argv)
        ctx = Context(
            home=getattr(args, "home", None) or default_home(),
            builtin=not getattr(args, "no_builtin", False),
            extra_decks=getattr(args, "decks", []),
        )
        check_home(ctx.home)
        for path in ctx.extra_decks:  # a deck folder named on purpose: never silently none
            if not Path(path).exists():
                raise UserError(f"--decks {path}: no such file or folder")
        command = args.command or "home"
        ctx.read_only = command in READ_ONLY
        code = COMMANDS[command](ctx, args)
        if ctx.no_collection:
            from cards.store import DB_FILE

            print(printable(f"note: no collection at {ctx.home / DB_FILE} yet, so nothing is"
                            " studied; the app makes it at your first review"),
                  file=sys.stderr)  # fmt: skip
        return code
    except UsageError as e:
        print(printable(f"heartcards: error: {e}"), file=sys.stderr)
        return 2
    except UserError as e:  # its text may hold a path: printed safely
        print(printable(f"heartcards: {e}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout went away (e.g. `| head`); say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # a damaged collection: one line, not a traceback
        if not _collection_problem(e):
            raise
        print(printable(f"heartcards: {e}"), file=sys.stderr)
        return 1


def _collection_problem(e: Exception) -> bool:
    import sqlite3

    from cards.store import StoreError

    return isinstance(e, StoreError | sqlite3.DatabaseError)


def _warn_deck_errors(ctx: Context) -> None:
    warn_deck_problems(ctx)


def cmd_check(ctx: Context, args) -> int:
    from cards.library import load_library

    if args.paths:
        lib = load_library(builtin=False, extra=args.paths)
    else:  # validate for real: not ctx.library, which reads unchanged decks from the cache
        lib = load_library(builtin=ctx.builtin, home=ctx.home, extra=ctx.extra_decks)
    for err in lib.errors:
        print(printable(str(err)), file=sys.stderr)
    notes = sum(len(d.notes) for d in lib.decks)
    cards = sum(len(d.cards) for d in lib.decks)
    errors = [e for e in lib.errors if not e.warning]
    if not args.paths and ctx.settings.keys:  # the TUI's remapped keys, checked as it would
        from app.tui.nav import keymap_problems
        from cards.config import CONFIG_FILE

        for problem in keymap_problems(ctx.settings.keys).values():
            print(printable(f"{ctx.home / CONFIG_FILE}: [keys]: {problem}"), file=sys.stderr)
            errors.append(problem)
    if errors:
        n = len(errors)
        print(f"{_n(n, 'error')}; {_n(len(lib.decks), 'deck')} loaded", file=sys.stderr)
        return 1
    warned = len(lib.errors)
    also = f" ({warned} warning{'s' * (warned != 1)})" if warned else ""
    print(f"ok: {_n(len(lib.decks), 'deck')}, {_n(notes, 'note')}, {_n(cards, 'card')}{also}")
    return 0


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def cmd_list(ctx: Context, args) -> int:
    _warn_deck_errors(ctx)
    rows = []
    for deck in ctx.library.decks:
        new, learning, due = ctx.session([deck.id]).counts()
        rows.append(
            {
                "id": deck.id,
                "name": deck.name,
                "new": new,
                "learning": learning,
                "due": due,
                "cards": len(deck.cards),
            }
        )
    if args.json:
        import json

        print(json.dumps({"decks": rows}, indent=2))
        return 0
    if not rows:
        print(printable(f"No decks. Add .toml decks to {ctx.home / 'decks'} or use --decks."))
        return 0
    width = max(len(r["id"]) for r in rows + [{"id": "TOTAL"}])
    print(f"{'DECK':<{width}}  {'NEW':>5}  {'LEARN':>5}  {'DUE':>5}  NAME")
    for r in rows:
        print(f"{r['id']:<{width}}  {r['new']:>5}  {r['learning']:>5}  {r['due']:>5}  {r['name']}")
    total_new, total_learn, total_due = ctx.session().counts()
    print(f"{'TOTAL':<{width}}  {total_new:>5}  {total_learn:>5}  {total_due:>5}")
    return 0


def cmd_stats(ctx: Context, args) -> int:
    from cards import stats as stats_mod

    _warn_deck_errors(ctx)
    cards = ctx.library.cards()
    st = stats_mod.compute(
        ctx.store.reviews(), ctx.store.states(), cards, ctx.settings, ctx.clock()
    )
    if args.json:
        import json

        print(json.dumps(st.to_json(), indent=2))
        return 0
    retention = "n/a" if st.retention is None else f"{st.retention:.1%} of {st.retention_reviews}"
    print(f"Today:      {st.reviews_today} reviews in {st.minutes_today:.1f} min")
    print(f"All time:   {st.reviews_total} reviews")
    print(f"Retention:  {retention} (review cards, last 30 days)")
    print(f"Streak:     {st.streak} day{'s' * (st.streak != 1)}")
    print("Cards:      " + ", ".join(f"{n} {name}" for name, n in st.states.items()))
    week = ", ".join(f"{n}" for n in st.forecast[:7])
    print(f"Due next 7 days (today first): {week}")
    print("True retention  young           mature          all")
    for period, r in st.true_retention.items():
        cells = []
        for which in ("young", "mature", "total"):
            rate = r.rate(which)
            n = (r.young_passed + r.young_failed if which == "young" else
                 r.mature_passed + r.mature_failed if which == "mature" else
                 r.young_passed + r.young_failed + r.mature_passed + r.mature_failed)  # fmt: skip
            cells.append("-" if rate is None else f"{rate:.1%} of {n}")
        print(f"  {period.replace('_', ' '):<13} " + "".join(f"{c:<16}" for c in cells).rstrip())
    return 0


def cmd_config(ctx: Context, args) -> int:
    from dataclasses import asdict

    from cards import config

    if args.key is not None and args.value is not None:
        return _set_config(ctx, args)  # before reading the settings: this repairs a bad file
    settings = ctx.settings
    if args.key is None:
        for key, value in asdict(settings).items():
            if key != "decks":
                print(f"{key} = {_show(value)}    # {config.HELP[key]}")
        for deck, table in settings.decks.items():
            for key, value in table.items():
                print(f"decks.{deck}.{key} = {_show(value)}")
        return 0
    if args.value is None:
        try:
            value = config.lookup(settings, args.key)
        except config.ConfigError as e:
            raise UsageError(str(e)) from None
        print(_show(value))
        return 0
    return _set_config(ctx, args)


def _set_config(ctx: Context, args) -> int:
    from cards import config

    if args.key == "theme":
        _check_theme(config.parse_value("theme", args.value))
    bad = ctx.home / (config.CONFIG_FILE + ".bad")
    before = bad.stat().st_mtime_ns if bad.exists() else None
    try:
        new = config.set_value(ctx.home, args.key, args.value)
    except config.ConfigError as e:
        raise UsageError(str(e)) from None
    except OSError as e:
        raise UserError(f"cannot write {ctx.home / config.CONFIG_FILE}: {e.strerror}") from None
    if bad.exists() and bad.stat().st_mtime_ns != before:
        print(printable(f"warning: the old config.toml could not be read; kept as {bad}"),
              file=sys.stderr)  # fmt: skip
    print(f"{args.key} = {_show(config.lookup(new, args.key))}")
    deck = args.key.split(".")[1] if args.key.startswith("decks.") else None
    if deck and deck not in {d.id for d in ctx.library.decks}:
        print(f"warning: no deck {deck!r} is loaded now; the setting waits for it", file=sys.stderr)
    return 0


def _check_theme(name: str) -> None:
    """A theme the app has (Textual's own themes; the settings alone cannot know them)."""
    from textual.theme import BUILTIN_THEMES

    if name not in BUILTIN_THEMES:
        raise UsageError(f"theme: no theme {name!r} (themes: {', '.join(sorted(BUILTIN_THEMES))})")


def _show(value) -> str:
    """A setting as it would be written in config.toml (JSON and TOML agree for these)."""
    import json

    return json.dumps(list(value) if isinstance(value, tuple) else value)


def cmd_tui(ctx: Context, args) -> int:
    from app.tui.run import run_tui

    return run_tui(
        ctx, review=args.command == "review", decks=getattr(args, "decks_to_study", None) or None
    )


def cmd_export(ctx: Context, args) -> int:
    from app.export_cmd import run_export

    return run_export(ctx, args)


def cmd_import(ctx: Context, args) -> int:
    from app.import_cmd import run_import

    return run_import(ctx, args)


def cmd_sync(ctx: Context, args) -> int:
    from app.sync_cmd import run_sync

    return run_sync(ctx, args)


def cmd_new(ctx: Context, args) -> int:
    from app.new_cmd import run_new

    return run_new(ctx, args)


def cmd_optimize(ctx: Context, args) -> int:
    from app.optimize_cmd import run_optimize

    return run_optimize(ctx, args)


COMMANDS = {
    "home": cmd_tui,
    "review": cmd_tui,
    "check": cmd_check,
    "list": cmd_list,
    "stats": cmd_stats,
    "config": cmd_config,
    "export": cmd_export,
    "import": cmd_import,
    "optimize": cmd_optimize,
    "new": cmd_new,
    "sync": cmd_sync,
}
