"""Operations built once on the :class:`FileStorage` core (exists, copy, remove tree)."""

from __future__ import annotations

from pathlib import Path

from .base import FileStorage, ObjectInfo
from .local import LocalStorage


def exists(storage: FileStorage, key: str) -> bool:
    """Whether ``key`` is stored."""
    try:
        storage.info(key)
    except FileNotFoundError:
        return False
    return True


def put_owned(storage: FileStorage, key: str, path: Path) -> ObjectInfo:
    """Store a file the app wrote and will not change again (a job's work file).

    The local backend links it instead of copying: a 1,000-page job's page images and
    bundle are half a gigabyte. Other backends upload it as :meth:`FileStorage.put` does.
    """
    if isinstance(storage, LocalStorage):
        return storage.put_owned(key, path)
    return storage.put(key, path)


def read_bytes(storage: FileStorage, key: str) -> bytes:
    """The whole content of ``key``."""
    with storage.open_read(key) as fh:
        return fh.read()


def copy(src: FileStorage, dst: FileStorage, key: str, dst_key: str | None = None) -> None:
    """Copy one object between (possibly different) backends, streaming."""
    with src.open_read(key) as fh:
        dst.put(dst_key or key, fh)


def remove_prefix(storage: FileStorage, prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many were deleted."""
    keys = [info.key for info in storage.list(prefix)]
    for key in keys:
        storage.delete(key)
    return len(keys)
