"""The Supabase Storage backend, through supabase-py's REST client (storage3).

Supabase lists one folder at a time, so a recursive listing walks the folders. Each
upload sends the content's sha256 as the object's user metadata. :meth:`info` reads
the object-info route (``GET /object/info/{bucket}/{path}``) rather than a listing of
the parent folder: the listing's rows carry only system metadata (size, ETag), the
info route also returns the user metadata, so :meth:`SupabaseStorage.info` and
:meth:`SupabaseStorage.fingerprint` get the sha256 without a download. After an
upload the stored size and sha256 are read back and compared.

The Storage server reports most errors with HTTP 400 and the meaningful status in the
JSON body (``{"statusCode": "404", "error": "not_found", ...}``); storage3 exposes
that body status as ``StorageApiError.status``, so errors are mapped on it (and on
the HTTP status when the gateway answers first, e.g. 401 for an unknown API key).
The API key never leaves the client's headers: it is not kept on this object, and
storage3's objects that hold it are never shown (their dataclass repr would).
"""

from __future__ import annotations

import errno
import io
import logging
import mimetypes
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import httpx
from storage3.exceptions import StorageApiError
from storage3.utils import StorageException
from supabase import ClientOptions, SupabaseException, create_client

from ..errors import StorageError
from ._hashing import sha256_stream
from .base import (
    Data,
    ObjectInfo,
    StorageAuthError,
    StoragePermissionError,
    StorageQuotaError,
    StorageTransientError,
)
from .local import atomic_write
from .remote import (
    NoSuchBucketError,
    StorageConflictError,
    StorageIntegrityError,
    check_key,
    digest_bytes,
    materialise,
    normalise_prefix,
    warn_if_insecure,
)

if TYPE_CHECKING:
    from storage3._sync.file_api import SyncBucketProxy

logger = logging.getLogger(__name__)

META_SHA256 = "sha256"
PAGE_SIZE = 1000
_T = TypeVar("_T")


def _parse_time(value: object) -> float:
    """A POSIX timestamp from the server's ISO 8601 time (0.0 if absent)."""
    if not isinstance(value, str) or not value:
        return 0.0
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _status_of(exc: StorageApiError) -> int:
    try:
        return int(exc.status)
    except (TypeError, ValueError):
        return 0


