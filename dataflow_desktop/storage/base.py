"""The ``FileStorage`` protocol, its typed results and its errors.

A small core (fsspec-style); walks, copies and existence checks are built once on top
of it in :mod:`dataflow_desktop.storage.ops`. Backends translate vendor exceptions into
``FileNotFoundError`` or the :class:`StorageError` family below, never letting a
vendor exception escape ``storage/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from ..errors import StorageError


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What a backend knows about one stored object.

    Attributes:
        key: the object's key.
        size: size in bytes.
        sha256: hex digest when the backend knows it cheaply (else ``None``).
        modified: POSIX timestamp of the last write.
    """

    key: str
    size: int
    sha256: str | None
    modified: float


class StorageAuthError(StorageError):
    """Credentials are missing, wrong or expired."""


class StoragePermissionError(StorageError):
    """The credentials are valid but lack a right (read, write, list, delete)."""


class StorageTransientError(StorageError):
    """A temporary failure (network down, timeout, throttled): retry later."""


class StorageQuotaError(StorageError):
    """The destination is full or over quota."""


Data = bytes | BinaryIO | Path


@runtime_checkable
class FileStorage(Protocol):
    """Where every job file is read and written.

    Keys are relative ``/``-separated paths built by :mod:`.keys`; writes are atomic
    (a reader sees the old object or the new one, never a torn one).
    """

    def info(self, key: str) -> ObjectInfo:
        """Metadata of ``key``; ``FileNotFoundError`` if absent."""
        ...

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with ``prefix`` (recursive, sorted by key)."""
        ...

    def open_read(self, key: str) -> BinaryIO:
        """A readable binary stream of ``key``; ``FileNotFoundError`` if absent."""
        ...

    def put(self, key: str, data: Data) -> ObjectInfo:
        """Write ``data`` (bytes, a binary stream or a local file path) atomically."""
        ...

    def get(self, key: str, dest: Path) -> ObjectInfo:
        """Copy ``key`` to the local file ``dest`` (atomically)."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key``; removing an absent key is not an error."""
        ...

    def fingerprint(self, key: str) -> str:
        """The sha256 hex digest of the object's content."""
        ...

    def local_path(self, key: str) -> Path | None:
        """A local filesystem path to ``key`` when the backend has one, else ``None``.

        Lets local readers (viewer, export) avoid a copy; remote backends return ``None``.
        """
        ...
