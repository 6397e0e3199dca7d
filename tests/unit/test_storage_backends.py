"""The local and memory backends run the shared conformance suite."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from storage_conformance import StorageConformance

from dataflow_desktop.storage import InvalidKeyError, LocalStorage, MemoryStorage
from dataflow_desktop.storage.base import StoragePermissionError, StorageQuotaError
from dataflow_desktop.storage.ops import put_owned


class TestMemoryStorage(StorageConformance):
    @pytest.fixture
    def storage(self) -> MemoryStorage:
        return MemoryStorage()


class TestLocalStorage(StorageConformance):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> LocalStorage:
        return LocalStorage(tmp_path / "store")

    @pytest.mark.parametrize(
        "key", ["../escape", "/etc/passwd", "dev/../../x", "a\\b", "", "dev/./../x"]
    )
    def test_rejects_keys_that_escape_the_root(self, storage: LocalStorage, key: str) -> None:
        with pytest.raises(InvalidKeyError):
            storage.put(key, b"x")

    def test_temp_files_are_not_listed_and_can_be_swept(self, storage: LocalStorage) -> None:
        storage.put("dev/a", b"x")
        (storage.root / "dev" / ".tmp-crashed").write_bytes(b"half")
        assert [i.key for i in storage.list("dev/")] == ["dev/a"]
        assert storage.sweep_temp_files() == 1
        assert not (storage.root / "dev" / ".tmp-crashed").exists()

    def test_a_work_file_is_linked_not_copied_and_outlives_its_folder(
        self, storage: LocalStorage, tmp_path: Path
    ) -> None:
        work = tmp_path / "work" / "0001.png"
        work.parent.mkdir()
        work.write_bytes(b"page image")
        info = put_owned(storage, "dev/jobs/j/pages/0001.png", work)
        stored = storage.root / "dev/jobs/j/pages/0001.png"
        assert (info.size, stored.read_bytes()) == (10, b"page image")
        assert stored.stat().st_ino == work.stat().st_ino  # one inode: no bytes copied
        assert not [p for p in stored.parent.iterdir() if p.name.startswith(".tmp-")]
        work.unlink()  # the job's work folder is removed after its clean step
        assert storage.open_read("dev/jobs/j/pages/0001.png").read() == b"page image"

    def test_a_work_file_that_cannot_be_linked_is_copied(
        self, storage: LocalStorage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def cross_device(*_a: object) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr("dataflow_desktop.storage.local.os.link", cross_device)
        work = tmp_path / "bundle.zip"
        work.write_bytes(b"zip")
        put_owned(storage, "dev/jobs/j/bundle.zip", work)
        stored = storage.root / "dev/jobs/j/bundle.zip"
        assert stored.read_bytes() == b"zip"
        assert stored.stat().st_ino != work.stat().st_ino

    def test_delete_prunes_empty_folders(self, storage: LocalStorage) -> None:
        storage.put("dev/jobs/x/pages/0001.png", b"x")
        storage.delete("dev/jobs/x/pages/0001.png")
        assert not (storage.root / "dev").exists()
        assert storage.root.exists()

    def test_os_errors_are_translated(
        self, storage: LocalStorage, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Root ignores file modes, so inject the errno a read-only or full disk gives.
        def fail(err: OSError) -> None:
            def raiser(*_a: object, **_k: object) -> None:
                raise err

            monkeypatch.setattr("dataflow_desktop.storage.local.tempfile.mkstemp", raiser)

        fail(PermissionError(errno.EACCES, "denied"))
        with pytest.raises(StoragePermissionError):
            storage.put("dev/x", b"x")
        fail(OSError(errno.ENOSPC, "No space left on device"))
        with pytest.raises(StorageQuotaError, match="disk is full"):
            storage.put("dev/x", b"x")
