"""Canonical JSON, and durable atomic output for the writers (result, markdown, report, bundle).

One place decides how our JSON looks, so result.json and bundle manifests hash the
same on every machine. File replacement itself is :func:`._atomic.atomic_writer`
(the pipeline's single temp-file + ``os.replace`` implementation); this module only
adds a UTF-8 text view and an fsync before the rename, so a crash right after a
writer returns leaves the old file or the new one, never an empty one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._atomic import atomic_writer

__all__ = ["atomic_binary", "atomic_text", "dumps"]

# Cached encoder: building a JSONEncoder per call costs more than encoding a small page.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, sort_keys=False
)


def dumps(value: Any) -> str:
    """Serialize ``value`` canonically: no spaces, no NaN, non-ASCII kept, keys in given order.

    Args:
        value: JSON-able data (dicts, lists, str, int, float, bool, None).

    Returns:
        The JSON text, on one line.

    Raises:
        ValueError: ``value`` holds NaN or an infinity.
        TypeError: ``value`` holds something JSON cannot represent.
    """
    return _ENCODER.encode(value)


@contextlib.contextmanager
def atomic_binary(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Write ``path`` atomically in binary mode; fsynced before it replaces ``path``.

    Args:
        path: the final file.

    Yields:
        The open temporary file. On an exception (cancellation included) it is
        removed and ``path`` is left as it was.
    """
    with atomic_writer(Path(path)) as raw:
        yield raw
        raw.flush()
        os.fsync(raw.fileno())


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Like :func:`atomic_binary`, as UTF-8 text with ``\\n`` line ends on every OS.

    Args:
        path: the final file.

    Yields:
        A text stream over the temporary file.
    """
    with atomic_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        try:
            yield text
        finally:
            # Flushes into ``raw`` and lets atomic_writer close it; closing the
            # wrapper would close the file before the fsync.
            text.detach()
