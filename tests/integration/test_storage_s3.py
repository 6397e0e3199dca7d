"""S3Storage against a real S3 server (SeaweedFS on 127.0.0.1).

The full conformance suite runs twice: plain S3, and with the Supabase S3 quirk
handlers active (``supabase_compat=True``). Then multipart uploads, and every error a
person can meet: wrong secret, unknown key, missing bucket, a read-only identity, a
server that is down, and a server that crashes and comes back.
"""

from __future__ import annotations

import hashlib
import io
import logging
import random
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from unit.storage_conformance import StorageConformance

from dataflow_desktop.storage import StorageAuthError, StoragePermissionError
from dataflow_desktop.storage.base import StorageTransientError
from dataflow_desktop.storage.remote import NoSuchBucketError
from dataflow_desktop.storage.s3 import S3Storage

if TYPE_CHECKING:
    from fixtures.servers import S3Keys, SeaweedFS

# The server fixtures, until tests/conftest.py lists this plugin itself. (Imported
# here, not with ``from``: the plugin must be imported by pytest to be rewritten.)
pytest_plugins = ["fixtures.servers"]

pytestmark = pytest.mark.network

MiB = 1024 * 1024
BUCKET = "dataflow-test"


@pytest.fixture(scope="module")
def bucket(seaweedfs: SeaweedFS) -> str:
    return seaweedfs.create_bucket(BUCKET)


def make_storage(
    server: SeaweedFS,
    bucket: str,
    keys: S3Keys | None = None,
    *,
    secret: str | None = None,
    **kwargs: Any,
) -> S3Storage:
    """An S3Storage on the test server, below a fresh prefix."""
    keys = keys or server.admin
    kwargs.setdefault("prefix", f"t-{uuid.uuid4().hex[:12]}")
    kwargs.setdefault("region", server.region)
    kwargs.setdefault("multipart_threshold", 5 * MiB)
    return S3Storage(
        server.endpoint,
        bucket,
        access_key_id=keys.access_key_id,
        secret_access_key=secret or keys.secret_access_key,
        **kwargs,
    )


class TestS3Conformance(StorageConformance):
    large_object_size = 12 * MiB  # three 5 MiB parts

    @pytest.fixture
    def storage(self, seaweedfs: SeaweedFS, bucket: str) -> Iterator[S3Storage]:
        with make_storage(seaweedfs, bucket) as storage:
            yield storage


class TestSupabaseCompatConformance(StorageConformance):
    """The Supabase S3 path: same suite, with the quirk handlers registered."""

    large_object_size = 6 * MiB

    @pytest.fixture
    def storage(self, seaweedfs: SeaweedFS, bucket: str) -> Iterator[S3Storage]:
        with make_storage(
            seaweedfs, bucket, region="eu-central-1", supabase_compat=True
        ) as storage:
            yield storage

    def test_delete_objects_is_sent_as_xml(self, storage: S3Storage) -> None:
        seen: list[object] = []

        def record(request: Any, **_: Any) -> None:
            seen.append(request.headers.get("Content-Type"))

        storage._client.meta.events.register("before-send.s3.DeleteObjects", record)
        keys = [f"dev/jobs/j/{n}.png" for n in range(3)]
        for key in keys:
            storage.put(key, b"png")
        assert storage.delete_many(keys) == 3
        assert list(storage.list("dev/")) == []
        assert seen == [b"application/xml"]  # prepared request headers are bytes

    def test_region_is_required(self, seaweedfs: SeaweedFS, bucket: str) -> None:
        with pytest.raises(ValueError, match="region"):
            make_storage(seaweedfs, bucket, region=None, supabase_compat=True)

    def test_presigned_url_is_sigv4_and_works(self, storage: S3Storage) -> None:
        storage.put("dev/shared.txt", b"hello team")
        url = storage.presigned_url("dev/shared.txt", expires_in=60)
        assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"hello team"


def test_multipart_upload_of_20_mb_is_verified(
    seaweedfs: SeaweedFS, bucket: str, tmp_path: Path
) -> None:
    data = random.Random(20).randbytes(20 * MiB)
    expected = hashlib.sha256(data).hexdigest()
    src = tmp_path / "big.bin"
    src.write_bytes(data)
    with make_storage(seaweedfs, bucket, max_concurrency=4) as storage:
        started = time.monotonic()
        info = storage.put("dev/jobs/big/bundle.zip", src)
        elapsed = time.monotonic() - started
        assert (info.size, info.sha256) == (len(data), expected)
        head = seaweedfs.client().head_object(
            Bucket=bucket, Key=storage.prefix + "dev/jobs/big/bundle.zip"
        )
        assert head["Metadata"]["sha256"] == expected  # x-amz-meta-sha256
        assert head["ETag"].strip('"').endswith("-4")  # four 5 MiB parts
        assert head["ContentType"] == "application/zip"
        # The fingerprint comes from metadata: no download.
        assert storage.fingerprint("dev/jobs/big/bundle.zip") == expected
        dest = tmp_path / "back.zip"
        storage.get("dev/jobs/big/bundle.zip", dest)
        assert hashlib.sha256(dest.read_bytes()).hexdigest() == expected
    assert elapsed < 30


