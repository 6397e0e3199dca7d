"""SupabaseStorage through supabase-py against the Storage REST stand-in on 127.0.0.1.

The full conformance suite, then the server behaviours RECIPES.md §11 lists and how
they are mapped: 409 on an upload without upsert, 403 for the anon key writing to a
private bucket, 404 bodies for missing objects and buckets, 413, and the gateway's
401 for an unknown key.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest
from supabase import ClientOptions, create_client
from unit.storage_conformance import StorageConformance

from dataflow_desktop.storage import (
    StorageAuthError,
    StoragePermissionError,
    StorageQuotaError,
    StorageTransientError,
)
from dataflow_desktop.storage.remote import NoSuchBucketError
from dataflow_desktop.storage.supabase import SupabaseStorage

if TYPE_CHECKING:
    from fixtures.servers import SupabaseServer

# The server fixtures, until tests/conftest.py lists this plugin itself.
pytest_plugins = ["fixtures.servers"]
pytestmark = pytest.mark.network


def make_storage(server: SupabaseServer, *, key: str | None = None) -> SupabaseStorage:
    """A SupabaseStorage on the stand-in's bucket, below a fresh prefix."""
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    return SupabaseStorage(server.url, key or server.service_key, server.bucket, prefix=prefix)


class TestSupabaseConformance(StorageConformance):
    large_object_size = 8 * 1024 * 1024

    @pytest.fixture
    def storage(self, supabase_server: SupabaseServer) -> Iterator[SupabaseStorage]:
        with make_storage(supabase_server) as storage:
            yield storage


def test_routes_are_served_under_storage_v1(supabase_server: SupabaseServer) -> None:
    with make_storage(supabase_server) as storage:
        storage.put("dev/jobs/j/result.json", b"{}")
        list(storage.list("dev/"))
        storage.delete("dev/jobs/j/result.json")
    paths = {path for _, path, _ in supabase_server.server.requests[-6:]}
    assert all(p.startswith("/storage/v1/object/") for p in paths)


def test_sha256_travels_as_user_metadata(supabase_server: SupabaseServer) -> None:
    with make_storage(supabase_server) as storage:
        info = storage.put("dev/a.txt", b"abc")
        stored = supabase_server.server.state.objects[
            (supabase_server.bucket, storage.prefix + "dev/a.txt")
        ]
    assert stored.user_metadata == {"sha256": info.sha256}
    assert stored.mimetype == "text/plain"


def test_list_walks_folders_and_pages(
    supabase_server: SupabaseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dataflow_desktop.storage.supabase.PAGE_SIZE", 2)
    with make_storage(supabase_server) as storage:
        keys = [f"dev/jobs/j{n}/pages/000{m}.png" for n in range(3) for m in range(3)]
        for key in keys:
            storage.put(key, b"p")
        assert [i.key for i in storage.list("dev/jobs/")] == sorted(keys)
        assert [i.key for i in storage.list("dev/jobs/j1/pages/0002")] == [
            "dev/jobs/j1/pages/0002.png"
        ]


def test_upload_without_upsert_conflicts_but_ours_replaces(supabase_server: SupabaseServer) -> None:
    with make_storage(supabase_server) as storage:
        storage.put("dev/x.json", b"1")
        options = ClientOptions(httpx_client=httpx.Client())
        client = create_client(supabase_server.url, supabase_server.service_key, options)
        raw = client.storage.from_(supabase_server.bucket)
        from storage3.exceptions import StorageApiError

        with pytest.raises(StorageApiError) as caught:
            raw.upload(storage.prefix + "dev/x.json", b"2")
        assert str(caught.value.status) == "409"
        assert caught.value.code == "Duplicate"
        storage.put("dev/x.json", b"2")  # upsert
        assert storage.open_read("dev/x.json").read() == b"2"


def test_anon_key_writing_to_a_private_bucket_is_a_permission_error(
    supabase_server: SupabaseServer,
) -> None:
    with make_storage(supabase_server, key=supabase_server.anon_key) as anon:
        with pytest.raises(StoragePermissionError) as caught:
            anon.put("dev/x.json", b"{}")
        message = str(caught.value)
        assert "row-level security" in message
        assert "service_role" in message
        assert supabase_server.anon_key not in message
        # RLS also hides what others wrote: reads find nothing.
        with pytest.raises(FileNotFoundError):
            anon.info("dev/x.json")
        assert list(anon.list("dev/")) == []


def test_unknown_key_is_an_auth_error(
    supabase_server: SupabaseServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    from fixtures.supabase_standin import make_jwt

    forged = make_jwt("another-project-secret", "service_role")
    with make_storage(supabase_server, key=forged) as storage:
        assert forged not in repr(storage)
        with pytest.raises(StorageAuthError) as caught:
            storage.put("dev/x.json", b"{}")
    assert "API key was refused" in str(caught.value)
    assert forged not in str(caught.value)
    assert forged not in caplog.text


def test_missing_bucket_and_missing_object(supabase_server: SupabaseServer) -> None:
    storage = SupabaseStorage(supabase_server.url, supabase_server.service_key, "no-such-bucket")
    with storage:
        for call in (
            lambda: storage.put("dev/x", b"x"),
            lambda: storage.info("dev/x"),
            lambda: list(storage.list("dev/")),
        ):
            with pytest.raises(NoSuchBucketError, match="Bucket 'no-such-bucket' does not exist"):
                call()
    with make_storage(supabase_server) as storage, pytest.raises(FileNotFoundError):
        storage.open_read("dev/none")


def test_too_large_is_a_quota_error(supabase_server: SupabaseServer) -> None:
    supabase_server.server.create_bucket("tiny", file_size_limit=10)
    with (
        SupabaseStorage(supabase_server.url, supabase_server.service_key, "tiny") as storage,
        pytest.raises(StorageQuotaError, match="larger than bucket 'tiny' accepts"),
    ):
        storage.put("dev/big", b"x" * 11)


def test_server_down_is_transient() -> None:
    from fixtures.servers import free_ports

    (port,) = free_ports(1)
    with (
        SupabaseStorage(f"http://127.0.0.1:{port}", "k.e.y", "b", timeout=2) as storage,
        pytest.raises(StorageTransientError, match="cannot be reached"),
    ):
        storage.info("dev/x")
