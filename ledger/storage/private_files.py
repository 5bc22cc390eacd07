"""Files that hold personal data: readable and writable by their owner only.

Like key files (:func:`ledger.formats.keys.write_key_file`), whatever the umask:
files are created 0600 and directories 0700, and a file or directory that
already exists is set to that mode before anything is written into it, so
personal data is never, even for a moment, in a file others may read.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner may enter (made if missing; parents as usual)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=DIR_MODE)
    os.chmod(path, DIR_MODE)  # mkdir's mode is masked by the umask; an old directory too
    return path


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """Open ``path`` for writing (``wb`` or ``w``), created or truncated, mode 0600."""
    assert mode in ("wb", "w"), "for writing only"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away; an old file, kept its own
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, mode 0600."""
    with open_private(path) as f:
        f.write(data)
