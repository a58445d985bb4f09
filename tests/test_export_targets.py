"""`export -o` writes regular files only, and clears the temp files of killed exports."""

from __future__ import annotations

import os
import time

import pytest

from tests.test_cli import assert_one_line_error, fixture, run


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_export_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.apkg"
    os.mkfifo(fifo)
    for target in (fifo, "/dev/null"):
        result = run(*fixture("export", "-o", str(target)), home=tmp_path / "home")
        assert_one_line_error(result, 1)
        assert "not a regular file" in result.stderr
    assert fifo.exists() and not fifo.is_file()  # left as it was


def test_export_clears_stale_temp_files_of_its_own(tmp_path):
    out = tmp_path / "deck.apkg"
    stale = tmp_path / ".deck.apkg.0badc0de.tmp"  # a killed export's
    fresh = tmp_path / ".deck.apkg.12345678.tmp"  # perhaps one running now
    other = tmp_path / ".other.apkg.0badc0de.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    for path in (stale, other):
        os.utime(path, (hours_ago, hours_ago))
    result = run(*fixture("export", "-o", str(out)), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert out.is_file() and not stale.exists() and fresh.exists() and other.exists()
