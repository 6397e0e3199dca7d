"""Remote backends without a server: error translation, quirk hooks, the factory.

Canned HTTP responses are injected with botocore's ``before-send`` event (the real
parser, retry and transfer code still run), and storage3 is replaced by a fake that
raises what storage3 raises, so every path where a vendor exception could escape
``storage/`` is exercised.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
)
from storage3.exceptions import StorageApiError

from dataflow_desktop.errors import StorageError
from dataflow_desktop.storage import (
    MemoryStorage,
    StorageAuthError,
    StoragePermissionError,
    StorageQuotaError,
    StorageTransientError,
)
from dataflow_desktop.storage.factory import (
    EnvTarget,
    RemoteProfile,
    backend_kinds,
    open_remote,
    register_backend,
)
from dataflow_desktop.storage.remote import (
    NoSuchBucketError,
    StorageConflictError,
    digest_bytes,
    materialise,
    normalise_prefix,
)
from dataflow_desktop.storage.s3 import S3Storage
from dataflow_desktop.storage.supabase import SupabaseStorage

SECRET = "s3cr3t-never-shown-0123456789"
VENDOR_MODULES = {"botocore", "boto3", "s3transfer", "urllib3", "httpx", "storage3", "supabase"}
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


# -- S3: canned responses --------------------------------------------------------------


class _Raw:
    """What AWSResponse reads its body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def xml_error(code: str, namespace: str | None = None) -> bytes:
    ns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Error{ns}><Code>{code}</Code>'
        f"<Message>{code} happened</Message><Resource>/b/k</Resource></Error>"
    ).encode()


Outcome = Callable[[Any], AWSResponse]


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Outcome:
    def make(request: Any) -> AWSResponse:
        return AWSResponse(request.url, status, headers or {}, _Raw(body))

    return make


def fail_with(exc: Exception) -> Outcome:
    def make(request: Any) -> AWSResponse:
        raise exc

    return make


def s3_storage(**kwargs: Any) -> S3Storage:
    kwargs.setdefault("access_key_id", "AKIDTEST")
    kwargs.setdefault("secret_access_key", SECRET)
    return S3Storage(
        "http://127.0.0.1:9",  # never contacted: every request gets a canned answer
        "bucket",
        max_attempts=1,
        multipart_threshold=1024 * 1024,  # small, so a multipart upload is cheap to provoke
        **kwargs,
    )


def answer_all(storage: S3Storage, outcome: Outcome) -> None:
    """Every request of ``storage`` gets ``outcome`` instead of reaching the network."""

    def handler(request: Any, **_: Any) -> AWSResponse:
        return outcome(request)

    storage._client.meta.events.register_first("before-send.s3", handler)


def _call_every_method(storage: S3Storage, tmp_path: Path) -> list[Callable[[], object]]:
    return [
        lambda: storage.info("dev/k"),
        lambda: list(storage.list("dev/")),
        lambda: storage.open_read("dev/k").read(),
        lambda: storage.put("dev/k", b"small"),
        lambda: storage.put("dev/k", b"x" * (1024 * 1024 + 1)),  # multipart
        lambda: storage.get("dev/k", tmp_path / "out"),
        lambda: storage.delete("dev/k"),
        lambda: storage.delete_many(["dev/k"]),
        lambda: storage.fingerprint("dev/k"),
        storage.check,
    ]


S3_FAILURES = {
    "NoSuchKey": respond(404, xml_error("NoSuchKey")),
    "NoSuchBucket": respond(404, xml_error("NoSuchBucket")),
    "AccessDenied": respond(403, xml_error("AccessDenied")),
    "SignatureDoesNotMatch": respond(403, xml_error("SignatureDoesNotMatch")),
    "InvalidAccessKeyId": respond(403, xml_error("InvalidAccessKeyId")),
    "ExpiredToken": respond(400, xml_error("ExpiredToken")),
    "InternalError": respond(500, xml_error("InternalError")),
    "QuotaExceeded": respond(403, xml_error("QuotaExceeded")),
    "EntityTooLarge": respond(400, xml_error("EntityTooLarge")),
    "Conflict": respond(409, xml_error("OperationAborted")),
    "Weird": respond(400, xml_error("SomethingNew")),
    "bodyless 403": respond(403),
    "bodyless 404": respond(404),
    "bodyless 500": respond(500),
    "namespaced 403": respond(403, xml_error("SignatureDoesNotMatch", S3_NS)),
    "not XML": respond(502, b"<html>Bad gateway</html>"),
    "connection refused": fail_with(EndpointConnectionError(endpoint_url="http://127.0.0.1:9")),
    "connect timeout": fail_with(ConnectTimeoutError(endpoint_url="http://127.0.0.1:9")),
    "read timeout": fail_with(ReadTimeoutError(endpoint_url="http://127.0.0.1:9")),
    "connection closed": fail_with(ConnectionClosedError(endpoint_url="http://127.0.0.1:9")),
    "TLS": fail_with(SSLError(endpoint_url="https://x", error="certificate verify failed")),
}


