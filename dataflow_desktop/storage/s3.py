"""The S3 backend (boto3): MinIO, AWS S3, SeaweedFS and Supabase's S3 endpoint.

Uploads go through boto3's transfer manager (multipart with parallel parts above a
threshold). Every object carries its sha256 as user metadata (``x-amz-meta-sha256``)
so :meth:`S3Storage.info` and :meth:`S3Storage.fingerprint` know it without a
download, and every upload is verified afterwards: size, sha256 metadata and the
ETag the server computed (the MD5 for a single part, ``md5(part md5s)-N`` for a
multipart upload). A failed multipart upload is aborted by the transfer manager.

Every botocore/boto3/s3transfer exception is translated by
:class:`._s3_support.S3ErrorTranslator` into ``FileNotFoundError`` or the
:class:`~dataflow_desktop.errors.StorageError` family, with a message a person can act
on. The secret key is handed to boto3 once and
never kept on the object, so it cannot reach a repr, a log line or an exception.
"""

from __future__ import annotations

import builtins
import errno
import functools
import io
import logging
import mimetypes
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Literal

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from ..events import CancelToken
from ._hashing import sha256_file, sha256_stream
from ._s3_support import (
    VENDOR_ERRORS,
    MiB,
    S3ErrorTranslator,
    S3Reader,
    add_xml_content_type,
    error_code,
    http_status,
    part_size,
    strip_error_namespace,
)
from .base import Data, ObjectInfo, StorageAuthError, StorageTransientError
from .batch import ByteCallback, UploadItem, UploadOutcome
from .remote import (
    Digests,
    StorageIntegrityError,
    check_key,
    materialise,
    normalise_prefix,
    warn_if_insecure,
)

logger = logging.getLogger(__name__)

META_SHA256 = "sha256"  # boto3 sends it as the x-amz-meta-sha256 header
DEFAULT_REGION = "us-east-1"

Addressing = Literal["path", "virtual", "auto"]

_SESSION_LOCK = threading.Lock()


@functools.cache
def _shared_session() -> boto3.session.Session:
    """One boto3 session for every S3Storage.

    A new session parses botocore's S3 model again (~0.4 s); a shared one keeps it
    loaded. Credentials are given to each client, never to the session, and each
    client gets its own copy of the event hooks.
    """
    return boto3.session.Session()


_PLAIN_ETAG = re.compile(r"^[0-9a-f]{32}$")
_MULTIPART_ETAG = re.compile(r"^[0-9a-f]{32}-[0-9]+$")


