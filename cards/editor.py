"""Opening a note in the learner's editor: which command, at which line.

$VISUAL, else $EDITOR, else the first of nano, vi found on the PATH. Editors that take
the line as FILE:LINE (VS Code and its kin, Sublime Text, Zed) get that; the rest get
+LINE FILE, which vi, vim, neovim, nano, emacs, micro, kakoune and helix understand.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

FALLBACKS = ("nano", "vi")
# editor -> how it is told the line: "goto" (code --goto FILE:LINE) or "colon" (FILE:LINE)
_FILE_LINE = {"code": "goto", "code-insiders": "goto", "codium": "goto", "cursor": "goto",
              "subl": "colon", "zed": "colon"}  # fmt: skip


class NoEditor(Exception):
    """No editor is set and none of the fallbacks is installed."""


def command(path: Path, line: int, env=None) -> list[str]:
    """The command that opens `path` at `line` (1-based) in the learner's editor."""
    env = os.environ if env is None else env
    chosen = env.get("VISUAL") or env.get("EDITOR")
    if chosen:
        words = shlex.split(chosen)
    else:
        found = next((e for e in FALLBACKS if shutil.which(e)), None)
        if found is None:
            raise NoEditor("no editor: set $EDITOR (for example EDITOR=nano)")
        words = [found]
    how = _FILE_LINE.get(Path(words[0]).name)
    line = max(1, line)
    if how == "goto":
        return [*words, "--goto", f"{path}:{line}"]
    if how == "colon":
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]