@pytest.mark.parametrize("compat", [False, True], ids=["s3", "supabase-compat"])
@pytest.mark.parametrize("failure", list(S3_FAILURES), ids=list(S3_FAILURES))
def test_no_vendor_exception_escapes_s3(failure: str, compat: bool, tmp_path: Path) -> None:
    storage = s3_storage(supabase_compat=compat, region="eu-central-1")
    answer_all(storage, S3_FAILURES[failure])
    for call in _call_every_method(storage, tmp_path):
        with pytest.raises((FileNotFoundError, StorageError)) as caught:
            call()
        exc = caught.value
        assert type(exc).__module__.split(".")[0] not in VENDOR_MODULES
        assert SECRET not in str(exc)
        assert SECRET not in repr(exc)


S3_CASES = [
    ("NoSuchKey", 404, FileNotFoundError, ""),
    (
        "NoSuchBucket",
        404,
        NoSuchBucketError,
        "Bucket 'bucket' does not exist at http://127.0.0.1:9",
    ),
    (
        "SignatureDoesNotMatch",
        403,
        StorageAuthError,
        "The secret key is wrong for access key 'AKIDTEST'",
    ),
    ("InvalidAccessKeyId", 403, StorageAuthError, "access key 'AKIDTEST' is not known"),
    ("ExpiredToken", 400, StorageAuthError, "expired or invalid"),
    ("RequestTimeTooSkewed", 403, StorageAuthError, "clock"),
    ("AccessDenied", 403, StoragePermissionError, "is not allowed to read 'dev/k'"),
    ("QuotaExceeded", 403, StorageQuotaError, "over its quota"),
    ("SlowDown", 503, StorageTransientError, "busy"),
    ("", 500, StorageTransientError, "busy"),
    ("", 401, StorageAuthError, "refused"),
    ("BucketNotEmpty", 409, StorageConflictError, "conflicting"),
    ("InvalidBucketName", 400, StorageError, "not a valid bucket name"),
]


@pytest.mark.parametrize(("code", "status", "expected", "fragment"), S3_CASES)
def test_s3_errors_are_mapped_by_code_and_status(
    code: str, status: int, expected: type[Exception], fragment: str
) -> None:
    storage = s3_storage()
    answer_all(storage, respond(status, xml_error(code) if code else b""))
    with pytest.raises(expected) as caught:
        storage.open_read("dev/k")  # a GET: error bodies are parsed
    assert fragment in str(caught.value)


def test_supabase_namespaced_errors_are_read_with_the_quirk_hook() -> None:
    body = xml_error("SignatureDoesNotMatch", S3_NS)
    plain = s3_storage()
    answer_all(plain, respond(403, body))
    with pytest.raises(StoragePermissionError, match="check the access key, secret key"):
        plain.open_read("dev/k")  # botocore cannot read the code: mapped by status
    compat = s3_storage(supabase_compat=True, region="eu-central-1")
    answer_all(compat, respond(403, body))
    with pytest.raises(StorageAuthError, match="region \\('eu-central-1'\\)"):
        compat.open_read("dev/k")


def test_s3_secret_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    storage = s3_storage()
    answer_all(storage, respond(403, xml_error("SignatureDoesNotMatch")))
    with pytest.raises(StorageAuthError) as caught:
        storage.put("dev/k", b"x")
    assert SECRET not in repr(storage)
    assert not any(SECRET in repr(value) for value in vars(storage).values())
    assert SECRET not in str(caught.value)
    assert SECRET not in caplog.text
    assert not any(SECRET in repr(v) for v in vars(storage).values())


def test_upload_verification_catches_a_wrong_etag() -> None:
    storage = s3_storage()
    sha = hashlib.sha256(b"data").hexdigest()
    head = respond(
        200,
        headers={
            "Content-Length": "4",
            "ETag": '"00000000000000000000000000000000"',
            "Last-Modified": "Sat, 28 Nov 2026 10:00:00 GMT",
            "x-amz-meta-sha256": sha,
        },
    )
    answer_all(
        storage,
        lambda request: (
            head(request)
            if request.method == "HEAD"
            else respond(200, headers={"ETag": '"x"'})(request)
        ),
    )
    from dataflow_desktop.storage.remote import StorageIntegrityError

    with pytest.raises(StorageIntegrityError, match="does not match what was sent"):
        storage.put("dev/k", b"data")


