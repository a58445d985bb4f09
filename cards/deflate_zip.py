"""A zip of in-memory entries, each deflated on every core at once (the export's package).

zlib releases the GIL while it compresses, so a large entry is cut in pieces compressed in
threads, the way pigz does it: every piece but the last ends on a full flush (a byte
boundary with no reference back into it), so the pieces joined are one deflate stream that
any unzip reads. It costs a few bytes per piece. zipfile cannot take data compressed
already, so the few headers of the zip format (PKWARE APPNOTE 4.3) are written here; an
entry of 4 GiB or more, which would need ZIP64, goes through zipfile instead.
"""

from __future__ import annotations

import os
import struct
import threading
import time
import zipfile
import zlib
from typing import BinaryIO

_PIECE = 2 << 20  # below this, one piece: threads would not pay
_ZIP64 = 0xFFFFFFFF


def _deflate(data: bytes, level: int) -> bytes:
    """`data` as one raw deflate stream, its pieces compressed in parallel."""
    pieces = max(1, min(os.cpu_count() or 1, 4, len(data) // _PIECE))
    size = -(-len(data) // pieces)
    view = memoryview(data)
    out: list[bytes] = [b""] * pieces

    def compress(i: int) -> None:
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
        last = i == pieces - 1
        out[i] = c.compress(view[i * size : (i + 1) * size]) + c.flush(
            zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
        )

    threads = [threading.Thread(target=compress, args=(i,)) for i in range(1, pieces)]
    for t in threads:
        t.start()
    compress(0)
    for t in threads:
        t.join()
    return b"".join(out)


def write(f: BinaryIO, entries: dict[str, bytes], level: int) -> None:
    """Write a zip of `entries` (name -> data), each deflated at `level`, to `f`."""
    if any(len(data) >= _ZIP64 for data in entries.values()):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
            for name, data in entries.items():
                z.writestr(name, data)
        return
    t = time.localtime()
    dos_time = t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2
    dos_date = max(t.tm_year - 1980, 0) << 9 | t.tm_mon << 5 | t.tm_mday
    central, offset = [], 0
    for name, data in entries.items():
        packed = _deflate(data, level)
        fixed = (20, 0, 8, dos_time, dos_date, zlib.crc32(data), len(packed), len(data))
        encoded = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fixed, len(encoded), 0) + encoded
        f.write(header)
        f.write(packed)
        central.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fixed, len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
        offset += len(header) + len(packed)
    directory = b"".join(central)
    f.write(directory)
    n = len(entries)
    f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(directory), offset, 0))
