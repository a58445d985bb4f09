"""Figures and the table: samples -> median/p99, rows beside their reference, the machine."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import asdict, dataclass, field


@dataclass
class Stat:
    """Samples of one measurement, in the row's unit (ms, s or MB)."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        """Nearest-rank 99th percentile (the maximum when there are under 100 samples)."""
        s = sorted(self.samples)
        return s[max(0, min(len(s) - 1, -(-99 * len(s) // 100) - 1))]

    def to_json(self) -> dict:
        return {"median": self.median, "p99": self.p99, "n": len(self.samples)}


@dataclass
class Row:
    """One figure of heartcards beside its reference, measured in the same run."""

    measure: str  # e.g. "answer path"
    size: str  # e.g. "100k cards"
    unit: str  # "ms", "s", "MB"
    ours: Stat
    ref_name: str  # e.g. "Anki engine"
    ref: Stat | None
    target: str = ""  # what is asked, in words
    max_ratio: float | None = None  # on the median (and on p99 when p99_ratio is set)
    p99_ratio: bool = False
    max_abs_p99: float | None = None  # an absolute bound on our p99, in `unit`
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return None if self.ref is None else self.ours.median / self.ref.median

    @property
    def ratio_p99(self) -> float | None:
        return None if self.ref is None else self.ours.p99 / self.ref.p99

    @property
    def met(self) -> bool | None:
        checks = []
        if self.max_ratio is not None and self.ref is not None:
            checks.append(self.ratio <= self.max_ratio)
            if self.p99_ratio:
                checks.append(self.ratio_p99 <= self.max_ratio)
        if self.max_abs_p99 is not None:
            checks.append(self.ours.p99 <= self.max_abs_p99)
        return all(checks) if checks else None

    def to_json(self) -> dict:
        d = asdict(self)
        d["ours"] = self.ours.to_json()
        d["ref"] = None if self.ref is None else self.ref.to_json()
        d.update(ratio=self.ratio, ratio_p99=self.ratio_p99, met=self.met)
        return d


def machine() -> dict:
    import sqlite3
    import sys
    from importlib import metadata

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(ln for ln in f if ln.startswith("MemTotal")).split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("textual", "fsrs-rs-python", "anki", "genanki"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        **versions,
    }


def _fmt(x: float, unit: str) -> str:
    if unit == "ms":
        return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"
    if unit == "s":
        return f"{x:.3f}" if x < 10 else f"{x:.2f}"
    return f"{x:.1f}"


def table(rows: list[Row]) -> str:
    head = (
        "| Measure | Size | heartcards median / p99 | Reference | reference median / p99 |"
        " Ratio (median / p99) | Target | Met |"
    )
    out = [head, "|" + "---|" * 8]
    for r in rows:
        ours = f"{_fmt(r.ours.median, r.unit)} / {_fmt(r.ours.p99, r.unit)} {r.unit}"
        if r.ref is not None:
            ref = f"{_fmt(r.ref.median, r.unit)} / {_fmt(r.ref.p99, r.unit)} {r.unit}"
            ratio = f"{r.ratio:.2f}x / {r.ratio_p99:.2f}x"
        else:
            ref, ratio = "-", "-"
        met = {True: "yes", False: "**no**", None: "-"}[r.met]
        name = r.measure + (f" ({r.note})" if r.note else "")
        out.append(
            f"| {name} | {r.size} | {ours} | {r.ref_name} | {ref} | {ratio} | {r.target} | {met} |"
        )
    return "\n".join(out)
