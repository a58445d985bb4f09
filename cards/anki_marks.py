"""Modification times for an Anki export that change only when what is exported changes.

Anki updates a note (or note type) on import only when the incoming one is newer
("Update notes: if newer"), comparing modification times in seconds. If every export
stamped the export's time, every import would rewrite every note: edits made in Anki
would be lost and every note would count as updated. So each item keeps the time of the
export that last changed it (Store.export_marks, kept in the collection): an item whose
content digest is unchanged carries its old time; a changed one gets the export's time,
and always a later time than it had before, so two exports within one second still
count as newer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest(parts: Iterable[str]) -> bytes:
    """A digest of an item's exported content."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).digest()


class Marks:
    """The modification times of one export. `kept`: Store.export_marks(), or None when
    there is no collection to keep them in (every item then gets `now`); `now`: the
    export's time in seconds. `changed` holds what is to be kept once the file is written."""

    def __init__(self, kept: dict[str, tuple[bytes, int]] | None, now: int):
        self.kept = kept
        self.now = now
        self.changed: dict[str, tuple[bytes, int]] = {}

    def mod(self, item: str, content: bytes) -> int:
        if self.kept is None:
            return self.now
        old = self.kept.get(item)
        if old is not None and old[0] == content:
            return old[1]
        mod = self.now if old is None else max(self.now, old[1] + 1)
        self.changed[item] = (content, mod)
        return mod
