"""The `heartcards` command. Fast paths (check, list, stats, config) never import Textual."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

from app.context import (
    Context,
    UsageError,
    UserError,
    check_home,
    default_home,
    warn_deck_problems,
)
from cards.text import printable

# Commands that never make a collection.
READ_ONLY = ("list", "stats", "export", "optimize")


def _app_start(argv: list[str]) -> SimpleNamespace | None:
    """What argparse would make of `heartcards` and `heartcards review [DECK...]`, the
    commands that open the app; None for anything else. Importing and building argparse
    costs about 3 ms, 2% of the app's start-up to its first card."""
    if argv[:1] not in ([], ["review"]) or any(word.startswith("-") for word in argv):
        return None
    if not argv:
        return SimpleNamespace(command=None)
    return SimpleNamespace(command="review", decks_to_study=argv[1:])


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = _app_start(argv)
        if args is None:
            from app.arguments import build_parser

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
    from cards import config

    if args.key is not None and args.value is not None:
        return _set_config(ctx, args)  # before reading the settings: this repairs a bad file
    settings = ctx.settings
    if args.key is None:
        for key, value in settings.as_dict().items():
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
