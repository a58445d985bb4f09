"""Anki cloze syntax: {{c1::answer}} and {{c1::answer::hint}}.

Emphasis (cards.text) and clozes nest as they do in Anki once the text is HTML: emphasis
may go around a whole gap (`*the {{c1::gap}}*`) or inside one (`{{c1::**gap**}}`), never
across its braces (`*a {{c1::b* c}}` keeps its asterisks). `styled` gives the TUI's runs,
`to_html` Anki's field: the same reading of one text."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NUMBER = 65535  # Anki numbers a note's cards in 16 bits: it rejects a package with more
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


@dataclass(frozen=True)
class ClozeError:
    offset: int
    message: str


def problems(text: str) -> list[ClozeError]:
    """What is wrong with a cloze text: no cloze, c0, an unclosed, empty or nested gap."""
    errors: list[ClozeError] = []
    found = False
    for m in re.finditer(r"\{\{", text):
        close = CLOZE.match(text, m.start())
        if close is None:
            errors.append(ClozeError(m.start(), "malformed cloze: expected {{cN::answer}}"))
            continue
        found = True
        digits = close.group(1)
        if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
            errors.append(ClozeError(m.start(), f"cloze numbers go up to c{MAX_NUMBER}"))
            continue
        if int(digits) < 1:
            errors.append(ClozeError(m.start(), "cloze numbers start at c1"))
        if not close.group(2).strip():
            errors.append(ClozeError(m.start(), f"empty cloze c{close.group(1)}"))
        if "{{" in close.group(0)[2:]:  # Anki nests clozes; heartcards keeps them apart
            errors.append(
                ClozeError(m.start(), f"a cloze inside c{digits}: close it with }}}} first")
            )
    if not found and not errors:
        errors.append(ClozeError(0, "cloze text has no {{c1::...}} gap"))
    return errors


def cloze_numbers(text: str) -> list[int]:
    return sorted({int(m.group(1)) for m in CLOZE.finditer(text) if int(m.group(1)) > 0})


def render(text: str, number: int, *, reveal: bool, gap: str = "[...]") -> list[tuple[str, bool]]:
    """The text of card `number` as (chunk, is_the_gap) pieces.

    Other clozes show their answer. The asked one shows `[...]`, or `[hint]` when
    it has a hint (`[]` for an empty one, as in Anki), until revealed, then its answer.
    """
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in CLOZE.finditer(text):
        out.append((text[pos : m.start()], False))
        n, answer, hint = int(m.group(1)), m.group(2), m.group(3)
        if n != number:
            out.append((answer, False))
        elif reveal:
            out.append((answer, True))
        else:
            out.append((gap if hint is None else f"[{hint}]", True))
        pos = m.end()
    out.append((text[pos:], False))
    return [(chunk, is_gap) for chunk, is_gap in out if chunk]


def answer(text: str, number: int) -> str:
    return ", ".join(m.group(2) for m in CLOZE.finditer(text) if int(m.group(1)) == number)


def _masked(text: str) -> tuple[str, str, list[re.Match]]:
    """`text` with each cloze as one placeholder character (so emphasis can go around a
    gap but never into its braces), the placeholder, and the clozes in order."""
    clozes = list(CLOZE.finditer(text))
    mark = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    return CLOZE.sub(mark, text), mark, clozes


def _with(outer: str, inner: str) -> str:
    return " ".join(s for s in (outer, inner) if s)


def styled(
    text: str, number: int, *, reveal: bool, gap: str = "[...]"
) -> list[tuple[str, str, bool]]:
    """Card `number` of a cloze text as (chunk, emphasis, is_the_gap) runs; emphasis is
    "", "bold", "italic" or "bold italic". Gaps show as render() shows them."""
    from cards.text import runs

    masked, mark, clozes = _masked(text)
    found = iter(clozes)
    out: list[tuple[str, str, bool]] = []
    for chunk, style in runs(masked):
        for i, piece in enumerate(chunk.split(mark)):
            if i:
                m = next(found)
                n, answer, hint = int(m.group(1)), m.group(2), m.group(3)
                if n == number and not reveal:
                    out.append((gap if hint is None else f"[{hint}]", style, True))
                else:
                    out += [(c, _with(style, s), n == number) for c, s in runs(answer)]
            if piece:
                out.append((piece, style, False))
    return [run for run in out if run[0]]


def to_html(text: str) -> str:
    """A cloze text as an Anki field: cards.text.to_html's HTML, each cloze whole inside
    the emphasis around it, its answer's own emphasis inside its braces."""
    import html

    from cards.text import paragraphs, runs

    tags = {"bold": "b", "italic": "i"}

    def emphasised(chunk: str, style: str) -> str:
        esc = html.escape(chunk, quote=True).replace("\n", "<br>")
        return f"<{tags[style]}>{esc}</{tags[style]}>" if style else esc

    masked, mark, clozes = _masked(text)
    found = iter(clozes)
    parts = []
    for para in paragraphs(masked):
        chunks = []
        for chunk, style in runs(para):
            pieces = []
            for i, piece in enumerate(chunk.split(mark)):
                if i:
                    m = next(found)
                    inner = "".join(emphasised(c, s) for c, s in runs(m.group(2)))
                    hint = "" if m.group(3) is None else "::" + html.escape(m.group(3), quote=True)
                    pieces.append(f"{{{{c{m.group(1)}::{inner}{hint}}}}}")
                pieces.append(html.escape(piece, quote=True).replace("\n", "<br>"))
            body = "".join(pieces)
            chunks.append(f"<{tags[style]}>{body}</{tags[style]}>" if style else body)
        parts.append("".join(chunks))
    return "<br><br>".join(parts)
