"""cards/ is the core: importing any of it must not pull in Textual or Rich (or genanki)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_imports_no_tui_modules():
    modules = sorted(
        f"cards.{p.stem}" for p in (ROOT / "cards").glob("*.py") if p.stem != "__init__"
    )
    assert "cards.store" in modules and "cards.scheduler" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'genanki'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


def test_fast_commands_import_no_textual(tmp_path):
    code = (
        "import sys\n"
        "from app.cli import main\n"
        f"main(['--home', {str(tmp_path)!r}, 'list'])\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'clean', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stderr.strip().endswith("clean")
