"""What the remote backends (S3, Supabase) share: their extra errors and small helpers.

The errors extend the :class:`~dataflow_desktop.errors.StorageError` family of
:mod:`.base` with the cases only a remote store has (a bucket that does not exist, a
write conflict, a copy whose checksum does not match). The helpers keep the two
backends' treatment of prefixes, endpoints and content digests identical.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import StorageError
from ._hashing import CHUNK
from .base import Data

logger = logging.getLogger(__name__)


class NoSuchBucketError(StorageError):
    """The configured bucket does not exist at the endpoint (a configuration error)."""


class StorageConflictError(StorageError):
    """The server refused a write because of a conflicting object or operation."""


class StorageIntegrityError(StorageError):
    """A transferred copy does not match the checksum or size it should have."""


def normalise_prefix(prefix: str) -> str:
    """``prefix`` without leading slashes and with exactly one trailing slash (or ``""``).

    Raises:
        ValueError: when the prefix has empty, ``.`` or ``..`` segments or backslashes.
    """
    stripped = prefix.strip("/")
    if not stripped:
        return ""
    parts = stripped.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in stripped:
        raise ValueError(f"invalid storage prefix {prefix!r}")
    return stripped + "/"


def check_key(key: str) -> str:
    """Return ``key`` if it is a relative ``/``-separated key without dot segments."""
    if not key or key.startswith("/") or "\\" in key or key.endswith("/"):
        raise ValueError(f"invalid storage key {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def is_loopback_host(host: str | None) -> bool:
    """Whether ``host`` names this machine (``localhost`` or a loopback address)."""
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
        ".localhost"
    ):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warn_if_insecure(endpoint: str, *, verify_tls: bool, what: str) -> None:
    """Log a loud warning when credentials or data would travel unprotected.

    Plain ``http`` to this machine is normal for development servers; anywhere else it
    sends every object (and the request signatures, or an API key) in clear text.

    Args:
        endpoint: the server URL.
        verify_tls: whether certificates are verified.
        what: a short name for the log line (e.g. ``"S3 profile 'team'"``).
    """
    parts = urlsplit(endpoint)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        logger.warning(
            "INSECURE: %s uses plain http to %s. Data and credentials travel "
            "unencrypted over the network; use an https:// endpoint.",
            what,
            parts.hostname,
        )
    if not verify_tls:
        logger.warning(
            "INSECURE: %s does not verify the TLS certificate of %s; anyone on the "
            "network path could impersonate the server.",
            what,
            parts.hostname,
        )


@dataclass(slots=True)
class Digests:
    """Digests of one payload, computed in a single pass.

    Attributes:
        sha256: hex sha256 of the whole content.
        md5: hex MD5 of the whole content (a single-part S3 upload's ETag).
        size: byte count.
        part_md5s: raw MD5 digests of each ``part_size`` slice (multipart ETag).
        part_size: the slice size used for ``part_md5s`` (0 when not computed).
    """

    sha256: str = ""
    md5: str = ""
    size: int = 0
    part_md5s: list[bytes] = field(default_factory=list)
    part_size: int = 0

    def multipart_etag(self) -> str:
        """The ETag S3 gives a multipart upload with these parts: md5(part md5s)-N."""
        joined = hashlib.md5(b"".join(self.part_md5s), usedforsecurity=False).hexdigest()
        return f"{joined}-{len(self.part_md5s)}"


class _DigestWriter:
    """Feeds bytes to sha256, MD5 and per-part MD5 at once."""

    def __init__(self, part_size: int) -> None:
        self._sha = hashlib.sha256()
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._part = hashlib.md5(usedforsecurity=False)
        self._part_fill = 0
        self._part_size = part_size
        self._parts: list[bytes] = []
        self._size = 0

    def update(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self._md5.update(chunk)
        self._size += len(chunk)
        if self._part_size <= 0:
            return
        view = memoryview(chunk)
        while view:
            take = min(len(view), self._part_size - self._part_fill)
            self._part.update(view[:take])
            self._part_fill += take
            view = view[take:]
            if self._part_fill == self._part_size:
                self._parts.append(self._part.digest())
                self._part = hashlib.md5(usedforsecurity=False)
                self._part_fill = 0

    def result(self) -> Digests:
        parts = list(self._parts)
        if self._part_fill or not parts:
            parts.append(self._part.digest())
        return Digests(
            sha256=self._sha.hexdigest(),
            md5=self._md5.hexdigest(),
            size=self._size,
            part_md5s=parts if self._part_size > 0 else [],
            part_size=max(self._part_size, 0),
        )


def digest_bytes(data: bytes, part_size: int = 0) -> Digests:
    """Digests of an in-memory payload."""
    writer = _DigestWriter(part_size)
    writer.update(data)
    return writer.result()


def digest_stream(stream: BinaryIO, part_size: int = 0) -> Digests:
    """Digests of what remains in ``stream`` (read to its end)."""
    writer = _DigestWriter(part_size)
    while chunk := stream.read(CHUNK):
        writer.update(chunk)
    return writer.result()


@contextmanager
def materialise(data: Data, part_size: int = 0) -> Iterator[tuple[Path | bytes, Digests]]:
    """Give ``data`` as bytes or a re-readable local file, with its digests.

    Remote stores need the checksum *before* the upload starts (it travels as object
    metadata), so a one-shot stream is spooled to a temporary file while hashing
    rather than held in memory. The temporary file is removed on exit.

    Args:
        data: bytes, a local file path or a binary stream.
        part_size: also compute per-part MD5s of this slice size (0: skip).

    Yields:
        ``(payload, digests)`` where ``payload`` is the bytes or a local path.
    """
    if isinstance(data, bytes):
        yield data, digest_bytes(data, part_size)
        return
    if isinstance(data, Path):
        with data.open("rb") as fh:
            digests = digest_stream(fh, part_size)
        yield data, digests
        return
    fd, tmp_name = tempfile.mkstemp(prefix="dataflow-upload-")
    tmp = Path(tmp_name)
    try:
        writer = _DigestWriter(part_size)
        with os.fdopen(fd, "wb") as out:
            while chunk := data.read(CHUNK):
                writer.update(chunk)
                out.write(chunk)
        yield tmp, writer.result()
    finally:
        tmp.unlink(missing_ok=True)


__all__ = [
    "Digests",
    "NoSuchBucketError",
    "StorageConflictError",
    "StorageIntegrityError",
    "check_key",
    "digest_bytes",
    "digest_stream",
    "is_loopback_host",
    "materialise",
    "normalise_prefix",
    "warn_if_insecure",
]
