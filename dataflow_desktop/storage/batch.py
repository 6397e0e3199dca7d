"""Many uploads at once, each verified: the sync engine's way into a backend.

:func:`put_many` is the one entry point. A backend that can do better than one
:meth:`FileStorage.put` per object implements :class:`BatchUploader` (S3: one
transfer manager for the whole batch, verified by one listing per 1,000 objects);
any other backend gets :func:`put_many_threaded`: ``put`` on a small thread pool,
then a re-check of every stored copy with :meth:`FileStorage.info` (size and
sha256), so a put that lies is caught before anything local is deleted.

Every item ends as an :class:`UploadOutcome`: the verified ``ObjectInfo``, or the
error (``FileNotFoundError`` or a ``StorageError``) that stopped it. One item's
failure never hides another's success.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import StorageError
from ..events import CancelToken
from .base import FileStorage, ObjectInfo
from .remote import StorageIntegrityError

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8
POLL_SECONDS = 0.1

ByteCallback = Callable[[int], None]
"""Called with a number of bytes just sent (from any thread; must be cheap)."""


@dataclass(frozen=True, slots=True)
class UploadItem:
    """One object to upload.

    Attributes:
        key: the destination key.
        size: the expected size in bytes.
        sha256: the expected sha256 of the content (checked against the stored copy).
        path: a local file with the content (or ``None`` when ``data`` is given).
        data: the content itself, for small generated objects.
    """

    key: str
    size: int
    sha256: str
    path: Path | None = None
    data: bytes | None = None

    def __post_init__(self) -> None:
        if (self.path is None) == (self.data is None):
            raise ValueError("an upload item needs exactly one of path or data")


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What became of one :class:`UploadItem`.

    Attributes:
        key: the item's key.
        info: the verified stored object (``None`` on failure).
        error: why the item failed (``None`` on success).
        sent: the transfer itself completed (only its verification may have failed).
    """

    key: str
    info: ObjectInfo | None = None
    error: Exception | None = None
    sent: bool = False

    @property
    def ok(self) -> bool:
        """Whether the stored copy was verified."""
        return self.error is None and self.info is not None


@runtime_checkable
class BatchUploader(Protocol):
    """A backend with its own batched, verified upload."""

    def put_many(
        self,
        items: Sequence[UploadItem],
        *,
        on_bytes: ByteCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[UploadOutcome]:
        """Upload and verify every item; one outcome per item, in order."""
        ...


def mismatch(item: UploadItem, info: ObjectInfo) -> StorageIntegrityError | None:
    """The error for a stored copy whose size or sha256 differs from ``item``, if any."""
    if info.size == item.size and info.sha256 == item.sha256:
        return None
    return StorageIntegrityError(
        f"The stored copy of '{item.key}' does not match the local file (size or sha256 "
        "differs). It will be uploaded again.",
        detail=f"stored {info.size} bytes sha256={info.sha256}; expected {item.size} "
        f"bytes sha256={item.sha256}",
    )


def _put_verified(
    storage: FileStorage, item: UploadItem, on_bytes: ByteCallback | None
) -> UploadOutcome:
    data = item.data if item.data is not None else item.path
    assert data is not None  # __post_init__
    try:
        storage.put(item.key, data)
    except (OSError, StorageError) as exc:  # FileNotFoundError is an OSError
        return UploadOutcome(item.key, error=exc)
    if on_bytes is not None:
        on_bytes(item.size)
    try:
        # Re-read what the server holds now rather than trusting put's answer.
        info = storage.info(item.key)
        if info.sha256 is None:
            info = ObjectInfo(info.key, info.size, storage.fingerprint(item.key), info.modified)
    except (OSError, StorageError) as exc:
        return UploadOutcome(item.key, error=exc, sent=True)
    return UploadOutcome(item.key, info=info, error=mismatch(item, info), sent=True)


def put_many_threaded(
    storage: FileStorage,
    items: Sequence[UploadItem],
    *,
    on_bytes: ByteCallback | None = None,
    cancel: CancelToken | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> list[UploadOutcome]:
    """``put`` + ``info`` re-check of each item on a thread pool (any backend).

    Raises:
        Cancelled: ``cancel`` was set; items in flight are finished first.
    """
    outcomes: dict[str, UploadOutcome] = {}
    lock = threading.Lock()

    def run(item: UploadItem) -> None:
        result = _put_verified(storage, item, on_bytes)
        with lock:
            outcomes[item.key] = result

    pending: set[Future[None]] = set()
    with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="dataflow-put") as pool:
        try:
            for item in items:
                while len(pending) >= 2 * concurrency:
                    _, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                    if cancel is not None:
                        cancel.check()
                pending.add(pool.submit(run, item))
            while pending:
                _, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                if cancel is not None:
                    cancel.check()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return [outcomes[item.key] for item in items]


def put_many(
    storage: FileStorage,
    items: Sequence[UploadItem],
    *,
    on_bytes: ByteCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[UploadOutcome]:
    """Upload and verify ``items`` the best way ``storage`` offers."""
    if len({item.key for item in items}) != len(items):
        raise ValueError("an upload batch lists a key twice")
    if isinstance(storage, BatchUploader):
        return storage.put_many(items, on_bytes=on_bytes, cancel=cancel)
    return put_many_threaded(storage, items, on_bytes=on_bytes, cancel=cancel)


__all__ = [
    "BatchUploader",
    "ByteCallback",
    "UploadItem",
    "UploadOutcome",
    "mismatch",
    "put_many",
    "put_many_threaded",
]