class S3Storage:
    """Objects in an S3 bucket, optionally below a key prefix.

    Args:
        endpoint_url: the S3 endpoint (``None`` for AWS S3 itself).
        bucket: the bucket name.
        prefix: a key prefix inside the bucket (e.g. a team or environment folder).
        region: the signing region; Supabase needs the project's storage region.
        access_key_id: the access key ID (not secret; shown in messages).
        secret_access_key: the secret key (handed to boto3, never stored here).
        verify_tls: verify the server's TLS certificate (on by default).
        addressing: ``"path"`` (MinIO, SeaweedFS, Supabase), ``"virtual"`` or ``"auto"``.
        multipart_threshold: objects of at least this size are sent in parts.
        multipart_chunksize: part size (default: the threshold, at least 5 MiB).
        max_concurrency: parts sent in parallel by one upload.
        supabase_compat: apply Supabase S3 endpoint quirks (RECIPES.md §11).
        connect_timeout: seconds to wait for a connection.
        read_timeout: seconds to wait for data on an open connection.
        max_attempts: attempts per request (botocore's standard retry mode).
        verify_etag: compare the server's ETag with the MD5 we computed after each
            upload; turn off for stores whose ETag is not an MD5 (AWS SSE-KMS).
    """

    def __init__(
        self,
        endpoint_url: str | None,
        bucket: str,
        *,
        prefix: str = "",
        region: str | None = None,
        access_key_id: str,
        secret_access_key: str,
        verify_tls: bool = True,
        addressing: Addressing = "path",
        multipart_threshold: int = 8 * MiB,
        multipart_chunksize: int | None = None,
        max_concurrency: int = 4,
        supabase_compat: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        max_attempts: int = 3,
        verify_etag: bool = True,
    ) -> None:
        if not bucket:
            raise ValueError("a bucket name is required")
        if not access_key_id or not secret_access_key:
            raise StorageAuthError(
                "The S3 access key ID or secret key is missing. Enter both in the sync settings."
            )
        if supabase_compat and not region:
            raise ValueError(
                "Supabase's S3 endpoint signs with the project's storage region "
                "(e.g. 'eu-central-1'); set the region of the profile."
            )
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.prefix = normalise_prefix(prefix)
        self.region = region or DEFAULT_REGION
        self.access_key_id = access_key_id
        self.supabase_compat = supabase_compat
        self.verify_etag = verify_etag
        self._errors = S3ErrorTranslator(
            bucket=bucket,
            where=endpoint_url or f"AWS S3 ({self.region})",
            access_key_id=access_key_id,
            region=self.region,
            supabase_compat=supabase_compat,
        )
        warn_if_insecure(
            endpoint_url or "https://s3.amazonaws.com",
            verify_tls=verify_tls,
            what=f"S3 storage for bucket '{bucket}'",
        )
        # Flexible (CRC) checksums are on by default since boto3 1.36, and several
        # S3-compatible servers reject them (boto/boto3#4392). Supabase's S3 support is
        # partial, so it gets only the checksums an operation requires; our own
        # sha256 + ETag verification covers integrity either way.
        checksums = "when_required" if supabase_compat else "when_supported"
        config = Config(
            signature_version="s3v4",  # presigned URLs too: Supabase accepts only SigV4
            s3={"addressing_style": addressing},
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max(10, 2 * max_concurrency + 2),
            request_checksum_calculation=checksums,
            response_checksum_validation=checksums,
        )
        with _SESSION_LOCK:  # sessions are not thread-safe; the clients they make are
            self._client = _shared_session().client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=self.region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                verify=verify_tls,
                config=config,
            )
        if supabase_compat:
            events = self._client.meta.events
            events.register("before-sign.s3.DeleteObjects", add_xml_content_type)
            events.register("before-parse.s3", strip_error_namespace)
        self._threshold = multipart_threshold
        self._chunksize = part_size(multipart_chunksize or multipart_threshold)
        self._transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=self._chunksize,
            max_concurrency=max_concurrency,
            use_threads=True,
            # The classic s3transfer manager: its part sizes are the ones the multipart
            # ETag check predicts (the CRT client, when installed, chooses its own).
            preferred_transfer_client="classic",
        )
        self._bucket_checked = False

    def __repr__(self) -> str:
        return (
            f"S3Storage(endpoint_url={self.endpoint_url!r}, bucket={self.bucket!r}, "
            f"prefix={self.prefix!r}, access_key_id={self.access_key_id!r})"
        )

    def close(self) -> None:
        """Close the client's connection pool."""
        self._client.close()

    def __enter__(self) -> S3Storage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- keys and errors -------------------------------------------------------------

    def _full(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _relative(self, full_key: str) -> str:
        return full_key[len(self.prefix) :]

    @contextmanager
    def _translating(self, action: str, key: str | None) -> Iterator[None]:
        try:
            yield
        except VENDOR_ERRORS as exc:
            raise self._errors.translate(exc, action, key) from exc

    def _not_found(self, key: str) -> FileNotFoundError:
        """``FileNotFoundError`` for a HEAD 404, after ruling out a missing bucket.

        A HEAD response has no body, so a missing bucket and a missing key look the
        same; one HEAD on the bucket (remembered once it succeeds) tells them apart.
        """
        if not self._bucket_checked:
            self.check()
        return FileNotFoundError(errno.ENOENT, "no such object", key)

    # -- the FileStorage protocol -----------------------------------------------------

    def check(self) -> None:
        """Verify that the bucket exists and the credentials may reach it.

        Raises:
            NoSuchBucketError: the bucket does not exist.
            StorageAuthError: the keys are wrong.
            StoragePermissionError: the keys may not access the bucket.
            StorageTransientError: the server cannot be reached.
        """
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if http_status(exc) == 404:
                raise self._errors.no_such_bucket(f"HEAD bucket: {http_status(exc)}") from exc
            explained = self._explain_bodyless(
                exc, lambda: self._client.list_objects_v2(Bucket=self.bucket, MaxKeys=1)
            )
            raise self._errors.translate(explained, "list", None) from exc
        except VENDOR_ERRORS as exc:
            raise self._errors.translate(exc, "list", None) from exc
        self._bucket_checked = True

    def _explain_bodyless(self, exc: ClientError, probe: Callable[[], object]) -> ClientError:
        """The error of a request that has a body, for a HEAD error that has none.

        HEAD responses carry no XML, so botocore can only report ``Code: "403"``: a
        wrong secret and a missing right look alike. The same request as a GET or a
        LIST returns the real code (``SignatureDoesNotMatch``, ``AccessDenied``...).
        """
        if error_code(exc) != str(http_status(exc)):
            return exc
        try:
            probe()
        except ClientError as probed:
            return probed
        except VENDOR_ERRORS:
            return exc
        return exc

    def _head(self, key: str) -> dict[str, Any]:
        full = self._full(key)
        try:
            head: dict[str, Any] = self._client.head_object(Bucket=self.bucket, Key=full)
        except ClientError as exc:
            if http_status(exc) == 404:
                raise self._not_found(key) from exc
            explained = self._explain_bodyless(
                exc,
                lambda: self._client.get_object(Bucket=self.bucket, Key=full, Range="bytes=0-0"),
            )
            raise self._errors.translate(explained, "read", key) from exc
        except VENDOR_ERRORS as exc:
            raise self._errors.translate(exc, "read", key) from exc
        self._bucket_checked = True
        return head

    def _info_from_head(self, key: str, head: dict[str, Any]) -> ObjectInfo:
        sha = head.get("Metadata", {}).get(META_SHA256) or None
        return ObjectInfo(
            key=key,
            size=int(head["ContentLength"]),
            sha256=sha,
            modified=head["LastModified"].timestamp(),
        )

    def info(self, key: str) -> ObjectInfo:
        """Size, sha256 (from metadata) and modification time of ``key``."""
        return self._info_from_head(key, self._head(key))

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with ``prefix``, sorted by key.

        S3 lists in UTF-8 byte order, which is Python's string order, so pages are
        yielded as they come. The listing has no metadata, so ``sha256`` is ``None``.
        """
        paginator = self._client.get_paginator("list_objects_v2")
        with self._translating("list", prefix or None):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                self._bucket_checked = True
                for item in page.get("Contents", []):
                    full = str(item["Key"])
                    if full.endswith("/"):
                        continue  # "folder" markers made by web consoles
                    yield ObjectInfo(
                        key=self._relative(full),
                        size=int(item["Size"]),
                        sha256=None,
                        modified=item["LastModified"].timestamp(),
                    )

    def open_read(self, key: str) -> BinaryIO:
        """A buffered stream over the object's content (errors translated)."""
        with self._translating("read", key):
            response = self._client.get_object(Bucket=self.bucket, Key=self._full(key))
        self._bucket_checked = True

        def translate(exc: BaseException) -> Exception:
            return self._errors.translate(exc, "read", key)

        return io.BufferedReader(S3Reader(response["Body"], translate), buffer_size=1024 * 1024)

    def put(self, key: str, data: Data) -> ObjectInfo:
        """Upload ``data`` (multipart above the threshold) and verify the stored copy.

        S3 replaces an object atomically: readers see the old or the new content.
        """
        full = self._full(key)
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        with materialise(data, part_size=self._chunksize) as (payload, digests):
            extra = {"Metadata": {META_SHA256: digests.sha256}, "ContentType": content_type}
            logger.debug("upload %s (%d bytes) to bucket %s", full, digests.size, self.bucket)
            with self._translating("write", key):
                if isinstance(payload, bytes):
                    self._upload(io.BytesIO(payload), full, extra)
                else:
                    with payload.open("rb") as fh:
                        self._upload(fh, full, extra)
        self._bucket_checked = True
        return self._verify_upload(key, digests)

    def _upload(self, fh: BinaryIO, full: str, extra: dict[str, Any]) -> None:
        self._client.upload_fileobj(fh, self.bucket, full, ExtraArgs=extra, Config=self._transfer)

    def put_many(
        self,
        items: Sequence[UploadItem],
        *,
        on_bytes: ByteCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> builtins.list[UploadOutcome]:
        """Upload many objects, each proven by the server's checksum, then re-checked.

        See :mod:`._s3_batch`; one :class:`~.batch.UploadOutcome` per item, in order.
        """
        from ._s3_batch import BATCH_CONCURRENCY, put_many_s3

        concurrency = max(BATCH_CONCURRENCY, self._transfer.max_concurrency)
        outcomes = put_many_s3(
            self, items, on_bytes=on_bytes, cancel=cancel, concurrency=concurrency
        )
        if any(outcome.sent for outcome in outcomes):
            self._bucket_checked = True
        return outcomes

    def _expected_etag(self, digests: Digests) -> str | None:
        """The ETag the server should report, or ``None`` when it cannot be predicted."""
        if digests.size < self._threshold:
            return digests.md5
        # The transfer manager enlarges parts past 10,000 of them; then our part MD5s
        # do not match its parts and the ETag cannot be predicted.
        if part_size(self._chunksize, digests.size) != self._chunksize:
            return None
        return digests.multipart_etag()

    def _verify_upload(self, key: str, digests: Digests) -> ObjectInfo:
        head = self._head(key)
        info = self._info_from_head(key, head)
        if info.sha256 != digests.sha256:
            # Another writer replaced the object after our upload completed: the last
            # writer wins, and our copy was whole when it was the current one.
            logger.debug("%s was replaced by a concurrent writer after upload", key)
            return ObjectInfo(key, digests.size, digests.sha256, info.modified)
        if info.size != digests.size:
            raise StorageIntegrityError(
                f"The stored copy of '{key}' in bucket '{self.bucket}' has {info.size} bytes "
                f"instead of {digests.size}. Retry the upload.",
            )
        etag = str(head.get("ETag", "")).strip('"')
        expected = self._expected_etag(digests) if self.verify_etag else None
        same_shape = expected is not None and (
            (_PLAIN_ETAG.match(expected) and _PLAIN_ETAG.match(etag))
            or (_MULTIPART_ETAG.match(expected) and _MULTIPART_ETAG.match(etag))
        )
        if same_shape and etag != expected:
            raise StorageIntegrityError(
                f"The stored copy of '{key}' in bucket '{self.bucket}' does not match what "
                "was sent (ETag mismatch). Retry the upload.",
                detail=f"ETag {etag} != {expected}",
            )
        return info

    def get(self, key: str, dest: Path) -> ObjectInfo:
        """Download ``key`` to ``dest`` through a temp file, verify it, then rename."""
        info = self.info(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with self._translating("download", key):
                self._client.download_file(
                    self.bucket, self._full(key), tmp_name, Config=self._transfer
                )
            self._check_download(key, tmp, info)
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return info

    def _check_download(self, key: str, tmp: Path, info: ObjectInfo) -> None:
        size = tmp.stat().st_size
        if info.sha256 is None:
            if size != info.size:
                raise StorageTransientError(
                    f"'{key}' changed while it was downloaded. Retry the download."
                )
            return
        if sha256_file(tmp) == info.sha256:
            return
        if self.info(key).sha256 != info.sha256:
            raise StorageTransientError(
                f"'{key}' changed while it was downloaded. Retry the download."
            )
        raise StorageIntegrityError(
            f"The downloaded copy of '{key}' does not match its sha256 checksum. Retry the "
            "download; if it fails again the stored object is damaged."
        )

    def delete(self, key: str) -> None:
        """Remove ``key``; S3 answers success for an absent key as well."""
        with self._translating("delete", key):
            self._client.delete_object(Bucket=self.bucket, Key=self._full(key))
        self._bucket_checked = True

    def delete_many(self, keys: Sequence[str]) -> int:
        """Remove many keys with DeleteObjects (1,000 per request); returns the count."""
        removed = 0
        for start in range(0, len(keys), 1000):
            batch = keys[start : start + 1000]
            objects = [{"Key": self._full(k)} for k in batch]
            with self._translating("delete", batch[0] if batch else None):
                response = self._client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
                )
            errors = response.get("Errors", [])
            if errors:
                first = errors[0]
                fake = ClientError(
                    {"Error": {"Code": first.get("Code"), "Message": first.get("Message")}},
                    "DeleteObjects",
                )
                raise self._errors.translate(
                    fake, "delete", self._relative(str(first.get("Key", "")))
                )
            removed += len(batch)
        return removed

    def fingerprint(self, key: str) -> str:
        """The sha256 from metadata, or computed by streaming the object."""
        sha = self.info(key).sha256
        if sha:
            return sha
        with self.open_read(key) as fh:
            return sha256_stream(fh)[0]

    def local_path(self, key: str) -> Path | None:
        """Remote objects have no local path."""
        return None

    def presigned_url(self, key: str, expires_in: int = 3600) -> str:
        """A time-limited GET URL for ``key`` (SigV4, which Supabase requires)."""
        with self._translating("read", key):
            url: str = self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": self._full(key)},
                ExpiresIn=expires_in,
            )
        return url


__all__ = ["META_SHA256", "S3Storage"]
