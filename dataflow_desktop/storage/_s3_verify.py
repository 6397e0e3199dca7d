"""How a batched S3 upload proves each stored object is the local file.

The cheapest proof the server can give is used, in this order:

1. its **CRC32 checksum**: botocore sends one with every upload (flexible checksums),
   the server refuses a body that does not match it (``BadDigest``) and reports it
   back — in the ``PutObject`` response, or by ``HEAD`` with ``ChecksumMode`` for a
   multipart object (``crc32(part crc32s)-N``). CRC32 runs at ~1.7 GB/s here;
2. else the **ETag**: the MD5 the server computed of what it stored (``md5(part
   md5s)-N`` for a multipart upload), against an MD5 computed only in that case
   (~0.4 GB/s here, the slowest part of a verified upload).

The sha256 of the same bytes is computed every time: it must equal the one the caller
gave (it travels as ``x-amz-meta-sha256``). Afterwards every object is re-checked by a
listing (size, and the ETag where an MD5 is known).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._s3_support import part_size
from .base import ObjectInfo
from .batch import UploadItem, mismatch
from .remote import StorageIntegrityError

if TYPE_CHECKING:
    from .s3 import S3Storage

_READ = 1024 * 1024


def _b64_crc(value: int) -> str:
    return base64.b64encode(value.to_bytes(4, "big")).decode()


@dataclass(slots=True)
class LocalDigest:
    """Digests of the bytes sent.

    Attributes:
        sha256: hex sha256 of the content.
        size: bytes.
        crc32: S3's form of the CRC32 of the whole content (base64, big-endian).
        composite: ``crc32(part crc32s)-N`` for a multipart upload (else ``""``).
        md5: hex MD5 (single part) or multipart ETag, computed only when needed.
    """

    sha256: str
    size: int
    crc32: str
    composite: str = ""
    md5: str | None = None


def digest_small(data: bytes) -> LocalDigest:
    """sha256 and CRC32 of an in-memory body."""
    return LocalDigest(hashlib.sha256(data).hexdigest(), len(data), _b64_crc(zlib.crc32(data)))


def digest_large(path: Path, chunksize: int) -> LocalDigest:
    """sha256, whole and per-part CRC32 of a file sent in parts of the transfer's size."""
    part = part_size(chunksize, path.stat().st_size)
    sha, whole, crc, fill, size = hashlib.sha256(), 0, 0, 0, 0
    parts: list[int] = []
    with path.open("rb") as fh:
        while chunk := fh.read(min(_READ, part - fill)):
            sha.update(chunk)
            whole = zlib.crc32(chunk, whole)
            crc = zlib.crc32(chunk, crc)
            fill += len(chunk)
            size += len(chunk)
            if fill == part:
                parts.append(crc)
                crc, fill = 0, 0
    if fill or not parts:
        parts.append(crc)
    joined = b"".join(value.to_bytes(4, "big") for value in parts)
    composite = f"{_b64_crc(zlib.crc32(joined))}-{len(parts)}"
    return LocalDigest(sha.hexdigest(), size, _b64_crc(whole), composite)


def multipart_etag(path: Path, chunksize: int) -> str:
    """``md5(part md5s)-N`` of a file sent in parts of the transfer's size."""
    part = part_size(chunksize, path.stat().st_size)
    digests: list[bytes] = []
    with path.open("rb") as fh:
        while True:
            md5, got = hashlib.md5(usedforsecurity=False), 0
            while got < part and (chunk := fh.read(min(_READ, part - got))):
                md5.update(chunk)
                got += len(chunk)
            if got == 0 and digests:
                break
            digests.append(md5.digest())
            if got < part:
                break
    joined = hashlib.md5(b"".join(digests), usedforsecurity=False).hexdigest()
    return f"{joined}-{len(digests)}"


def _bad(storage: S3Storage, item: UploadItem, detail: str) -> StorageIntegrityError:
    return StorageIntegrityError(
        f"The stored copy of '{item.key}' in bucket '{storage.bucket}' does not match what "
        "was sent. It will be uploaded again.",
        detail=detail,
    )


def check_response(
    storage: S3Storage, item: UploadItem, local: LocalDigest, data: bytes, response: Any
) -> None:
    """Check a ``PutObject`` response: its CRC32, else its ETag against our MD5."""
    crc = response.get("ChecksumCRC32")
    if crc:
        if crc != local.crc32:
            raise _bad(storage, item, f"CRC32 {crc} != {local.crc32}")
        return
    local.md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    etag = str(response.get("ETag", "")).strip('"')
    if storage.verify_etag and etag and etag != local.md5:
        raise _bad(storage, item, f"ETag {etag} != MD5 {local.md5}")


def check_large(storage: S3Storage, item: UploadItem, local: LocalDigest) -> ObjectInfo:
    """HEAD a multipart object: size, sha256 metadata, CRC32 (else ETag)."""
    full = storage._full(item.key)
    with storage._translating("read", item.key):
        head = storage._client.head_object(Bucket=storage.bucket, Key=full, ChecksumMode="ENABLED")
    info = storage._info_from_head(item.key, head)
    error = mismatch(item, info)
    if error is not None:
        raise error
    crc = head.get("ChecksumCRC32")
    if crc:
        expected = local.composite if "-" in str(crc) else local.crc32
        if crc != expected:
            raise _bad(storage, item, f"CRC32 {crc} != {expected}")
        return info
    if storage.verify_etag and item.path is not None:
        local.md5 = multipart_etag(item.path, storage._chunksize)
        etag = str(head.get("ETag", "")).strip('"')
        if "-" in etag and etag != local.md5:
            raise _bad(storage, item, f"ETag {etag} != {local.md5}")
    return info


def listed(storage: S3Storage, full_keys: Sequence[str]) -> dict[str, tuple[int, str, float]]:
    """``full key -> (size, etag, modified)`` for ``full_keys``, from as few pages as possible.

    S3 lists in key order, so the walk starts at the common prefix and stops once it
    passes the largest wanted key.
    """
    wanted = set(full_keys)
    first, last = min(full_keys), max(full_keys)
    common = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first)
    )
    prefix = first[:common].rpartition("/")[0]
    prefix = prefix + "/" if prefix else ""
    found: dict[str, tuple[int, str, float]] = {}
    paginator = storage._client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=storage.bucket, Prefix=prefix):
        for entry in page.get("Contents", []):
            key = str(entry["Key"])
            if key in wanted:
                etag = str(entry.get("ETag", "")).strip('"')
                found[key] = (int(entry["Size"]), etag, entry["LastModified"].timestamp())
            if key >= last:
                return found
    return found


def recheck(
    storage: S3Storage,
    item: UploadItem,
    local: LocalDigest,
    entry: tuple[int, str, float] | None,
) -> ObjectInfo:
    """Re-check one small object from the listing (a HEAD when it is not listed)."""
    if entry is None:
        info = storage.info(item.key)
        error = mismatch(item, info)
        if error is not None:
            raise error
        return info
    size, etag, modified = entry
    if size != item.size:
        raise _bad(storage, item, f"{size} bytes stored, {item.size} sent")
    if local.md5 is not None and storage.verify_etag and "-" not in etag and etag != local.md5:
        raise _bad(storage, item, f"ETag {etag} != MD5 {local.md5}")
    return ObjectInfo(item.key, size, item.sha256, modified)


__all__ = [
    "LocalDigest",
    "check_large",
    "check_response",
    "digest_large",
    "digest_small",
    "listed",
    "multipart_etag",
    "recheck",
]
