"""Support for the S3 backend: error translation, Supabase quirk hooks, a safe reader.

Kept apart from :mod:`.s3` so the backend reads as the FileStorage operations only.
:class:`S3ErrorTranslator` turns every botocore/boto3/s3transfer exception into
``FileNotFoundError`` or the :class:`~dataflow_desktop.errors.StorageError` family,
by error code *and* HTTP status (Supabase's S3 endpoint namespaces its error XML,
so botocore may report an empty code with the right status; RECIPES.md §11).
"""

from __future__ import annotations

import errno
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3.exceptions
from boto3.s3.transfer import S3TransferRetriesExceededError
from botocore.exceptions import (
    BotoCoreError,
    ChecksumError,
    ClientError,
    ConnectionClosedError,
    ConnectionError,
    FlexibleChecksumError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    SSLError,
)

from ..errors import StorageError
from .base import (
    StorageAuthError,
    StoragePermissionError,
    StorageQuotaError,
    StorageTransientError,
)
from .remote import NoSuchBucketError, StorageConflictError, StorageIntegrityError

MiB = 1024 * 1024
# S3's multipart limits, as the transfer manager applies them (s3transfer.utils).
_MIN_PART = 5 * MiB
_MAX_PART = 5 * 1024 * MiB
_MAX_PARTS = 10_000

