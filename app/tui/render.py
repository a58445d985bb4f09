"""Card text and small numbers as Textual Content.

Deck text never goes through markup: it is assembled from plain strings with styles,
so `[bold]` or `<b>` in a deck shows as those characters. Styles may name theme
variables ($accent, $success...), which Textual resolves for the current theme.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.content import Content

from cards import cloze
from cards.model import VERDICT_LABELS, Card, Deck
from cards.text import paragraphs, plain, runs


def deck_text(text: str, style: str = "") -> Content:
    """Deck text with **bold** / *italic* and paragraphs."""
    parts: list[str | tuple[str, str]] = []
    for i, para in enumerate(paragraphs(text)):
        if i:
            parts.append("\n\n")
        parts += [(chunk, emphasis) if emphasis else chunk for chunk, emphasis in runs(para)]
    content = Content.assemble(*parts)
    return content.stylize(style) if style else content


def one_line(text: str) -> str:
    """Deck text squeezed onto one line, without emphasis markers (tables, titles)."""
    return " ".join(plain(text).split())


def options(card: Card) -> list[str]:
    """The options a choice or verdict card offers, in order."""
    if card.kind == "choice":
        return list(card.note.fields["options"])
    if card.kind == "verdict":
        return list(VERDICT_LABELS.values())
    return []


def correct_index(card: Card) -> int | None:
    """Which of options(card) is right (0-based), for choice and verdict cards."""
    f = card.note.fields
    if card.kind == "choice":
        return list(f["options"]).index(f["answer"])
    if card.kind == "verdict":
        return list(VERDICT_LABELS).index(f["verdict"])
    return None


def question_text(card: Card) -> str:
    """The question as plain text on one line (browse, search)."""
    f = card.note.fields
    if card.kind == "basic":
        return one_line(f["back"] if card.ord == 2 else f["front"])
    if card.kind == "cloze":
        return one_line(
            "".join(chunk for chunk, _ in cloze.render(f["text"], card.ord, reveal=False))
        )
    if card.kind == "choice":
        return one_line(f["prompt"])
    return one_line(f["advice"])


def answer_text(card: Card) -> str:
    f = card.note.fields
    if card.kind == "basic":
        return one_line(f["front"] if card.ord == 2 else f["back"])
    if card.kind == "cloze":
        return one_line(cloze.answer(f["text"], card.ord))
    if card.kind == "choice":
        return one_line(f["answer"])
    return VERDICT_LABELS[f["verdict"]]


def front(card: Card) -> Content:
    f = card.note.fields
    if card.kind == "basic":
        return deck_text(f["back"] if card.ord == 2 else f["front"])
    if card.kind == "cloze":
        return cloze_text(f["text"], card.ord, reveal=False)
    if card.kind == "choice":
        return deck_text(f["prompt"])
    return Content.assemble(
        ("Healthy or unhealthy?", "$text-muted"), "\n\n", deck_text(f["advice"], "italic")
    )


def back(card: Card) -> Content:
    """What the back shows under the front: the answer of basic and cloze cards.

    Choice and verdict cards show their answer by marking the options instead."""
    f = card.note.fields
    if card.kind == "basic":
        return deck_text(f["front"] if card.ord == 2 else f["back"])
    if card.kind == "cloze":
        return cloze_text(f["text"], card.ord, reveal=True)
    return Content()


def cloze_text(text: str, number: int, *, reveal: bool) -> Content:
    parts: list[str | tuple[str, str] | Content] = []
    for chunk, is_gap in cloze.render(text, number, reveal=reveal):
        if is_gap:
            parts.append((chunk, "bold $text-accent" if reveal else "bold $accent"))
        else:  # keep the spaces around gaps: no paragraph splitting inside a sentence
            parts += [(piece, emphasis) if emphasis else piece for piece, emphasis in runs(chunk)]
    return Content.assemble(*parts)


def sources(card: Card, deck: Deck | None) -> list[str]:
    """Short names of the sources and evidence a card cites, with the section if any."""
    names: list[str] = []
    if deck is None:
        return names
    for ref in (*card.note.source, *card.note.evidence):
        src = deck.source(ref)
        if src is not None:
            section = f" ({ref.split('#', 1)[1]})" if "#" in ref else ""
            names.append(f"{src.short()}{section}")
    return list(dict.fromkeys(names))


def explanation(card: Card, deck: Deck | None) -> Content:
    """Why, extra and source, shown after answering."""
    parts: list[Content] = []
    note = card.note
    if note.why:
        parts.append(deck_text(note.why))
    if note.extra:
        parts.append(deck_text(note.extra))
    if names := sources(card, deck):
        parts.append(
            Content.assemble(("Source: ", "bold"), "; ".join(names)).stylize("$text-muted")
        )
    return Content("\n\n").join(parts)


# -- numbers -----------------------------------------------------------------


def duration(seconds: float) -> str:
    """A time spent: 45s, 3m 05s, 1h 02m."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {s % 3600 // 60:02d}m"


def until(moment: datetime, now: datetime) -> str:
    """When something happens, relative and absolute: 'in 10m (09:40)', 'in 3d (Thu 8 Jan)'.

    Absolute times are shown in the clock's own time zone."""
    from cards.scheduler import format_interval

    local = moment.astimezone(now.tzinfo)
    delta = moment - now
    if delta <= timedelta(0):
        return "now"
    if local.date() == now.date():
        at = local.strftime("%H:%M")
    elif delta < timedelta(days=6):
        at = local.strftime("%a %H:%M")
    else:
        at = f"{local:%a} {local.day} {local:%b %Y}"
    return f"in {format_interval(delta)} ({at})"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
