"""Batched, verified S3 uploads: what the sync engine uses for a job's files.

``S3Storage.put`` per object costs a transfer manager, a hash pass before the first
byte leaves and a HEAD afterwards. For a job's thousand page images that is most of
the time (``benchmarks/sync_throughput.py``). Here instead:

* **small objects** (below the multipart threshold) are read once into memory, hashed
  and sent with one ``PutObject`` each, ``concurrency`` at a time; a plain thread pool
  costs less CPU per object than s3transfer's machinery;
* **large objects** go through one transfer manager (parallel parts) while a side
  thread hashes them;
* each object is proven by the server's own checksum (:mod:`._s3_verify`), and all of
  them are re-checked at the end by one listing page per 1,000 objects (a HEAD each
  for batches under :data:`HEAD_BELOW`).
"""

from __future__ import annotations

import logging
import mimetypes
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boto3.s3.transfer import TransferConfig, create_transfer_manager

from ..errors import StorageError
from ..events import CancelToken
from ._s3_support import VENDOR_ERRORS
from ._s3_verify import (
    LocalDigest,
    check_large,
    check_response,
    digest_large,
    digest_small,
    listed,
    recheck,
)
from .base import ObjectInfo
from .batch import ByteCallback, UploadItem, UploadOutcome
from .remote import StorageIntegrityError

if TYPE_CHECKING:
    from .s3 import S3Storage

log = logging.getLogger(__name__)

BATCH_CONCURRENCY = 10  # boto3's own default for one transfer
HEAD_BELOW = 16  # fewer objects than this are re-checked with HEADs, not a listing
POLL_SECONDS = 0.05


@dataclass(slots=True)
class _Sent:
    """What sending one item gave: its digests, the error if any, whether it was sent."""

    digest: LocalDigest | None = None
    error: Exception | None = None
    sent: bool = False
    info: ObjectInfo | None = None  # a large object's, verified by HEAD


class _Bytes:
    """A transfer subscriber forwarding byte counts (negative on a retried part).

    s3transfer only looks up ``on_progress`` on a subscriber (duck typing), so this
    needs no import of its untyped ``BaseSubscriber``.
    """

    def __init__(self, on_bytes: ByteCallback) -> None:
        self._on_bytes = on_bytes

    def on_progress(self, future: Any, bytes_transferred: int, **_: Any) -> None:
        self._on_bytes(bytes_transferred)


def _changed(item: UploadItem, digest: LocalDigest) -> StorageIntegrityError | None:
    if digest.sha256 == item.sha256 and digest.size == item.size:
        return None
    return StorageIntegrityError(
        f"The local file of '{item.key}' changed since it was recorded. Sync again.",
        detail=f"expected sha256={item.sha256}, read {digest.sha256}",
    )


def _extra(item: UploadItem) -> dict[str, Any]:
    content_type = mimetypes.guess_type(item.key)[0] or "application/octet-stream"
    return {"Metadata": {"sha256": item.sha256}, "ContentType": content_type}


def _read(item: UploadItem) -> bytes:
    if item.data is not None:
        return item.data
    assert item.path is not None  # UploadItem has a path or data
    return item.path.read_bytes()


def _put_small(storage: S3Storage, item: UploadItem, on_bytes: ByteCallback | None) -> _Sent:
    """Read, hash and ``PutObject`` one small item, checked against the response."""
    try:
        data = _read(item)
    except OSError as exc:
        return _Sent(error=exc)
    digest = digest_small(data)
    changed = _changed(item, digest)
    if changed is not None:
        return _Sent(digest, changed)
    try:
        with storage._translating("write", item.key):
            response = storage._client.put_object(
                Bucket=storage.bucket, Key=storage._full(item.key), Body=data, **_extra(item)
            )
    except StorageError as exc:
        return _Sent(digest, exc)
    if on_bytes is not None:
        on_bytes(len(data))
    try:
        check_response(storage, item, digest, data, response)
    except StorageIntegrityError as exc:
        return _Sent(digest, exc, sent=True)
    return _Sent(digest, sent=True)


