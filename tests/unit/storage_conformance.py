"""The conformance suite every FileStorage backend runs (fsspec ``tests/abstract`` style).

A backend's test module subclasses :class:`StorageConformance` and provides a
``storage`` fixture returning a fresh, empty backend. A backend may raise
``large_object_size`` (bytes) so the large-object round trip crosses its multipart
threshold.
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
import time
from pathlib import Path

import pytest

from dataflow_desktop.storage import FileStorage, ObjectInfo
from dataflow_desktop.storage.ops import copy, exists, read_bytes, remove_prefix

KEY = "dev/jobs/20260101-000000-0000abcd/result.json"


class StorageConformance:
    """Behaviour every backend must share."""

    # Optional per backend: the size of a payload that exercises large transfers.
    # Big enough to cross a backend's multipart threshold where it has one.
    large_object_size: int = 4 * 1024 * 1024

    def test_is_a_file_storage(self, storage: FileStorage) -> None:
        assert isinstance(storage, FileStorage)

    def test_put_then_info_and_read(self, storage: FileStorage) -> None:
        info = storage.put(KEY, b'{"a": 1}')
        assert isinstance(info, ObjectInfo)
        assert info.key == KEY
        assert info.size == 8
        assert storage.info(KEY).size == 8
        assert read_bytes(storage, KEY) == b'{"a": 1}'

    def test_put_accepts_stream_and_path(self, storage: FileStorage, tmp_path: Path) -> None:
        storage.put("dev/a.bin", io.BytesIO(b"stream"))
        src = tmp_path / "src.bin"
        src.write_bytes(b"from a path")
        storage.put("dev/b.bin", src)
        assert read_bytes(storage, "dev/a.bin") == b"stream"
        assert read_bytes(storage, "dev/b.bin") == b"from a path"

    def test_overwrite_replaces_content(self, storage: FileStorage) -> None:
        storage.put(KEY, b"old content")
        storage.put(KEY, b"new")
        assert read_bytes(storage, KEY) == b"new"
        assert storage.info(KEY).size == 3

    def test_missing_key_raises_file_not_found(self, storage: FileStorage) -> None:
        with pytest.raises(FileNotFoundError):
            storage.info("dev/missing.json")
        with pytest.raises(FileNotFoundError):
            storage.open_read("dev/missing.json")
        assert not exists(storage, "dev/missing.json")

    def test_list_is_recursive_sorted_and_prefix_bound(self, storage: FileStorage) -> None:
        for key in ["dev/jobs/b/x.png", "dev/jobs/a/2.png", "dev/jobs/a/1.png", "prod/z"]:
            storage.put(key, b"x")
        keys = [i.key for i in storage.list("dev/jobs/")]
        assert keys == ["dev/jobs/a/1.png", "dev/jobs/a/2.png", "dev/jobs/b/x.png"]
        assert [i.key for i in storage.list("dev/jobs/a/")] == keys[:2]
        assert list(storage.list("nothing/")) == []

    def test_get_to_local_file(self, storage: FileStorage, tmp_path: Path) -> None:
        storage.put(KEY, b"payload")
        dest = tmp_path / "sub" / "out.json"
        info = storage.get(KEY, dest)
        assert dest.read_bytes() == b"payload"
        assert info.size == 7

    def test_delete_is_idempotent(self, storage: FileStorage) -> None:
        storage.put(KEY, b"x")
        storage.delete(KEY)
        storage.delete(KEY)
        assert not exists(storage, KEY)

    def test_fingerprint_is_sha256(self, storage: FileStorage) -> None:
        data = bytes(range(256)) * 1000
        storage.put(KEY, data)
        assert storage.fingerprint(KEY) == hashlib.sha256(data).hexdigest()

    def test_unicode_content_round_trips(self, storage: FileStorage) -> None:
        text = "Procès-verbal — démolition, 2 460,00 €".encode()
        storage.put(KEY, text)
        assert read_bytes(storage, KEY) == text

    def test_empty_object(self, storage: FileStorage) -> None:
        storage.put(KEY, b"")
        assert storage.info(KEY).size == 0
        assert read_bytes(storage, KEY) == b""

    def test_copy_and_remove_prefix(self, storage: FileStorage) -> None:
        storage.put("dev/jobs/j1/a", b"1")
        storage.put("dev/jobs/j1/b/c", b"2")
        copy(storage, storage, "dev/jobs/j1/a", "dev/jobs/j2/a")
        assert read_bytes(storage, "dev/jobs/j2/a") == b"1"
        assert remove_prefix(storage, "dev/jobs/j1/") == 2
        assert [i.key for i in storage.list("dev/jobs/")] == ["dev/jobs/j2/a"]

    def test_concurrent_writers_never_tear(self, storage: FileStorage) -> None:
        payloads = [bytes([n]) * 50_000 for n in range(8)]

        def write(p: bytes) -> None:
            for _ in range(5):
                storage.put(KEY, p)

        threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert read_bytes(storage, KEY) in payloads

    def test_list_prefix_is_a_string_prefix(self, storage: FileStorage) -> None:
        for key in ["dev/jobs/a/1", "dev/jobs/ab/2", "dev/jobs/b/3", "dev/jobsx"]:
            storage.put(key, b"x")
        assert [i.key for i in storage.list("dev/jobs/a")] == ["dev/jobs/a/1", "dev/jobs/ab/2"]
        assert [i.key for i in storage.list("dev/job")] == [
            "dev/jobs/a/1",
            "dev/jobs/ab/2",
            "dev/jobs/b/3",
            "dev/jobsx",
        ]

    def test_list_reports_sizes(self, storage: FileStorage) -> None:
        storage.put("dev/s/a", b"12345")
        storage.put("dev/s/b", b"")
        assert [(i.key, i.size) for i in storage.list("dev/s/")] == [("dev/s/a", 5), ("dev/s/b", 0)]

    def test_a_known_sha256_is_the_right_one(self, storage: FileStorage) -> None:
        data = b"checksum me"
        expected = hashlib.sha256(data).hexdigest()
        info = storage.put(KEY, data)
        assert info.sha256 in (None, expected)
        assert storage.info(KEY).sha256 in (None, expected)
        assert all(i.sha256 in (None, expected) for i in storage.list("dev/"))

    def test_modified_is_a_recent_timestamp(self, storage: FileStorage) -> None:
        storage.put(KEY, b"x")
        # Loopback servers share this machine's clock; allow for coarse resolution.
        assert abs(storage.info(KEY).modified - time.time()) < 120

    def test_get_replaces_an_existing_file_and_leaves_no_temp(
        self, storage: FileStorage, tmp_path: Path
    ) -> None:
        storage.put(KEY, b"new")
        dest = tmp_path / "downloads" / "out.json"
        dest.parent.mkdir()
        dest.write_bytes(b"an older and longer content")
        storage.get(KEY, dest)
        assert dest.read_bytes() == b"new"
        assert [p.name for p in dest.parent.iterdir()] == ["out.json"]

    def test_missing_key_get_and_fingerprint(self, storage: FileStorage, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            storage.get("dev/missing.json", tmp_path / "x.json")
        assert not (tmp_path / "x.json").exists()
        with pytest.raises(FileNotFoundError):
            storage.fingerprint("dev/missing.json")

    def test_local_path_is_none_or_the_content(self, storage: FileStorage) -> None:
        storage.put(KEY, b"abc")
        path = storage.local_path(KEY)
        assert path is None or path.read_bytes() == b"abc"

    def test_large_object_round_trips(self, storage: FileStorage, tmp_path: Path) -> None:
        data = random.Random(1).randbytes(self.large_object_size)
        expected = hashlib.sha256(data).hexdigest()
        src = tmp_path / "big.bin"
        src.write_bytes(data)
        assert storage.put(KEY, src).size == len(data)
        assert storage.info(KEY).size == len(data)
        assert storage.fingerprint(KEY) == expected
        dest = tmp_path / "back.bin"
        storage.get(KEY, dest)
        assert hashlib.sha256(dest.read_bytes()).hexdigest() == expected
