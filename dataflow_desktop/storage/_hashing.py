"""Streaming sha256 (one place for every backend and the sync verifier)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """The hex sha256 and byte count of what remains in ``stream``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> str:
    """The hex sha256 of a local file."""
    with path.open("rb") as fh:
        return sha256_stream(fh)[0]