def test_plain_http_to_a_remote_host_is_a_loud_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    S3Storage("http://files.example.com:9000", "b", access_key_id="a", secret_access_key=SECRET)
    assert "INSECURE" in caplog.text
    assert "plain http to files.example.com" in caplog.text
    caplog.clear()
    S3Storage("http://127.0.0.1:9000", "b", access_key_id="a", secret_access_key=SECRET)
    S3Storage("https://s3.example.com", "b", access_key_id="a", secret_access_key=SECRET)
    assert caplog.text == ""
    S3Storage(
        "https://s3.example.com", "b", access_key_id="a", secret_access_key=SECRET, verify_tls=False
    )
    assert "does not verify the TLS certificate" in caplog.text


def test_missing_credentials_are_an_auth_error() -> None:
    with pytest.raises(StorageAuthError):
        S3Storage("https://s3.example.com", "b", access_key_id="a", secret_access_key="")


# -- Supabase: a fake storage3 bucket --------------------------------------------------


class FakeBucket:
    """Raises ``error`` from every storage3 call SupabaseStorage makes."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def _raise(self, *_: Any, **__: Any) -> Any:
        raise self.error

    info = list = download = upload = remove = _raise


def api_error(status: str | int, code: str, message: str = "m") -> StorageApiError:
    return StorageApiError(message, code, status)


_REQUEST = httpx.Request("GET", "http://127.0.0.1:9/storage/v1/object/b/k")
SUPABASE_CASES = [
    (api_error("404", "not_found", "Object not found"), FileNotFoundError, ""),
    (api_error("404", "Bucket not found", "Bucket not found"), NoSuchBucketError, "does not exist"),
    (
        api_error("403", "Unauthorized", "new row violates row-level security policy"),
        StoragePermissionError,
        "row-level security",
    ),
    (api_error("400", "InvalidJWT", "invalid signature"), StorageAuthError, "refused"),
    (
        api_error(401, "InternalError", "Unable to parse error message: Invalid API key"),
        StorageAuthError,
        "refused",
    ),
    (api_error("413", "Payload too large"), StorageQuotaError, "larger than bucket"),
    (
        api_error("409", "Duplicate", "The resource already exists"),
        StorageConflictError,
        "conflicts",
    ),
    (api_error("500", "InternalError"), StorageTransientError, "busy"),
    (api_error("423", "ResourceLocked"), StorageTransientError, "busy"),
    (api_error("400", "InvalidKey", "Invalid key: x"), StorageError, "refused"),
    (httpx.ConnectError("refused", request=_REQUEST), StorageTransientError, "cannot be reached"),
    (httpx.ReadTimeout("slow", request=_REQUEST), StorageTransientError, "in time"),
    (
        httpx.RemoteProtocolError("bad", request=_REQUEST),
        StorageTransientError,
        "cannot be reached",
    ),
    (httpx.DecodingError("bad", request=_REQUEST), StorageError, "failed"),
]


@pytest.mark.parametrize(("error", "expected", "fragment"), SUPABASE_CASES)
def test_supabase_errors_are_mapped(
    error: Exception, expected: type[Exception], fragment: str, tmp_path: Path
) -> None:
    storage = SupabaseStorage("http://127.0.0.1:9", SECRET, "b")
    fake = FakeBucket(error)
    storage._bucket = lambda: fake  # type: ignore[assignment,return-value]
    calls: list[Callable[[], object]] = [
        lambda: storage.info("dev/k"),
        lambda: list(storage.list("dev/")),
        lambda: storage.open_read("dev/k"),
        lambda: storage.put("dev/k", b"x"),
        lambda: storage.put("dev/k", io.BytesIO(b"x")),
        lambda: storage.get("dev/k", tmp_path / "out"),
        lambda: storage.delete("dev/k"),
        lambda: storage.fingerprint("dev/k"),
    ]
    for call in calls:
        with pytest.raises(expected) as caught:
            call()
        assert type(caught.value).__module__.split(".")[0] not in VENDOR_MODULES
        assert fragment in str(caught.value)
        assert SECRET not in str(caught.value)
    assert SECRET not in repr(storage)
    assert not any(SECRET in repr(value) for value in vars(storage).values())


# -- shared helpers ----------------------------------------------------------------------


def test_prefixes_are_normalised() -> None:
    assert normalise_prefix("") == ""
    assert normalise_prefix("/team-a//") == "team-a/"
    assert normalise_prefix("a/b") == "a/b/"
    for bad in ("a/../b", "a//b", "a\\b", "./a"):
        with pytest.raises(ValueError, match="invalid storage prefix"):
            normalise_prefix(bad)


def test_multipart_etag_matches_s3s_formula() -> None:
    data = bytes(range(256)) * 50_000  # 12.8 MB: parts of 5, 5 and 2.8 MiB
    part = 5 * 1024 * 1024
    digests = digest_bytes(data, part)
    md5s = [
        hashlib.md5(data[i : i + part], usedforsecurity=False).digest()
        for i in range(0, len(data), part)
    ]
    expected = hashlib.md5(b"".join(md5s), usedforsecurity=False).hexdigest() + "-3"
    assert digests.multipart_etag() == expected
    assert digests.sha256 == hashlib.sha256(data).hexdigest()


def test_streams_are_spooled_to_a_temp_file_that_is_removed() -> None:
    with materialise(io.BytesIO(b"stream")) as (payload, digests):
        assert isinstance(payload, Path)
        assert payload.read_bytes() == b"stream"
        assert digests.size == 6
    assert not payload.exists()


# -- factory -----------------------------------------------------------------------------


def s3_profile(**kwargs: Any) -> RemoteProfile:
    values: dict[str, Any] = {
        "name": "team",
        "kind": "s3",
        "endpoint": "https://s3.example.com",
        "bucket": "dataflow",
        "access_key_id": "AKIDTEST",
        "region": "eu-west-3",
    }
    values.update(kwargs)
    return RemoteProfile(**values)


def test_open_remote_picks_the_backend_from_configuration() -> None:
    s3 = open_remote(s3_profile(), SECRET)
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.region, s3.access_key_id) == ("dataflow", "eu-west-3", "AKIDTEST")
    profile = RemoteProfile("sb", "supabase", "https://abc.supabase.co", "results")
    supabase = open_remote(profile, SECRET)
    assert isinstance(supabase, SupabaseStorage)
    assert SECRET not in repr(s3) + repr(supabase) + repr(profile)


def test_environments_map_to_buckets_or_prefixes() -> None:
    profile = s3_profile(
        prefix="acme",
        environments={
            "prod": EnvTarget(bucket="dataflow-prod"),
            "staging": EnvTarget(prefix="stg"),
        },
    )
    assert profile.target("dev") == ("dataflow", "acme")
    assert profile.target("prod") == ("dataflow-prod", "acme")
    assert profile.target("staging") == ("dataflow", "stg")
    prod = open_remote(profile, SECRET, env="prod")
    assert isinstance(prod, S3Storage)
    assert (prod.bucket, prod.prefix) == ("dataflow-prod", "acme/")
    with pytest.raises(ValueError, match="unknown environment"):
        open_remote(profile, SECRET, env="qa")


def test_profiles_round_trip_and_refuse_secrets() -> None:
    profile = s3_profile(environments={"prod": EnvTarget(bucket="p")}, supabase_compat=True)
    assert RemoteProfile.from_dict(profile.to_dict()) == profile
    with pytest.raises(ValueError, match="must not contain secrets"):
        RemoteProfile.from_dict({**profile.to_dict(), "secret_access_key": SECRET})
    with pytest.raises(ValueError, match="unknown storage kind"):
        s3_profile(kind="ftp")
    with pytest.raises(ValueError, match="unknown environments"):
        s3_profile(environments={"qa": EnvTarget()})
    with pytest.raises(ValueError, match="http"):
        s3_profile(endpoint="s3.example.com")


def test_new_backends_register_without_touching_callers() -> None:
    created: list[tuple[str, str]] = []

    def open_memory(profile: RemoteProfile, secret: str, bucket: str, prefix: str) -> MemoryStorage:
        created.append((bucket, prefix))
        return MemoryStorage()

    register_backend("memory", open_memory)
    try:
        profile = RemoteProfile("mem", "memory", "", "b", prefix="p")
        assert isinstance(open_remote(profile, "unused"), MemoryStorage)
        assert created == [("b", "p")]
        assert "memory" in backend_kinds()
    finally:
        from dataflow_desktop.storage import factory

        factory._OPENERS.pop("memory")
