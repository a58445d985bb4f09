"""`heartcards sync [--server URL] [--user NAME] [--full-upload | --full-download]`: two-way
sync through an Anki sync server (cards.sync). Logs in once (the password from
$HEARTCARDS_SYNC_PASSWORD or asked on the terminal; only the session key is kept), asks
before a full sync on a terminal, and says what it did in a line."""

from __future__ import annotations

import os
import sys

from app.context import Context, UsageError, UserError, warn_deck_problems
from cards.text import printable


def run_sync(ctx: Context, args) -> int:
    from cards import sync

    if not sync.available():
        raise UserError(
            "sync needs Anki's engine, the optional `anki` package (AGPL):"
            " pip install 'heartcards[sync]'"
        )
    if args.full_upload and args.full_download:
        raise UsageError("sync: --full-upload or --full-download, not both")
    warn_deck_problems(ctx)
    settings = ctx.settings
    server = args.server if args.server is not None else settings.sync_server
    user = args.user or settings.sync_user
    auth = sync.saved_auth(ctx.home)
    if auth is None or auth.get("server", "") != server or (user and auth.get("user") != user):
        auth = _login(ctx, sync, user, server)
    forced = "upload" if args.full_upload else "download" if args.full_download else None

    def choose(required: str) -> str | None:
        if forced is not None:
            return forced
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            return None
        return _ask(required)

    try:
        report = sync.sync(ctx.home, ctx.store, list(ctx.library.decks), settings, ctx.clock,
                           auth, choose)  # fmt: skip
    except sync.NeedsChoice as e:
        raise UserError(
            f"the sync server needs a full sync ({_needs(e.args[0])}): run heartcards sync"
            " --full-upload (this collection wins) or --full-download (the server's wins)"
        ) from None
    except sync.SyncError as e:
        if "refused the user name" in str(e):
            sync.forget_login(ctx.home)
        raise UserError(str(e)) from None
    where = server or "AnkiWeb"
    full = f", full {report.full}" if report.full else ""
    print(printable(f"synced with {where}{full}: {_n(report.pushed, 'change')} sent,"
                    f" {_n(report.merged, 'review')} merged from elsewhere"
                    f" ({_n(report.touched, 'card')} changed)"))  # fmt: skip
    return 0


def _login(ctx: Context, sync, user: str, server: str) -> dict:
    if not user:
        raise UserError("sync: no user: heartcards config sync_user NAME (or --user NAME)")
    password = os.environ.get("HEARTCARDS_SYNC_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise UserError(
                "sync: no password: set HEARTCARDS_SYNC_PASSWORD or run it on a terminal"
            )
        import getpass

        password = getpass.getpass(f"Password for {user} on {server or 'AnkiWeb'}: ")
    try:
        return sync.login(ctx.home, user, password, server)
    except sync.SyncError as e:
        raise UserError(str(e)) from None


def _needs(required: str) -> str:
    return {
        "upload": "the server has nothing yet",
        "download": "this side has nothing yet",
        "either": "the two sides differ too much to merge",
    }[required]


def _ask(required: str) -> str | None:
    print(f"The sync server needs a full sync: {_needs(required)}.", file=sys.stderr)
    if required in ("upload", "either"):
        print("  u: upload: this collection replaces the server's", file=sys.stderr)
    if required in ("download", "either"):
        print("  d: download: the server's collection replaces the mirror (your reviews"
              " here are kept and merged)", file=sys.stderr)  # fmt: skip
    answer = input("Which? (u/d, anything else stops) ").strip().lower()
    return {"u": "upload", "d": "download"}.get(answer)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"
