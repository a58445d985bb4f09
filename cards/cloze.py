"""Anki cloze syntax: {{c1::answer}} and {{c1::answer::hint}}."""

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
