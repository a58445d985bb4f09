"""The export's zip writer: what it writes is a zip that zipfile and unzip read whole,
whatever the size of the entries (one piece or several compressed in parallel)."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import zipfile

import pytest

from cards import deflate_zip


@pytest.mark.parametrize("size", [0, 1, 5000, 2 << 20, (9 << 20) + 7])
def test_entries_read_back_whole(tmp_path, size):
    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(min(size, 4096))) * (size // 4096 + 1)
    data = data[:size]
    path = tmp_path / "t.zip"
    with open(path, "wb") as f:
        deflate_zip.write(f, {"collection.anki2": data, "media": b"{}"}, 1)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert z.namelist() == ["collection.anki2", "media"]
        assert z.read("collection.anki2") == data and z.read("media") == b"{}"
        assert z.getinfo("collection.anki2").compress_type == zipfile.ZIP_DEFLATED
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True).returncode == 0


def test_compresses():
    data = b"the same words again and again " * 100_000
    out = io.BytesIO()
    deflate_zip.write(out, {"x": data}, 1)
    assert len(out.getvalue()) < len(data) / 20