def _send_small(
    storage: S3Storage,
    items: Sequence[UploadItem],
    results: dict[str, _Sent],
    *,
    on_bytes: ByteCallback | None,
    cancel: CancelToken | None,
    concurrency: int,
) -> None:
    if not items:
        return
    with ThreadPoolExecutor(concurrency, thread_name_prefix="dataflow-put") as pool:
        futures = [pool.submit(_put_small, storage, item, on_bytes) for item in items]
        try:
            # One future at a time: ``wait()`` on all of them would hook every pending
            # future at each wake-up, O(n^2) lock round trips for a thousand pages.
            for item, future in zip(items, futures, strict=True):
                while True:
                    try:
                        results[item.key] = future.result(timeout=POLL_SECONDS)
                        break
                    except FuturesTimeout:
                        if cancel is not None:
                            cancel.check()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _finish_large(
    storage: S3Storage, item: UploadItem, transfer: Any, hashed: Future[LocalDigest]
) -> _Sent:
    try:
        digest = hashed.result()
    except OSError as exc:
        return _Sent(error=exc)
    try:
        transfer.result()
    except VENDOR_ERRORS as exc:
        return _Sent(digest, storage._errors.translate(exc, "write", item.key))
    except OSError as exc:  # the local file could not be read
        return _Sent(digest, exc)
    changed = _changed(item, digest)
    if changed is not None:
        return _Sent(digest, changed, sent=True)
    try:
        return _Sent(digest, sent=True, info=check_large(storage, item, digest))
    except (OSError, StorageError) as exc:
        return _Sent(digest, exc, sent=True)


def _send_large(
    storage: S3Storage,
    items: Sequence[UploadItem],
    results: dict[str, _Sent],
    *,
    on_bytes: ByteCallback | None,
    cancel: CancelToken | None,
    concurrency: int,
) -> None:
    if not items:
        return
    config = TransferConfig(
        multipart_threshold=storage._threshold,
        multipart_chunksize=storage._chunksize,
        max_concurrency=concurrency,
        use_threads=True,
        preferred_transfer_client="classic",  # its part sizes are the ones we predict
    )
    subscribers = [_Bytes(on_bytes)] if on_bytes is not None else None
    manager = create_transfer_manager(storage._client, config)
    with ThreadPoolExecutor(1, thread_name_prefix="dataflow-digest") as hasher:
        hashing = [
            hasher.submit(digest_large, item.path, storage._chunksize)
            for item in items
            if item.path is not None
        ]
        try:
            transfers = [
                manager.upload(
                    str(item.path),
                    storage.bucket,
                    storage._full(item.key),
                    extra_args=_extra(item),
                    subscribers=subscribers,
                )
                for item in items
            ]
            for transfer in transfers:
                while not transfer.done():
                    if cancel is not None:
                        cancel.check()
                    time.sleep(POLL_SECONDS)
        except BaseException:
            manager.shutdown(cancel=True, cancel_msg="upload cancelled")
            for future in hashing:
                future.cancel()
            raise
        manager.shutdown()
        for item, transfer, hashed in zip(items, transfers, hashing, strict=True):
            results[item.key] = _finish_large(storage, item, transfer, hashed)


def _recheck_all(
    storage: S3Storage, items: Sequence[UploadItem], results: dict[str, _Sent]
) -> Iterator[UploadOutcome]:
    """Every sent small object, re-checked on the server (large ones were, by HEAD)."""
    small = [i for i in items if results[i.key].error is None and results[i.key].info is None]
    entries: dict[str, tuple[int, str, float]] = {}
    if len(small) >= HEAD_BELOW:
        try:
            with storage._translating("list", None):
                entries = listed(storage, [storage._full(item.key) for item in small])
        except StorageError as exc:
            for item in small:
                yield UploadOutcome(item.key, error=exc, sent=True)
            return
    for item in small:
        digest = results[item.key].digest
        assert digest is not None  # a sent item was hashed
        try:
            info = recheck(storage, item, digest, entries.get(storage._full(item.key)))
        except (OSError, StorageError) as exc:
            yield UploadOutcome(item.key, error=exc, sent=True)
        else:
            yield UploadOutcome(item.key, info=info, sent=True)


def put_many_s3(
    storage: S3Storage,
    items: Sequence[UploadItem],
    *,
    on_bytes: ByteCallback | None = None,
    cancel: CancelToken | None = None,
    concurrency: int = BATCH_CONCURRENCY,
) -> list[UploadOutcome]:
    """Upload ``items`` (small ones first, then large ones), then re-check them all.

    Raises:
        Cancelled: ``cancel`` was set; transfers in flight are cancelled (and their
            multipart uploads aborted by the transfer manager).
    """
    results: dict[str, _Sent] = {}
    large = [i for i in items if i.path is not None and i.size >= storage._threshold]
    small = [i for i in items if i.path is None or i.size < storage._threshold]
    options: dict[str, Any] = {"on_bytes": on_bytes, "cancel": cancel, "concurrency": concurrency}
    _send_small(storage, small, results, **options)
    _send_large(storage, large, results, **options)
    outcomes = {
        key: UploadOutcome(key, info=r.info, error=r.error, sent=r.sent)
        for key, r in results.items()
        if r.error is not None or r.info is not None
    }
    outcomes.update((o.key, o) for o in _recheck_all(storage, items, results))
    return [outcomes[item.key] for item in items]


__all__ = ["BATCH_CONCURRENCY", "HEAD_BELOW", "put_many_s3"]
