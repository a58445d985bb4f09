"""Deck text: paragraphs and the two kinds of emphasis (**bold**, *italic*).

Text is plain text. This module only splits it into styled runs; the TUI turns runs
into Rich Text (never markup) and the exporter into escaped HTML.
"""

from __future__ import annotations

import re

# C0 and C1 control characters but tab and newline, and DEL: nothing a deck may put on a
# terminal (ESC starts the sequences that set titles, write the clipboard, clear the
# screen) or in an Anki field (U+001F separates its fields).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    return CONTROLS.sub("", text)


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters shown as escapes (\\x1b)."""
    return CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


# **bold** first so that it is not read as two italics.
_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.S)


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (chunk, style) runs, style being "", "bold" or "italic"."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _EMPHASIS.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], ""))
        if m.group(1) is not None:
            out.append((m.group(1), "bold"))
        else:
            out.append((m.group(2), "italic"))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def plain(text: str) -> str:
    """The text without emphasis markers (for search and one-line summaries)."""
    return "".join(chunk for chunk, _ in runs(text))


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines inside one are kept."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]


def to_html(text: str) -> str:
    """Escaped HTML: emphasis as <b>/<i>, paragraphs separated by <br><br>."""
    import html  # here: only the export needs it

    tags = {"bold": "b", "italic": "i"}
    parts = []
    for para in paragraphs(text):
        chunks = []
        for chunk, style in runs(para):
            esc = html.escape(chunk, quote=True).replace("\n", "<br>")
            chunks.append(f"<{tags[style]}>{esc}</{tags[style]}>" if style else esc)
        parts.append("".join(chunks))
    return "<br><br>".join(parts)
