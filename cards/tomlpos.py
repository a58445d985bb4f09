"""Where things are in a TOML file: line and column of each table and key.

tomllib gives values but no positions, so this scans the text once and maps paths
like ("notes", 3, "answer") to (line, column). It only needs to be right for files
that tomllib accepted; anything it cannot place falls back to its table's header.
"""

from __future__ import annotations

import re

_HEADER_ARRAY = re.compile(r"\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_HEADER = re.compile(r"\[\s*([A-Za-z0-9_-]+)\s*\]")
_KEY = re.compile(r"""([A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')\s*=""")

Path_ = tuple  # ("notes", 3, "answer")


def positions(text: str) -> dict[Path_, tuple[int, int]]:
    found: dict[Path_, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    table: Path_ = ()
    open_string: str | None = None  # the delimiter of a multi-line string we are in
    depth = 0  # open [ or { of a value spanning lines
    # TOML breaks lines at "\n" only (str.splitlines() would also break at U+2028,
    # U+0085, form feeds... inside strings, and every line after would be misnumbered)
    for lineno, line in enumerate(text.split("\n"), 1):
        i = 0
        if open_string:
            end = _find_close(line, 0, open_string)
            if end < 0:
                continue
            i, open_string = end, None
        elif depth == 0:
            stripped = line.lstrip()
            col = len(line) - len(stripped) + 1
            if m := _HEADER_ARRAY.match(stripped):
                index = counts.get(m[1], 0)
                counts[m[1]] = index + 1
                table = (m[1], index)
                found[table] = (lineno, col)
                continue
            if m := _HEADER.match(stripped):
                table = (m[1],)
                found[table] = (lineno, col)
                continue
            if m := _KEY.match(stripped):
                found.setdefault(table + (m[1].strip("\"'"),), (lineno, col))
                i = col - 1 + m.end()
        i, depth, open_string = _scan_value(line, i, depth)
    return found


def _find_close(line: str, start: int, delim: str) -> int:
    """Index just past the closing delimiter of a multi-line string, or -1."""
    i = start
    while (i := line.find(delim, i)) >= 0:
        if delim == '"""' and i > 0 and line[i - 1] == "\\":
            i += 1
            continue
        end = i + 3
        while end < len(line) and line[end] == delim[0]:  # """" closes after the quote
            end += 1
        return end
    return -1


def _scan_value(line: str, i: int, depth: int) -> tuple[int, int, str | None]:
    """Skip strings and comments; track brackets. Returns (i, depth, open multi-line string)."""
    n = len(line)
    while i < n:
        c = line[i]
        if c == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            delim = line[i : i + 3]
            end = _find_close(line, i + 3, delim)
            if end < 0:
                return n, depth, delim
            i = end
            continue
        if c == '"':
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
            continue
        if c == "'":
            end = line.find("'", i + 1)
            i = end + 1 if end >= 0 else n
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return i, depth, None


def lookup(found: dict[Path_, tuple[int, int]], path: Path_) -> tuple[int, int]:
    """Position of `path`, else of the nearest enclosing table we know, else 1:1."""
    while path:
        if path in found:
            return found[path]
        path = path[:-1]
    return (1, 1)