def test_single_part_etag_is_the_md5(seaweedfs: SeaweedFS, bucket: str) -> None:
    with make_storage(seaweedfs, bucket) as storage:
        storage.put("dev/small.json", b'{"a": 1}')
        head = seaweedfs.client().head_object(Bucket=bucket, Key=storage.prefix + "dev/small.json")
    assert head["ETag"].strip('"') == hashlib.md5(b'{"a": 1}', usedforsecurity=False).hexdigest()


def test_upload_from_a_one_shot_stream(seaweedfs: SeaweedFS, bucket: str) -> None:
    class OneShot(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return self._inner.readinto(buffer)

    data = random.Random(6).randbytes(6 * MiB)
    with make_storage(seaweedfs, bucket) as storage:
        info = storage.put("dev/stream.bin", io.BufferedReader(OneShot(data)))
        assert info.sha256 == hashlib.sha256(data).hexdigest()
        assert storage.fingerprint("dev/stream.bin") == info.sha256


def test_wrong_secret_is_an_auth_error_that_names_the_key(
    seaweedfs: SeaweedFS, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "not-the-secret-" + uuid.uuid4().hex
    with make_storage(seaweedfs, bucket, secret=wrong) as storage:
        assert wrong not in repr(storage)
        for call in (
            lambda: storage.put("dev/x", b"x"),
            lambda: list(storage.list("dev/")),
            lambda: storage.info("dev/x"),  # HEAD: no error body, explained by a GET
            storage.check,  # HEAD bucket: explained by a LIST
        ):
            with pytest.raises(StorageAuthError) as caught:
                call()
            message = str(caught.value)
            assert "The secret key is wrong for access key 'dataflow-admin'" in message
            assert seaweedfs.endpoint in message
            assert wrong not in message
    assert wrong not in caplog.text


def test_unknown_access_key_is_an_auth_error(seaweedfs: SeaweedFS, bucket: str) -> None:
    from fixtures.servers import S3Keys

    with (
        make_storage(seaweedfs, bucket, S3Keys("nobody", "whatever-secret")) as storage,
        pytest.raises(StorageAuthError, match="access key 'nobody' is not known"),
    ):
        storage.put("dev/x", b"x")


def test_missing_bucket_has_its_own_clear_error(seaweedfs: SeaweedFS) -> None:
    name = f"missing-{uuid.uuid4().hex[:8]}"
    expected = f"Bucket '{name}' does not exist at {seaweedfs.endpoint}"
    with make_storage(seaweedfs, name) as storage:
        for call in (
            lambda: storage.put("dev/x", b"x"),
            lambda: list(storage.list("dev/")),
            lambda: storage.info("dev/x"),  # HEAD 404: the bucket is checked
            lambda: storage.open_read("dev/x"),
            lambda: storage.delete("dev/x"),
            storage.check,
        ):
            with pytest.raises(NoSuchBucketError, match=expected):
                call()


def test_missing_key_is_file_not_found_in_an_existing_bucket(
    seaweedfs: SeaweedFS, bucket: str
) -> None:
    with make_storage(seaweedfs, bucket) as storage:
        storage.check()
        with pytest.raises(FileNotFoundError):
            storage.info("dev/none")


def test_read_only_identity_cannot_write(seaweedfs: SeaweedFS, bucket: str) -> None:
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    with make_storage(seaweedfs, bucket, prefix=prefix) as admin:
        admin.put("dev/report.html", b"<p>ok</p>")
    with make_storage(seaweedfs, bucket, seaweedfs.reader, prefix=prefix) as reader:
        assert reader.info("dev/report.html").size == 9  # reading is allowed
        assert [i.key for i in reader.list("dev/")] == ["dev/report.html"]
        with pytest.raises(StoragePermissionError) as caught:
            reader.put("dev/new.html", b"x")
        assert "Access key 'dataflow-reader' is not allowed to write 'dev/new.html'" in str(
            caught.value
        )
        with pytest.raises(StoragePermissionError, match="not allowed to delete"):
            reader.delete("dev/report.html")


def test_server_down_is_transient() -> None:
    from fixtures.servers import free_ports

    (port,) = free_ports(1)  # nothing listens there
    storage = S3Storage(
        f"http://127.0.0.1:{port}",
        BUCKET,
        access_key_id="dataflow-admin",
        secret_access_key="irrelevant-secret",
        connect_timeout=1,
        max_attempts=1,
    )
    with storage:
        for call in (
            lambda: storage.put("dev/x", b"x"),
            lambda: storage.info("dev/x"),
            lambda: list(storage.list("dev/")),
            lambda: storage.open_read("dev/x"),
        ):
            with pytest.raises(StorageTransientError, match="cannot be reached"):
                call()


def test_data_survives_a_crash_and_restart(seaweedfs: SeaweedFS, bucket: str) -> None:
    with make_storage(seaweedfs, bucket) as storage:
        info = storage.put("dev/jobs/j1/progress.json", b'{"step": "raster"}')
        restart_seconds = seaweedfs.kill_and_restart()
        assert storage.info("dev/jobs/j1/progress.json").sha256 == info.sha256
        assert storage.fingerprint("dev/jobs/j1/progress.json") == info.sha256
    assert restart_seconds < 30
