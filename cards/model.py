"""The model objects every part of the app shares: decks, notes, sources and cards."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from cards.frozen import Frozen

# No dataclasses here (see cards.frozen): Source and Card are NamedTuples, Note and Deck,
# which compare and hash on some of their fields only, are Frozen classes.


class Source(NamedTuple):
    """A work a deck cites: an article, a study, a book."""

    id: str
    title: str
    author: str | None = None
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    note: str | None = None

    def short(self) -> str:
        """A compact reference for one line: "Harper", "Downey & Feldman 1996",
        "Dai et al. 2014"; the title when there is no author."""
        if not self.author:
            name = self.title if len(self.title) <= 40 else self.title[:39] + "…"
        else:
            author = re.sub(r"\s*\(.*?\)", "", self.author).strip()
            # "A, B & C" lists people; without "&" a comma belongs to one organisation's name
            people = [p.strip() for p in re.split(r",|&", author)] if "&" in author else []
            if len(people) > 2:
                name = f"{people[0]} et al."
            elif len(people) == 2:
                name = f"{people[0]} & {people[1]}"
            else:
                name = author.split(",")[0]
        return f"{name} {self.year}" if self.year else name

    def citation(self) -> str:
        """One line a learner can follow up: authors (year). Title. Venue. doi/url."""
        head = self.author or ""
        if self.year:
            head = f"{head} ({self.year})" if head else str(self.year)
        parts = [p for p in (head, self.title, self.venue) if p]
        if self.doi:
            parts.append(f"doi:{self.doi}")
        elif self.url:
            parts.append(self.url)
        return ". ".join(parts)


class Note(Frozen):
    """One note of a deck. `fields` holds the kind's own fields (front/back, text, ...)."""

    FIELDS = ("id", "kind", "fields", "tags", "source", "evidence", "extra", "line")
    COMPARED = FIELDS[:-1]  # `line` (where the note starts, for messages) is not compared

    def __init__(
        self,
        id: str,
        kind: str,
        fields: dict,
        tags: tuple[str, ...] = (),
        source: tuple[str, ...] = (),
        evidence: tuple[str, ...] = (),
        extra: str | None = None,
        line: int = 0,
    ):
        self.__dict__.update(
            id=id, kind=kind, fields=fields, tags=tags, source=source, evidence=evidence,
            extra=extra, line=line,
        )  # fmt: skip

    def __hash__(self):  # without `fields`, a dict
        d = self.__dict__
        return hash((d["id"], d["kind"], d["tags"], d["source"], d["evidence"], d["extra"]))

    @property
    def why(self) -> str | None:
        return self.fields.get("why")


class Card(NamedTuple):
    """One reviewable card: a note plus which of its cards (1-based ordinal)."""

    deck_id: str
    note: Note
    ord: int = 1

    @property
    def key(self) -> str:
        return card_key(self.deck_id, self.note.id, self.ord)

    @property
    def note_key(self) -> str:
        return f"{self.deck_id}/{self.note.id}"

    @property
    def kind(self) -> str:
        return self.note.kind

    @property
    def label(self) -> str:
        """What the card is, in a word or two: "basic", "reverse", "cloze 2"."""
        from cards import kinds

        return kinds.of(self.note).label(self)


def card_key(deck_id: str, note_id: str, ord: int = 1) -> str:
    """Card 1 of a note is DECK/NOTE; card N > 1 is DECK/NOTE/N.

    Card 1 never takes a suffix, so adding a reverse or a second cloze to a note
    keeps the schedule of the card it already had.
    """
    return f"{deck_id}/{note_id}" if ord == 1 else f"{deck_id}/{note_id}/{ord}"


def deck_of(key: str) -> str:
    """The deck id a card key (or note key) starts with."""
    return key.split("/", 1)[0]


class Deck(Frozen):
    """One deck file: its notes, in file order, and the sources they cite."""

    FIELDS = ("id", "name", "description", "sources", "notes", "path")
    COMPARED = FIELDS[:-1]  # the same deck wherever its file is

    def __init__(
        self,
        id: str,
        name: str,
        description: str = "",
        sources: tuple[Source, ...] = (),
        notes: tuple[Note, ...] = (),
        path: Path | None = None,
    ):
        self.__dict__.update(
            id=id, name=name, description=description, sources=sources, notes=notes, path=path
        )

    def replace(self, **changes) -> Deck:
        """A plain Deck with some fields changed (a CachedDeck's too)."""
        return Deck(**self.as_dict() | changes)

    def source(self, ref: str) -> Source | None:
        """The source a reference like "brown#a12" names."""
        sid = ref.split("#", 1)[0]
        return next((s for s in self.sources if s.id == sid), None)

    @property
    def cards(self) -> list[Card]:
        from cards import kinds

        return [
            Card(self.id, note, n) for note in self.notes for n in kinds.of(note).ords(note.fields)
        ]