_NOT_FOUND_CODES = frozenset({"NoSuchKey", "NotFound", "404", "NoSuchVersion"})
_AUTH_CODES = frozenset(
    {
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "TokenRefreshRequired",
        "InvalidToken",
        "AuthorizationHeaderMalformed",
        "RequestTimeTooSkewed",
        "MissingSecurityHeader",
        "InvalidSecurity",
    }
)
_PERMISSION_CODES = frozenset({"AccessDenied", "AllAccessDisabled", "AccountProblem"})
_QUOTA_CODES = frozenset(
    {
        "QuotaExceeded",
        "ServiceQuotaExceeded",
        "XMinioStorageFull",
        "XMinioAdminBucketQuotaExceeded",
        "StorageFull",
        "InsufficientStorage",
        "EntityTooLarge",
    }
)
_TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestThrottled",
        "TooManyRequests",
        "RequestTimeout",
        "InternalError",
        "ServiceUnavailable",
        "OperationAborted",
        "XMinioServerNotInitialized",
    }
)
_INTEGRITY_CODES = frozenset(
    {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum"}
)
_RIGHTS = {"read": "read", "download": "read", "list": "list", "write": "write", "delete": "delete"}
# Supabase's S3 endpoint namespaces <Error>, which botocore's parser does not read.
_NAMESPACED_ERROR = re.compile(rb"<Error\s+xmlns(?::\w+)?=\"[^\"]*\"\s*>")


def add_xml_content_type(request: Any, **_: Any) -> None:
    """Give DeleteObjects the Content-Type Supabase's S3 endpoint insists on.

    boto3 sends no Content-Type for DeleteObjects; Supabase answers 400 without
    ``application/xml``. Registered on ``before-sign`` so the header is signed too.
    """
    request.headers["Content-Type"] = "application/xml"


def strip_error_namespace(response_dict: dict[str, Any], **_: Any) -> None:
    """Drop the XML namespace from an error body so botocore can read Code/Message."""
    body = response_dict.get("body")
    if response_dict.get("status_code", 200) >= 300 and isinstance(body, bytes):
        response_dict["body"] = _NAMESPACED_ERROR.sub(b"<Error>", body, count=1)


def _wrapped(exc: BaseException) -> BaseException | None:
    """The exception a boto3/s3transfer wrapper carries, if ``exc`` is one."""
    if isinstance(exc, (boto3.exceptions.RetriesExceededError, S3TransferRetriesExceededError)):
        last = exc.last_exception
        return last if isinstance(last, BaseException) else None
    if isinstance(exc, boto3.exceptions.S3UploadFailedError):
        # boto3 raises it inside ``except ClientError`` without ``from``.
        cause: BaseException | None = exc.__cause__ or exc.__context__
        return cause
    return None


def unwrap(exc: BaseException) -> BaseException:
    """The underlying botocore error of a boto3/s3transfer wrapper exception."""
    current = exc
    for _ in range(5):  # wrappers nest at most twice; the bound guards against cycles
        inner = _wrapped(current)
        if inner is None:
            break
        current = inner
    return current


def part_size(chunksize: int, size: int | None = None) -> int:
    """The part size the transfer manager uses for ``size`` bytes (its ChunksizeAdjuster)."""
    if size is not None:
        while -(-size // chunksize) > _MAX_PARTS:
            chunksize *= 2
    return min(max(chunksize, _MIN_PART), _MAX_PART)


def http_status(exc: ClientError) -> int:
    """The HTTP status of a ``ClientError`` (0 when unknown)."""
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def error_code(exc: ClientError) -> str:
    """The S3 error code of a ``ClientError`` (``""`` when the body had none)."""
    return str(exc.response.get("Error", {}).get("Code") or "")


VENDOR_ERRORS: tuple[type[BaseException], ...] = (
    ClientError,
    BotoCoreError,
    boto3.exceptions.Boto3Error,
    S3TransferRetriesExceededError,
)


class S3Reader(io.RawIOBase):
    """A raw reader over a botocore ``StreamingBody`` that translates its errors."""

    def __init__(self, body: Any, translate: Callable[[BaseException], Exception]) -> None:
        super().__init__()
        self._body = body
        self._translate = translate

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            chunk = self._body.read(len(view))
        except VENDOR_ERRORS as exc:
            raise self._translate(exc) from exc
        view[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


@dataclass(frozen=True, slots=True)
class S3ErrorTranslator:
    """Turns vendor exceptions of one bucket into our errors with actionable messages.

    Attributes:
        bucket: the bucket name.
        where: the endpoint as shown to a person.
        access_key_id: the access key ID (never the secret).
        region: the signing region.
        supabase_compat: whether the endpoint is Supabase's (adds a region hint).
    """

    bucket: str
    where: str
    access_key_id: str
    region: str
    supabase_compat: bool = False

    def translate(self, exc: BaseException, action: str, key: str | None) -> Exception:
        """Map a vendor exception to ``FileNotFoundError`` or a ``StorageError``."""
        inner = unwrap(exc)
        if isinstance(inner, ClientError):
            return self._translate_client_error(inner, action, key)
        detail = f"{type(inner).__name__}: {inner}"
        if isinstance(inner, SSLError):
            return StorageError(
                f"The TLS certificate of {self.where} could not be verified. Check the "
                "endpoint address; a self-signed certificate must be added to the "
                "system's trusted certificates.",
                detail=detail,
            )
        if isinstance(inner, (ConnectionError, HTTPClientError, IncompleteReadError)):
            return StorageTransientError(
                f"The storage server at {self.where} cannot be reached right now. Check "
                "the network connection and that the server is running; the transfer "
                "will be retried.",
                detail=detail,
            )
        if isinstance(inner, (NoCredentialsError, PartialCredentialsError)):
            return StorageAuthError(
                "The S3 access key ID or secret key is missing. Enter both in the sync settings.",
                detail=detail,
            )
        if isinstance(inner, (FlexibleChecksumError, ChecksumError)):
            return StorageIntegrityError(
                f"The copy of '{key}' received from {self.where} does not match its "
                "checksum (damaged in transit). Retry the transfer.",
                detail=detail,
            )
        if isinstance(inner, ParamValidationError):
            return ValueError(f"invalid S3 request parameters: {inner}")
        if isinstance(inner, (boto3.exceptions.RetriesExceededError, ConnectionClosedError)):
            return StorageTransientError(
                f"The transfer of '{key}' with {self.where} kept failing. Retry later.",
                detail=detail,
            )
        return StorageError(
            f"The storage at {self.where} failed to {action} '{key}'.", detail=detail
        )

    def _translate_client_error(self, exc: ClientError, action: str, key: str | None) -> Exception:
        error = exc.response.get("Error", {})
        code = error_code(exc)
        status = http_status(exc)
        if code == str(status):
            code = ""  # a bodyless (HEAD) error: botocore puts the status in Code
        detail = f"{code or 'HTTP'} {status}: {error.get('Message') or ''}".strip()
        # The code is the precise answer; the status is the fallback for servers whose
        # error body botocore could not read (HEAD, Supabase's namespaced XML).
        found = self._by_code(code, action, key, detail)
        return found if found is not None else self._by_status(status, code, action, key, detail)

    def _target(self, key: str | None) -> str:
        return f"'{key}'" if key else f"bucket '{self.bucket}'"

    def _permission(self, action: str, key: str | None, detail: str, hint: str = "") -> Exception:
        return StoragePermissionError(
            f"Access key '{self.access_key_id}' is not allowed to {action} "
            f"{self._target(key)} in bucket '{self.bucket}' at {self.where}. Ask the bucket's "
            f"administrator for {_RIGHTS.get(action, action)} rights.{hint}",
            detail=detail,
        )

    def _by_code(self, code: str, action: str, key: str | None, detail: str) -> Exception | None:
        akid = self.access_key_id
        if not code:
            return None
        if code == "NoSuchBucket":
            return self.no_such_bucket(detail)
        if code in _NOT_FOUND_CODES:
            return FileNotFoundError(errno.ENOENT, "no such object", key or self.bucket)
        if code == "InvalidAccessKeyId":
            return StorageAuthError(
                f"The access key '{akid}' is not known at {self.where}. Check the access "
                "key ID in the sync settings.",
                detail=detail,
            )
        if code == "SignatureDoesNotMatch":
            region_hint = (
                f" Also check that the region ('{self.region}') is the project's storage region."
                if self.supabase_compat
                else ""
            )
            return StorageAuthError(
                f"The secret key is wrong for access key '{akid}' at {self.where}. Enter "
                f"the secret key again in the sync settings.{region_hint}",
                detail=detail,
            )
        if code == "RequestTimeTooSkewed":
            return StorageAuthError(
                "This computer's clock differs too much from the storage server's. Set "
                "the clock to update automatically, then retry.",
                detail=detail,
            )
        if code in ("AuthorizationHeaderMalformed", "InvalidRegion"):
            return StorageAuthError(
                f"The region '{self.region}' is not the region of bucket '{self.bucket}' "
                f"at {self.where}. Correct the region in the sync settings.",
                detail=detail,
            )
        if code in _AUTH_CODES:
            return self._expired(detail)
        if code in _PERMISSION_CODES:
            return self._permission(action, key, detail)
        if code in _QUOTA_CODES:
            return self._quota(detail)
        if code in _TRANSIENT_CODES:
            return self._busy(code, detail)
        if code in _INTEGRITY_CODES:
            return StorageIntegrityError(
                f"{self.where} rejected '{key}' because its content did not match its "
                "checksum (damaged in transit). Retry the transfer.",
                detail=detail,
            )
        if code == "InvalidBucketName":
            return StorageError(
                f"'{self.bucket}' is not a valid bucket name at {self.where}. Correct it "
                "in the sync settings.",
                detail=detail,
            )
        if code in ("BucketNotEmpty", "ConditionalRequestConflict"):
            return self._conflict(action, key, detail)
        return None

    def _by_status(
        self, status: int, code: str, action: str, key: str | None, detail: str
    ) -> Exception:
        if status == 404:
            return FileNotFoundError(errno.ENOENT, "no such object", key or self.bucket)
        if status == 401:
            return self._expired(detail)
        if status == 403:
            hint = (
                ""
                if code
                else " If the key should have that right, check the access key, secret key"
                " and region."
            )
            return self._permission(action, key, detail, hint)
        if status in (413, 507):
            return self._quota(detail)
        if status == 429 or status >= 500:
            return self._busy(code or str(status), detail)
        if status == 409:
            return self._conflict(action, key, detail)
        return StorageError(
            f"The storage server at {self.where} refused to {action} {self._target(key)}.",
            detail=detail,
        )

    def _expired(self, detail: str) -> Exception:
        return StorageAuthError(
            f"The credentials of access key '{self.access_key_id}' were refused by "
            f"{self.where} (expired or invalid). Create new keys and enter them in the sync "
            "settings.",
            detail=detail,
        )

    def _quota(self, detail: str) -> Exception:
        return StorageQuotaError(
            f"Bucket '{self.bucket}' at {self.where} is full or over its quota (or the file "
            "is larger than the server accepts). Free space or raise the quota.",
            detail=detail,
        )

    def _busy(self, what: str, detail: str) -> Exception:
        return StorageTransientError(
            f"The storage server at {self.where} is busy or failing ({what}). The transfer "
            "will be retried later.",
            detail=detail,
        )

    def _conflict(self, action: str, key: str | None, detail: str) -> Exception:
        return StorageConflictError(
            f"{self.where} refused to {action} {self._target(key)} because of a conflicting "
            "change. Retry.",
            detail=detail,
        )

    def no_such_bucket(self, detail: str | None = None) -> NoSuchBucketError:
        """The error for a bucket that does not exist at the endpoint."""
        return NoSuchBucketError(
            f"Bucket '{self.bucket}' does not exist at {self.where}. Create it, or "
            "correct the bucket name in the sync settings.",
            detail=detail,
        )


__all__ = [
    "VENDOR_ERRORS",
    "MiB",
    "S3ErrorTranslator",
    "S3Reader",
    "add_xml_content_type",
    "error_code",
    "http_status",
    "part_size",
    "strip_error_namespace",
    "unwrap",
]