class SupabaseStorage:
    """Objects in a Supabase Storage bucket, optionally below a key prefix.

    Args:
        url: the project URL (``https://<ref>.supabase.co``).
        key: the API key (a ``service_role`` key for a private team bucket).
        bucket: the bucket id.
        prefix: a key prefix inside the bucket.
        timeout: seconds per HTTP request.
        verify_tls: verify the server's TLS certificate (on by default).
    """

    def __init__(
        self,
        url: str,
        key: str,
        bucket: str,
        *,
        prefix: str = "",
        timeout: float = 60.0,
        verify_tls: bool = True,
    ) -> None:
        if not bucket:
            raise ValueError("a bucket name is required")
        if not key:
            raise StorageAuthError(
                "The Supabase API key is missing. Enter it in the sync settings."
            )
        self.url = url.rstrip("/")
        self.bucket = bucket
        self.prefix = normalise_prefix(prefix)
        warn_if_insecure(url, verify_tls=verify_tls, what=f"Supabase storage '{bucket}'")
        # Our own httpx client: storage3 then gets no deprecated timeout/verify
        # arguments, and the timeout and TLS policy are ours.
        self._http = httpx.Client(timeout=timeout, verify=verify_tls, follow_redirects=True)
        try:
            client = create_client(url, key, ClientOptions(httpx_client=self._http))
        except SupabaseException as exc:
            self._http.close()
            raise ValueError(f"invalid Supabase project URL {url!r}") from exc
        proxy = client.storage.from_(bucket)
        # storage3's bucket proxy is a dataclass whose repr shows its headers, API key
        # included: keep it behind a function so no repr of ours can reach it.
        self._bucket: Callable[[], SyncBucketProxy] = lambda: proxy

    def __repr__(self) -> str:
        return f"SupabaseStorage(url={self.url!r}, bucket={self.bucket!r}, prefix={self.prefix!r})"

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> SupabaseStorage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- keys and errors -------------------------------------------------------------

    def _full(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _call(self, action: str, key: str | None, fn: Callable[[], _T]) -> _T:
        """Run one storage3 call, translating its exceptions."""
        try:
            return fn()
        except StorageApiError as exc:
            raise self._translate_api_error(exc, action, key) from exc
        except httpx.TimeoutException as exc:
            raise StorageTransientError(
                f"Supabase at {self.url} did not answer in time. The transfer will be retried.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise StorageTransientError(
                f"Supabase at {self.url} cannot be reached right now. Check the network "
                "connection; the transfer will be retried.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        except (httpx.HTTPError, StorageException) as exc:
            raise StorageError(
                f"Supabase at {self.url} failed to {action} '{key}'.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc

    def _translate_api_error(self, exc: StorageApiError, action: str, key: str | None) -> Exception:
        status = _status_of(exc)
        code = str(exc.code or "")
        message = str(exc.message or "")
        detail = f"{status} {code}: {message}"
        target = f"'{key}'" if key else f"bucket '{self.bucket}'"
        lowered = f"{code} {message}".lower()
        if status == 404 and ("bucket" in lowered or code == "NoSuchBucket"):
            return NoSuchBucketError(
                f"Bucket '{self.bucket}' does not exist in the Supabase project {self.url}. "
                "Create it in the dashboard, or correct the bucket name in the sync settings.",
                detail=detail,
            )
        if status == 404:
            return FileNotFoundError(errno.ENOENT, "no such object", key or self.bucket)
        if status == 401 or code in ("InvalidJWT", "invalid_jwt") or "jwt" in lowered:
            return StorageAuthError(
                f"The Supabase API key was refused by {self.url} (wrong project, expired "
                "or revoked). Copy the key again from the project's API settings.",
                detail=detail,
            )
        if status == 403:
            return StoragePermissionError(
                f"The Supabase API key may not {action} {target} in bucket '{self.bucket}' "
                "(row-level security). Use the project's service_role key, or add a storage "
                "policy that allows it.",
                detail=detail,
            )
        if status == 413:
            return StorageQuotaError(
                f"'{key}' is larger than bucket '{self.bucket}' accepts, or the project is "
                "over its storage quota. Raise the bucket's file size limit or the plan.",
                detail=detail,
            )
        if status == 409:
            return StorageConflictError(
                f"Supabase refused to {action} {target}: it conflicts with an existing "
                "object or a change in progress. Retry.",
                detail=detail,
            )
        if status in (423, 429, 544) or status >= 500:
            return StorageTransientError(
                f"Supabase at {self.url} is busy or failing ({status}). The transfer will "
                "be retried later.",
                detail=detail,
            )
        return StorageError(f"Supabase at {self.url} refused to {action} {target}.", detail=detail)

    # -- the FileStorage protocol -----------------------------------------------------

    def info(self, key: str) -> ObjectInfo:
        """Size, sha256 (from user metadata) and modification time of ``key``."""
        data: dict[str, Any] = self._call("read", key, lambda: self._bucket().info(self._full(key)))
        user = data.get("metadata") or {}
        sha = user.get(META_SHA256) if isinstance(user, dict) else None
        return ObjectInfo(
            key=key,
            size=int(data.get("size") or 0),
            sha256=str(sha) if sha else None,
            modified=_parse_time(data.get("last_modified") or data.get("updated_at")),
        )

    def _list_folder(self, folder: str) -> Iterator[dict[str, Any]]:
        """The entries (files and sub-folders) of one folder, page by page."""
        offset = 0
        while True:
            page: list[dict[str, Any]] = self._call(
                "list",
                folder or None,
                lambda off=offset: self._bucket().list(  # type: ignore[misc]
                    folder, {"limit": PAGE_SIZE, "offset": off}
                ),
            )
            yield from page
            if len(page) < PAGE_SIZE:
                return
            offset += PAGE_SIZE

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with ``prefix``, sorted by key.

        Supabase lists one folder per request (folders have ``id: null``), so the
        walk descends only into folders that can hold matching keys.
        """
        wanted = self.prefix + prefix
        start = wanted.rsplit("/", 1)[0] + "/" if "/" in wanted else ""
        found: list[ObjectInfo] = []
        pending = [start]
        while pending:
            folder = pending.pop()
            for entry in self._list_folder(folder.rstrip("/")):
                name = str(entry.get("name") or "")
                if not name:
                    continue
                if entry.get("id") is None:
                    sub = f"{folder}{name}/"
                    if sub.startswith(wanted) or wanted.startswith(sub):
                        pending.append(sub)
                    continue
                full = folder + name
                if not full.startswith(wanted) or name == ".emptyFolderPlaceholder":
                    continue
                meta = entry.get("metadata") or {}
                found.append(
                    ObjectInfo(
                        key=full[len(self.prefix) :],
                        size=int(meta.get("size") or 0),
                        sha256=None,
                        modified=_parse_time(entry.get("updated_at")),
                    )
                )
        # The server sorts by its collation and folders first: sort by key ourselves.
        yield from sorted(found, key=lambda info: info.key)

    def _download(self, key: str) -> bytes:
        return self._call("read", key, lambda: self._bucket().download(self._full(key)))

    def open_read(self, key: str) -> BinaryIO:
        """A stream over the object's content (storage3 downloads it whole)."""
        return io.BytesIO(self._download(key))

    def put(self, key: str, data: Data) -> ObjectInfo:
        """Upload with upsert, then read back size and sha256 to verify."""
        full = self._full(key)
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        with materialise(data) as (payload, digests):
            options: Any = {
                "content-type": content_type,
                "upsert": "true",
                "metadata": {META_SHA256: digests.sha256},
            }
            logger.debug("upload %s (%d bytes) to bucket %s", full, digests.size, self.bucket)
            self._call("write", key, lambda: self._bucket().upload(full, payload, options))
        info = self.info(key)
        if info.sha256 != digests.sha256:
            # A concurrent writer replaced it after our upload: the last writer wins.
            logger.debug("%s was replaced by a concurrent writer after upload", key)
            return ObjectInfo(key, digests.size, digests.sha256, info.modified)
        if info.size != digests.size:
            raise StorageIntegrityError(
                f"The stored copy of '{key}' in bucket '{self.bucket}' has {info.size} bytes "
                f"instead of {digests.size}. Retry the upload."
            )
        return info

    def get(self, key: str, dest: Path) -> ObjectInfo:
        """Download ``key``, check it against its sha256, write ``dest`` atomically."""
        info = self.info(key)
        blob = self._download(key)
        if info.sha256 is not None and digest_bytes(blob).sha256 != info.sha256:
            if self.info(key).sha256 != info.sha256:
                raise StorageTransientError(
                    f"'{key}' changed while it was downloaded. Retry the download."
                )
            raise StorageIntegrityError(
                f"The downloaded copy of '{key}' does not match its sha256 checksum. Retry "
                "the download; if it fails again the stored object is damaged."
            )
        atomic_write(dest, blob)
        return ObjectInfo(key, len(blob), info.sha256, info.modified)

    def delete(self, key: str) -> None:
        """Remove ``key``; Supabase answers success for an absent key as well."""
        full = self._full(key)
        self._call("delete", key, lambda: self._bucket().remove([full]))

    def fingerprint(self, key: str) -> str:
        """The sha256 from user metadata, or computed from a download."""
        sha = self.info(key).sha256
        if sha:
            return sha
        return sha256_stream(io.BytesIO(self._download(key)))[0]

    def local_path(self, key: str) -> Path | None:
        """Remote objects have no local path."""
        return None


__all__ = ["META_SHA256", "SupabaseStorage"]
