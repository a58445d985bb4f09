"""`heartcards new DECK_ID`: a commented starter deck in <home>/decks/, one note of each
kind, that `heartcards check` passes. Its first line points editors with a TOML language
server (taplo, Even Better TOML) at the deck schema, so they complete and check fields."""

from __future__ import annotations

from app.context import Context, UsageError, UserError

STARTER = """\
#:schema {schema}
# A heartcards deck ({path}). `heartcards check` validates it; the README's "Deck
# files" section has every field. Text is plain: **bold** and *italic* only.
format = 1

[deck]
id = "{deck_id}"              # never change an id: the cards' schedules are tied to it
name = "{name}"
description = "What this deck is for."

# [[sources]]                 # what cards draw on; name them in source = "id" or "id#3"
# id = "an-article"
# title = "The article's title"
# author = "Its author"
# url = "https://example.org/article"

[[notes]]
id = "first-card"             # unique in the deck: [a-z0-9-]
kind = "basic"                # basic, cloze, choice, verdict or typed
front = "What is spaced repetition?"
back = "Reviewing each card just before you would forget it."
tags = ["example"]
# reverse = true              # a second card, back to front

[[notes]]
id = "a-gap"
kind = "cloze"
text = "Cards are shown again after {{{{c1::longer and longer}}}} gaps."

[[notes]]
id = "pick-one"
kind = "choice"
prompt = "Which makes a memory last longer?"
options = ["Rereading", "Recalling it"]
answer = "Recalling it"
why = "Retrieval practice strengthens memory more than rereading."

[[notes]]
id = "type-it"
kind = "typed"
front = "The scheduler heartcards uses (four letters)"
back = "FSRS"
"""


def run_new(ctx: Context, args) -> int:
    from cards import deck_schema
    from cards.deckfile import SLUG

    deck_id = args.deck_id
    if not SLUG.match(deck_id):
        raise UsageError(f"new: deck id {deck_id!r} must be lower-case letters, digits and -")
    taken = ctx.library.deck(deck_id)
    if taken is not None:
        raise UserError(f"a deck {deck_id!r} exists already: {taken.path}")
    path = ctx.home / "decks" / f"{deck_id}.toml"
    if path.exists():  # (a deck file there that does not load, or another id in it)
        raise UserError(f"{path} exists already")
    name = deck_id.replace("-", " ").capitalize()
    text = STARTER.format(schema=deck_schema.PATH.as_uri(), path=path.name, deck_id=deck_id,
                          name=name)  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UserError(f"cannot write {path}: {e.strerror}") from None
    from cards.text import printable

    print(printable(f"wrote {path}: 4 example notes; edit them, then `heartcards check`"))
    return 0
