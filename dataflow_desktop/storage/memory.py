"""An in-memory backend: the fake for unit tests, and the reference for conformance."""

from __future__ import annotations

import errno
import hashlib
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .base import Data, ObjectInfo
from .local import atomic_write


class MemoryStorage:
    """Objects held in a dict; thread-safe."""

    def __init__(self) -> None:
        self._objects: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryStorage({len(self._objects)} objects)"

    def _get(self, key: str) -> tuple[bytes, float]:
        with self._lock:
            try:
                return self._objects[key]
            except KeyError:
                raise FileNotFoundError(errno.ENOENT, "no such object", key) from None

    def info(self, key: str) -> ObjectInfo:
        """Metadata of ``key``."""
        blob, modified = self._get(key)
        return ObjectInfo(key, len(blob), hashlib.sha256(blob).hexdigest(), modified)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Objects under ``prefix``, sorted by key."""
        with self._lock:
            items = sorted((k, v) for k, v in self._objects.items() if k.startswith(prefix))
        for key, (blob, modified) in items:
            yield ObjectInfo(key, len(blob), hashlib.sha256(blob).hexdigest(), modified)

    def open_read(self, key: str) -> BinaryIO:
        """A stream over the object's bytes."""
        return io.BytesIO(self._get(key)[0])

    def put(self, key: str, data: Data) -> ObjectInfo:
        """Store ``data`` under ``key``."""
        if isinstance(data, bytes):
            blob = data
        elif isinstance(data, Path):
            blob = data.read_bytes()
        else:
            blob = data.read()
        with self._lock:
            self._objects[key] = (blob, time.time())
        return self.info(key)

    def get(self, key: str, dest: Path) -> ObjectInfo:
        """Write the object to ``dest``."""
        atomic_write(dest, self._get(key)[0])
        return self.info(key)

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        with self._lock:
            self._objects.pop(key, None)

    def fingerprint(self, key: str) -> str:
        """sha256 of the object."""
        return hashlib.sha256(self._get(key)[0]).hexdigest()

    def local_path(self, key: str) -> Path | None:
        """Memory objects have no path."""
        return None
