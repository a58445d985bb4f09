"""Packaging a user can install (issue 16): the wheel and sdist build, the wheel installs
into a clean virtual environment, and its `heartcards` runs `check`, `list` and `new` on
the shipped decks from outside the checkout (nothing there is read from this tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("hatchling")


def sh(*args, cwd: Path, env=None, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    sh(sys.executable, "-m", "hatchling", "build", "-d", out, cwd=ROOT)
    return out


def test_the_sdist_and_wheel_hold_what_is_needed(dist):
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "decks").glob("*.toml")}
    assert {f"cards/_decks/{n}" for n in shipped} <= names
    assert "cards/deck.schema.json" in names and "app/tui/app.tcss" in names
    with tarfile.open(sdist) as t:
        inside = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {f"decks/{n}" for n in shipped} <= inside
    assert {"pyproject.toml", "README.md", "requirements.lock", "cards/deck.schema.json"} <= inside
    assert not any("__pycache__" in n or n.startswith(".venv") for n in inside)


def test_the_wheel_installs_and_runs_outside_the_checkout(dist, tmp_path):
    (wheel,) = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    sh(py, "-m", "pip", "install", "-q", "-c", ROOT / "requirements.lock", wheel,
       cwd=tmp_path, timeout=900)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HEARTCARDS"))}
    env["HEARTCARDS_HOME"] = str(tmp_path / "home")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    heartcards = env_dir / "bin" / "heartcards"
    check = sh(heartcards, "check", cwd=outside, env=env)
    shipped = len(list((ROOT / "decks").glob("*.toml")))
    assert check.stdout.startswith(f"ok: {shipped} decks, ")
    listed = sh(heartcards, "list", cwd=outside, env=env)
    assert listed.stdout.splitlines()[0].split() == ["DECK", "NEW", "LEARN", "DUE", "NAME"]
    assert len(listed.stdout.splitlines()) == shipped + 2
    where = sh(py, "-c", "import cards, app; print(cards.__file__); print(app.__file__)",
               cwd=outside, env=env).stdout.split()  # fmt: skip
    assert all(str(env_dir) in w and str(ROOT) not in w for w in where)
    sh(heartcards, "new", "my-deck", cwd=outside, env=env)
    first = (tmp_path / "home" / "decks" / "my-deck.toml").read_text().splitlines()[0]
    schema = Path(first.removeprefix("#:schema file://"))
    assert str(env_dir) in str(schema) and schema.is_file()
    assert sh(heartcards, "check", cwd=outside, env=env).stdout.startswith(
        f"ok: {shipped + 1} decks, "
    )
