"""Operations built once on the :class:`FileStorage` core (exists, copy, remove tree)."""

from __future__ import annotations

from .base import FileStorage


def exists(storage: FileStorage, key: str) -> bool:
    """Whether ``key`` is stored."""
    try:
        storage.info(key)
    except FileNotFoundError:
        return False
    return True


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
