"""The log as a plain table, written a row at a time.

A terminal table library measures every cell of every row before it draws
the first (for 14,000 entries, seconds); the columns here are as wide as
their widest possible value, known before the first row: the index of the
log's last entry, a recorded time, the longest type, the longest holder id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from api.inspect.log_filter import Row
from ledger.formats.schemas import TYPES_IN_ORDER

HEADER = ("index", "recorded at", "type", "by", "signed at")
TIME = len("2022-01-01T00:00:00Z")
BATCH = 256  # rows written at once
BY = 26  # "authority:" and 16 hex; longer holder ids push their row's last column


def write_table(out: TextIO, rows: Iterable[Row], log_size: int) -> int:
    """Write the rows under a header; returns how many there were."""
    widths = (
        max(len(HEADER[0]), len(str(max(log_size - 1, 0)))),
        TIME,
        max(len(t) for t in TYPES_IN_ORDER),
        BY,
    )

    def line(cells: tuple[str, ...]) -> str:
        padded = [cells[0].rjust(widths[0])]
        padded += [c.ljust(w) for c, w in zip(cells[1:4], widths[1:], strict=True)]
        return "  ".join((*padded, cells[4])).rstrip() + "\n"

    out.write(line(HEADER))
    out.write(line(tuple("-" * w for w in (*widths, TIME))))
    count = 0
    batch: list[str] = []  # a terminal flushes every line: write a few hundred at once
    for row in rows:
        batch.append(line((str(row.index), row.recorded_at[:19] + "Z", row.type, row.by, row.at)))
        count += 1
        if len(batch) == BATCH:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch) if count else "(no entry)\n")
    return count
