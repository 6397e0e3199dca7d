"""Atomic file output for the pipeline modules: temp file in the target folder + rename.

A reader (the UI, the sync step, a teammate's app) never sees a half-written file,
and a crash or a cancellation leaves no partial output behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_writer", "write_bytes_atomic"]


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Open a temp file beside ``path``; on success it replaces ``path``.

    Args:
        path: the final file; its folder is created if needed.

    Yields:
        A binary file object to write into.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(tmp, path)
    finally:
        # Only left over when writing failed (os.replace consumed it otherwise).
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write ``data`` (bytes, or a callable that writes into a stream) atomically."""
    with atomic_writer(path) as stream:
        if isinstance(data, bytes | bytearray):
            stream.write(data)
        else:
            data(stream)
