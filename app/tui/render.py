"""Card text as Rich Text. Deck text never goes through markup: it is appended as plain
strings with styles, so `[bold]` or `<b>` in a deck shows as those characters."""

from __future__ import annotations

from rich.text import Text

from cards import cloze
from cards.model import VERDICT_LABELS, Card, Deck
from cards.text import paragraphs, runs

STYLES = {"": "", "bold": "bold", "italic": "italic"}


def rich(text: str, base: str = "") -> Text:
    """Deck text with **bold** / *italic* and paragraphs, as a Text."""
    out = Text(style=base)
    for i, para in enumerate(paragraphs(text)):
        if i:
            out.append("\n\n")
        for chunk, style in runs(para):
            out.append(chunk, style=STYLES[style])
    return out


def options(card: Card) -> list[str]:
    """The options a choice or verdict card offers, in order."""
    if card.kind == "choice":
        return list(card.note.fields["options"])
    if card.kind == "verdict":
        return list(VERDICT_LABELS.values())
    return []


def correct_option(card: Card) -> str | None:
    if card.kind == "choice":
        return card.note.fields["answer"]
    if card.kind == "verdict":
        return VERDICT_LABELS[card.note.fields["verdict"]]
    return None


def front(card: Card) -> Text:
    f = card.note.fields
    if card.kind == "basic":
        return rich(f["back"] if card.ord == 2 else f["front"])
    if card.kind == "cloze":
        return _cloze(f["text"], card.ord, reveal=False)
    if card.kind == "choice":
        return rich(f["prompt"])
    out = Text("Healthy or unhealthy?\n\n", style="dim")
    out.append_text(rich(f["advice"], base="italic"))
    return out


def answer(card: Card) -> Text:
    """What the back adds: the answer itself."""
    f = card.note.fields
    if card.kind == "basic":
        return rich(f["front"] if card.ord == 2 else f["back"])
    if card.kind == "cloze":
        return _cloze(f["text"], card.ord, reveal=True)
    return Text(correct_option(card) or "", style="bold")


def explanation(card: Card, deck: Deck | None) -> Text:
    """Why, extra and source, shown after answering."""
    out = Text()
    note = card.note
    if note.why:
        out.append_text(rich(note.why))
    if note.extra:
        if out:
            out.append("\n\n")
        out.append_text(rich(note.extra))
    refs = list(note.source) + list(note.evidence)
    if refs and deck is not None:
        names = []
        for ref in refs:
            src = deck.source(ref)
            if src is not None:
                section = f" ({ref.split('#', 1)[1]})" if "#" in ref else ""
                names.append(f"{src.author or src.title}{section}")
        if names:
            if out:
                out.append("\n\n")
            out.append("Source: " + "; ".join(dict.fromkeys(names)), style="dim")
    return out


def _cloze(text: str, number: int, *, reveal: bool) -> Text:
    out = Text()
    for chunk, is_gap in cloze.render(text, number, reveal=reveal):
        if is_gap:
            out.append(chunk, style="bold reverse" if not reveal else "bold underline")
        else:  # keep the spaces around gaps: no paragraph splitting inside a sentence
            for piece, style in runs(chunk):
                out.append(piece, style=STYLES[style])
    return out
