"""The local-folder backend: keys map to files below a root folder."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import StorageError
from ._hashing import sha256_file
from .base import Data, ObjectInfo, StoragePermissionError, StorageQuotaError
from .keys import InvalidKeyError

_TMP_PREFIX = ".tmp-"


def _translate(exc: OSError, key: str) -> Exception:
    """Map an ``OSError`` to ``FileNotFoundError`` or our storage errors."""
    if isinstance(exc, FileNotFoundError):
        return FileNotFoundError(errno.ENOENT, "no such object", key)
    if isinstance(exc, PermissionError):
        return StoragePermissionError(detail=f"{key}: permission denied")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageQuotaError("The disk is full. Free some space and retry.", detail=key)
    return StorageError(detail=f"{key}: {exc.strerror or exc}")


def atomic_write(path: Path, data: Data) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            elif isinstance(data, Path):
                with data.open("rb") as src:
                    shutil.copyfileobj(src, out, 1024 * 1024)
            else:
                shutil.copyfileobj(data, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class LocalStorage:
    """Files under ``root``; writes go to a temp file in the same folder, then ``os.replace``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        # Keys are relative and never climb out of the root (defence in depth: keys.py
        # already validates the parts).
        if not key or key.startswith("/") or "\\" in key or ".." in key.split("/"):
            raise InvalidKeyError(f"invalid key {key!r}")
        return self.root / key

    def _info(self, key: str, path: Path) -> ObjectInfo:
        st = path.stat()
        return ObjectInfo(key=key, size=st.st_size, sha256=None, modified=st.st_mtime)

    def info(self, key: str) -> ObjectInfo:
        """Metadata of ``key``."""
        path = self._path(key)
        try:
            if not path.is_file():
                raise FileNotFoundError(errno.ENOENT, "no such object", key)
            return self._info(key, path)
        except OSError as exc:
            raise _translate(exc, key) from exc

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object under ``prefix``, sorted by key; temp files are never listed."""
        base_dir = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self.root / base_dir if base_dir else self.root
        if not start.is_dir():
            return
        found: list[tuple[str, Path]] = []
        for dirpath, _dirnames, filenames in os.walk(start):
            for name in filenames:
                if name.startswith(_TMP_PREFIX):
                    continue
                path = Path(dirpath, name)
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    found.append((key, path))
        for key, path in sorted(found):
            try:
                yield self._info(key, path)
            except FileNotFoundError:
                continue  # removed between walk and stat

    def open_read(self, key: str) -> BinaryIO:
        """Open ``key`` for reading."""
        try:
            return self._path(key).open("rb")
        except OSError as exc:
            raise _translate(exc, key) from exc

    def put(self, key: str, data: Data) -> ObjectInfo:
        """Write atomically: temp file in the target folder, fsync, ``os.replace``."""
        path = self._path(key)
        try:
            atomic_write(path, data)
            return self._info(key, path)
        except OSError as exc:
            raise _translate(exc, key) from exc

    def put_owned(self, key: str, path: Path) -> ObjectInfo:
        """Store a file the app wrote and will never change in place, without copying it.

        The file is hard-linked under a temp name in the target folder, fsynced and
        renamed, so the object appears whole or not at all, as with :meth:`put`. Where
        a link cannot be made (another file system, no hard links), it is copied.
        """
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f"{_TMP_PREFIX}{secrets.token_hex(8)}"
            try:
                os.link(path, tmp)
            except OSError:
                return self.put(key, path)
            try:
                fd = os.open(tmp, os.O_RDWR)  # Windows flushes only handles open for writing
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            return self._info(key, target)
        except OSError as exc:
            raise _translate(exc, key) from exc

    def get(self, key: str, dest: Path) -> ObjectInfo:
        """Copy ``key`` to ``dest`` atomically."""
        with self.open_read(key) as src:
            try:
                atomic_write(dest, src)
            except OSError as exc:
                raise _translate(exc, str(dest)) from exc
        return self.info(key)

    def delete(self, key: str) -> None:
        """Remove ``key`` and any folders it leaves empty."""
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise _translate(exc, key) from exc
        parent = path.parent
        while parent != self.root:
            try:
                parent.rmdir()
            except OSError:
                break  # not empty (or gone): stop climbing
            parent = parent.parent

    def fingerprint(self, key: str) -> str:
        """sha256 of ``key``'s content."""
        try:
            return sha256_file(self._path(key))
        except OSError as exc:
            raise _translate(exc, key) from exc

    def local_path(self, key: str) -> Path | None:
        """The file behind ``key``."""
        return self._path(key)

    def sweep_temp_files(self) -> int:
        """Remove temp files left by a crash mid-write; returns how many were removed."""
        removed = 0
        for path in self.root.rglob(f"{_TMP_PREFIX}*"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed


__all__ = ["LocalStorage", "atomic_write"]
