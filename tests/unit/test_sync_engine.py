"""The sync executor against in-memory storage with injected faults (no network)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from dataflow_desktop.errors import Cancelled
from dataflow_desktop.events import CancelFlag
from dataflow_desktop.storage import MemoryStorage, StoragePermissionError, StorageTransientError
from dataflow_desktop.storage.base import Data, ObjectInfo
from dataflow_desktop.storage.remote import StorageIntegrityError
from dataflow_desktop.sync.engine import RetryPolicy, SyncEngine, SyncRequest
from dataflow_desktop.sync.log import LogUpdate, MemorySyncLog
from dataflow_desktop.sync.planner import LocalFile, LogState

JOB_ID = "20261128-100000-0123abcd"
PREFIX = f"dev/jobs/{JOB_ID}/"
FAST = RetryPolicy(attempts=3, initial=0.01, maximum=0.02, deadline=5)


class FaultyStorage(MemoryStorage):
    """Memory storage that counts puts, fails some, or stores damaged bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.puts: list[str] = []
        self.transient_failures = 0
        self.denied: set[str] = set()
        self.corrupt: set[str] = set()

    def put(self, key: str, data: Data) -> ObjectInfo:
        self.puts.append(key)
        if self.transient_failures > 0:
            self.transient_failures -= 1
            raise StorageTransientError("The storage server cannot be reached right now.")
        if key in self.denied:
            raise StoragePermissionError("Access key 'k' is not allowed to write.")
        blob = data if isinstance(data, bytes) else Path(str(data)).read_bytes()
        if key in self.corrupt:
            blob = bytes([blob[0] ^ 0xFF]) + blob[1:]  # a flipped byte, same size
        return super().put(key, blob)


def files(tmp_path: Path, count: int = 4) -> tuple[LocalFile, ...]:
    out = []
    for n in range(count):
        path = tmp_path / f"{n:04d}.png"
        path.write_bytes(f"page {n} ".encode() * (n + 10))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        out.append(LocalFile(f"{PREFIX}pages/{n:04d}.png", path.stat().st_size, digest, path))
    doc = b'{"status": "success"}'
    out.append(LocalFile(PREFIX + "progress.json", len(doc), hashlib.sha256(doc).hexdigest(),
                         data=doc, wave=1))  # fmt: skip
    return tuple(out)


def request(local: tuple[LocalFile, ...], **kwargs: Any) -> SyncRequest:
    return SyncRequest(JOB_ID, local, (PREFIX,), **kwargs)


def engine(remote: FaultyStorage, log: MemorySyncLog, **kwargs: Any) -> SyncEngine:
    return SyncEngine(remote, log, remote_name="team", retry=FAST, **kwargs)


def test_push_uploads_verifies_logs_and_a_second_push_sends_nothing(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    local = files(tmp_path)
    seen: list[tuple[int, int]] = []
    report = engine(remote, log).push(request(local), progress=lambda d, t: seen.append((d, t)))
    assert report.complete
    assert sorted(report.uploaded) == sorted(f.key for f in local)
    for item in local:
        assert remote.fingerprint(item.key) == item.sha256
    snapshot = log.snapshot(JOB_ID, "team")
    assert {e.state for e in snapshot.values()} == {LogState.VERIFIED}
    assert seen[-1][1] == sum(f.size for f in local)
    remote.puts.clear()
    again = engine(remote, log).push(request(local))
    assert again.complete
    assert remote.puts == []
    assert len(again.skipped) == len(local)


def test_progress_json_goes_only_after_the_results_are_verified(tmp_path: Path) -> None:
    remote = FaultyStorage()
    engine(remote, MemorySyncLog()).push(request(files(tmp_path)))
    assert remote.puts[-1] == PREFIX + "progress.json"


def test_transient_failures_are_retried(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    remote.transient_failures = 2
    report = engine(remote, log).push(request(files(tmp_path)))
    assert report.complete
    assert report.attempts == 2


def test_still_failing_after_the_policy_raises_transient(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    remote.transient_failures = 10_000
    with pytest.raises(StorageTransientError):
        engine(remote, log).push(request(files(tmp_path)))
    states = {e.state for e in log.snapshot(JOB_ID, "team").values()}
    assert states == {LogState.PENDING}  # remembered, sent again next time


def test_a_missing_right_is_not_retried(tmp_path: Path) -> None:
    remote = FaultyStorage()
    local = files(tmp_path)
    remote.denied.add(local[1].key)
    with pytest.raises(StoragePermissionError):
        engine(remote, MemorySyncLog()).push(request(local))
    assert remote.puts.count(local[1].key) == 1


def test_a_damaged_copy_is_caught_marked_and_sent_again(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    local = files(tmp_path)
    remote.corrupt.add(local[0].key)
    with pytest.raises(StorageIntegrityError):
        engine(remote, log).push(request(local))
    assert log.snapshot(JOB_ID, "team")[local[0].key].state is LogState.CORRUPT
    assert PREFIX + "progress.json" not in remote.puts  # the next wave never started
    remote.corrupt.clear()  # the fault is gone: our own damaged copy is replaced
    report = engine(remote, log).push(request(local))
    assert report.complete
    assert remote.fingerprint(local[0].key) == local[0].sha256


def test_a_conflict_is_left_alone_and_blocks_the_next_wave(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    local = files(tmp_path)
    remote.put(local[2].key, b"a teammate's different file")
    remote.puts.clear()
    report = engine(remote, log).push(request(local))
    assert [c.key for c in report.conflicts] == [local[2].key]
    assert not report.complete
    assert remote.fingerprint(local[2].key) != local[2].sha256  # not overwritten
    assert local[2].key not in remote.puts
    assert PREFIX + "progress.json" not in remote.puts


def test_an_interrupted_sync_resumes_without_sending_again(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    local = files(tmp_path)
    # As after a crash: two objects were stored, the log only says "pending".
    log.record(
        JOB_ID, "team", [LogUpdate(f.key, f.sha256, f.size, LogState.PENDING) for f in local]
    )
    for item in local[:2]:
        assert item.path is not None
        remote.put(item.key, item.path)
    remote.puts.clear()
    report = engine(remote, log).push(request(local))
    assert report.complete
    assert sorted(remote.puts) == sorted(f.key for f in local[2:])


def test_clean_deletes_local_copies_only_once_everything_is_verified(tmp_path: Path) -> None:
    remote, log = FaultyStorage(), MemorySyncLog()
    local_storage = MemoryStorage()
    local = files(tmp_path)
    for item in local:
        local_storage.put(item.key, item.data if item.data is not None else item.path or b"")
    heavy = frozenset(f.key for f in local if "/pages/" in f.key)
    req = request(local, deletable=heavy, anchors=frozenset({PREFIX + "progress.json"}))
    sync = engine(remote, log, local=local_storage)
    remote.corrupt.add(local[3].key)
    with pytest.raises(StorageIntegrityError):
        sync.push(req)
    assert sync.clean(req) == []  # one copy failed verification: nothing deleted
    assert len(list(local_storage.list(PREFIX))) == len(local)
    remote.corrupt.clear()
    assert sync.push(req).complete
    assert sorted(sync.clean(req)) == sorted(heavy)
    assert [i.key for i in local_storage.list(PREFIX)] == [PREFIX + "progress.json"]
    assert all(log.snapshot(JOB_ID, "team")[k].local_deleted for k in heavy)


def test_cancel_stops_the_push(tmp_path: Path) -> None:
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        engine(FaultyStorage(), MemorySyncLog()).push(request(files(tmp_path)), cancel=flag)
