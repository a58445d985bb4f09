"""Card text and small numbers as Textual Content.

Deck text never goes through markup: it is assembled from plain strings with styles,
so `[bold]` or `<b>` in a deck shows as those characters. Styles may name theme
variables ($accent, $success...), which Textual resolves for the current theme.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.content import Content

from cards import kinds
from cards.model import Card, Deck
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


def question_text(card: Card) -> str:
    """The question as plain text on one line (browse, search)."""
    return one_line(kinds.of(card.note).question(card))


def sources(card: Card, deck: Deck | None) -> list[str]:
    """Short names of the sources and evidence a card cites, each once, with the sections
    cited: "Lachlan Brown (c3, a4)"."""
    sections: dict[str, list[str]] = {}  # short name -> sections, in citing order
    if deck is None:
        return []
    for ref in (*card.note.source, *card.note.evidence):
        src = deck.source(ref)
        if src is not None:
            cited = sections.setdefault(src.short(), [])
            if "#" in ref and (section := ref.split("#", 1)[1]) not in cited:
                cited.append(section)
    return [f"{name} ({', '.join(cited)})" if cited else name for name, cited in sections.items()]


def explanation(card: Card, deck: Deck | None) -> Content:
    """Why, extra and source, shown after answering."""
    parts: list[Content] = []
    note = card.note
    if note.why:
        parts.append(deck_text(note.why))
    if note.extra:
        parts.append(deck_text(note.extra))
    text = Content("\n\n").join(parts)
    if names := sources(card, deck):  # (right under the text: it is the text's source)
        source = Content.assemble(("Source: ", "bold"), "; ".join(names)).stylize("$text-muted")
        text = Content("\n").join([text, source]) if parts else source
    return text


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


# Anki's flags, 1-7, with a theme colour near each
FLAGS = {1: ("Red", "$text-error"), 2: ("Orange", "$text-warning"), 3: ("Green", "$text-success"),
         4: ("Blue", "$text-primary"), 5: ("Pink", "$text-accent"), 6: ("Turquoise", "$text-secondary"),
         7: ("Purple", "$text-accent")}  # fmt: skip


def flag_bindings(screen: str) -> list:
    """Ctrl+1..7 (Alt+1..7 where a terminal sends no Ctrl+digit) flag a card, as in
    Anki; ids `SCREEN.flagN` for [keys]."""
    from textual.binding import Binding

    return [Binding(f"ctrl+{n},alt+{n}", f"flag({n})", f"Flag {FLAGS[n][0].lower()}",
                    show=False, id=f"{screen}.flag{n}") for n in range(1, 8)]  # fmt: skip


def marks(flag: int, marked: bool) -> Content | None:
    """A card's flag and its note's mark, for the top line of the card."""
    parts = []
    if flag:
        name, style = FLAGS[flag]
        parts.append(Content.styled(f"⚑ {name}", f"bold {style}"))
    if marked:
        parts.append(Content.styled("★ marked", "bold $text-warning"))
    return Content("  ").join(parts) if parts else None
