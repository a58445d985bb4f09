"""The export benchmark runs (a smoke run: a few notes, one run; figures are not checked)."""

from __future__ import annotations

from bench.export import main


def test_bench_export_smoke(capsys):
    assert main(["--notes", "200", "--runs", "1", "--max-ratio", "1000", "--scheduling"]) == 0
    out = capsys.readouterr().out
    assert "export of 200 notes" in out and "ratio" in out and "--scheduling" in out
