"""Sync against a real S3 server (SeaweedFS on 127.0.0.1): jobs, faults, conflicts, team view.

Every test gets its own key prefix in one bucket, its own data folder and config
folder. Faults are real where they can be (a SIGKILLed server, a stopped server) and
injected where they cannot (a store that damages what it is given).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pymupdf
import pytest

from dataflow_desktop.config import Settings
from dataflow_desktop.errors import ErrorCode
from dataflow_desktop.jobs import JobService, ProcessExecutor, SyncStatus
from dataflow_desktop.jobs.service import MAX_ATTEMPTS
from dataflow_desktop.storage import LocalStorage
from dataflow_desktop.storage.base import Data, FileStorage, ObjectInfo
from dataflow_desktop.storage.keys import job_prefix
from dataflow_desktop.storage.remote import StorageIntegrityError
from dataflow_desktop.storage.s3 import S3Storage
from dataflow_desktop.sync.engine import RetryPolicy, SyncEngine, SyncRequest
from dataflow_desktop.sync.log import MemorySyncLog
from dataflow_desktop.sync.planner import LocalFile
from dataflow_desktop.sync.profiles import Remote

if TYPE_CHECKING:
    from fixtures.servers import SeaweedFS

pytest_plugins = ["fixtures.servers"]
pytestmark = pytest.mark.network

BUCKET = "dataflow-sync"
MiB = 1024 * 1024
SAMPLE = Path(__file__).resolve().parents[2] / "dataflow_desktop/resources/samples"
FAST = RetryPolicy(attempts=2, initial=0.1, maximum=0.2, deadline=5)
HEAVY_DIRS = ("pages/", "thumbs/", "images/")


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv("DATAFLOW_CONFIG_DIR", str(path))
    return path


@pytest.fixture(scope="module")
def bucket(seaweedfs: SeaweedFS) -> str:
    return seaweedfs.create_bucket(BUCKET)


@pytest.fixture
def s3(seaweedfs: SeaweedFS, bucket: str) -> Iterator[S3Storage]:
    with S3Storage(
        seaweedfs.endpoint, bucket, prefix=f"t-{uuid.uuid4().hex[:12]}",
        access_key_id=seaweedfs.admin.access_key_id,
        secret_access_key=seaweedfs.admin.secret_access_key, multipart_threshold=5 * MiB,
    ) as storage:  # fmt: skip
        yield storage


def make_pdf(path: Path, pages: int, label: str) -> Path:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{label} page {number + 1}", fontsize=14)
        page.draw_rect(pymupdf.Rect(72, 100, 300, 200 + number), color=(0, 0, 1))
    doc.save(path)
    return path


def service_for(
    settings: Settings, pool: ProcessExecutor, storage: FileStorage | None
) -> JobService:
    remote = None if storage is None else Remote.fixed("team", storage)
    service = JobService(settings, LocalStorage(settings.storage_root), pool, remote=remote)
    if service.sync is not None:
        service.sync.retry = FAST
    return service


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(storage: FileStorage, key: str) -> bytes:
    with storage.open_read(key) as handle:
        return handle.read()


def local_files(settings: Settings, prefix: str) -> dict[str, str]:
    local = LocalStorage(settings.storage_root)
    return {info.key: sha(read(local, info.key)) for info in local.list(prefix)}


def process(service: JobService, paths: list[Path]) -> list[str]:
    ids = [s.job_id for s in service.submit(paths) if s.job_id]
    assert service.wait(ids, timeout=240)
    for job_id in ids:
        job = service.get(job_id)
        assert job.status == "success", job.error_message
    return ids


def test_a_batch_is_synced_with_every_remote_checksum_equal_to_the_local_file(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    pdfs = [make_pdf(tmp_path / f"doc{n}.pdf", n + 1, f"doc {n}") for n in range(3)]
    with service_for(settings, pool, s3) as service:
        ids = process(service, [*pdfs, SAMPLE / "facture-exemple.pdf"])
        for job_id in ids:
            job = service.get(job_id)
            state = service.sync_state(job_id)
            assert state.status is SyncStatus.SYNCED, state.message
            assert state.percent == 100.0
            upload = next(s for s in service.store.steps(job_id) if s.name == "upload")
            assert (upload.status, upload.done) == ("done", state.total_bytes)
            prefix = job_prefix(job.env, job.id)
            local = local_files(settings, prefix)
            remote = {i.key: i for i in s3.list(prefix)}
            assert set(remote) == set(local)  # nothing missing, nothing extra
            for key, digest in local.items():
                assert s3.info(key).sha256 == digest  # x-amz-meta-sha256
                assert sha(read(s3, key)) == digest  # and the bytes themselves
        assert {j.job_id for j in service.remote_jobs()} == set(ids)


def test_cloud_only_removes_heavy_copies_after_verification_and_pull_restores_them(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    settings = replace(settings, cloud_only=True)
    with service_for(settings, pool, s3) as service:
        (job_id,) = process(service, [make_pdf(tmp_path / "a.pdf", 3, "cloud")])
        job = service.get(job_id)
        prefix = job_prefix(job.env, job.id)
        names = {key[len(prefix) :] for key in local_files(settings, prefix)}
        assert names == {"document.md", "progress.json", "report.html", "result.json"}
        remote = {i.key[len(prefix) :] for i in s3.list(prefix)}
        assert {"source.pdf", "bundle.zip", "pages/0003.png", "thumbs/0001.png"} <= remote
        assert (
            sha(read(s3, prefix + "progress.json"))
            == local_files(settings, prefix)[prefix + "progress.json"]
        )
        state = service.sync_state(job_id)
        assert state.status is SyncStatus.SYNCED
        assert state.cloud_only
        service.pull(job_id)  # our own job: the missing local copies come back
        restored = local_files(settings, prefix)
        for output in service.store.outputs(job_id):
            assert restored[output.key] == output.sha256
        assert restored[prefix + "source.pdf"] == job.sha256


def test_a_job_interrupted_after_its_upload_is_taken_back_from_the_bucket(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    # Killed between its upload and its local success often enough that a run without
    # sync marked it failed: the bucket holds its whole results, the data folder nothing.
    pdf = make_pdf(tmp_path / "late.pdf", 2, "late upload")
    with service_for(settings, pool, s3) as service:
        (job_id,) = process(service, [pdf])
        outputs = {o.name: o.sha256 for o in service.store.outputs(job_id)}
        service.store.update_job(job_id, status="running", step="clean", owner_pid=None,
                                 attempts=MAX_ATTEMPTS)  # fmt: skip
    with service_for(settings, pool, None) as offline:
        assert offline.recover() == []
        job = offline.get(job_id)
        assert (job.status, job.error_code) == ("failed", ErrorCode.INTERRUPTED.value)
        assert offline.store.outputs(job_id) == []
    with service_for(settings, pool, s3) as service:
        (submission,) = service.submit([pdf])  # the same file again
        assert (submission.status, submission.job_id) == ("duplicate", job_id)
        assert submission.reused_from == "team"
        job = service.get(job_id)
        assert (job.status, job.error_code) == ("success", None)
        assert job.source_path == str(pdf.resolve())
        assert {o.name: o.sha256 for o in service.store.outputs(job_id)} == outputs
        restored = local_files(settings, job_prefix(job.env, job_id))
        for output in service.store.outputs(job_id):
            assert restored[output.key] == output.sha256
        assert service.sync_state(job_id).status is SyncStatus.SYNCED
        assert {hit.job_id for hit in service.search("upload")} == {job_id}  # indexed again


class DamagingStorage:
    """An S3 store that silently damages the objects whose key contains ``needle``."""

    def __init__(self, inner: S3Storage, needle: str) -> None:
        self.inner = inner
        self.needle = needle

    def put(self, key: str, data: Data) -> ObjectInfo:
        if self.needle in key:
            blob = data if isinstance(data, bytes) else Path(str(data)).read_bytes()
            data = bytes([blob[0] ^ 0xFF]) + blob[1:]
        return self.inner.put(key, data)

    def info(self, key: str) -> ObjectInfo:
        return self.inner.info(key)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        return self.inner.list(prefix)

    def open_read(self, key: str) -> BinaryIO:
        return self.inner.open_read(key)

    def get(self, key: str, dest: Path) -> ObjectInfo:
        return self.inner.get(key, dest)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def fingerprint(self, key: str) -> str:
        return self.inner.fingerprint(key)

    def local_path(self, key: str) -> Path | None:
        return None


def test_cloud_only_keeps_every_local_copy_when_verification_fails(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    settings = replace(settings, cloud_only=True)
    flaky = DamagingStorage(s3, "/pages/0002.png")
    with service_for(settings, pool, flaky) as service:
        (job_id,) = process(service, [make_pdf(tmp_path / "b.pdf", 3, "flaky")])
        job = service.get(job_id)
        assert job.status == "success"  # the results are fine locally
        state = service.sync_state(job_id)
        assert state.status is SyncStatus.ERROR
        assert "does not match the local file" in state.message
        upload = next(s for s in service.store.steps(job_id) if s.name == "upload")
        assert upload.status == "failed"
        prefix = job_prefix(job.env, job.id)
        local = local_files(settings, prefix)
        for name in ("source.pdf", "bundle.zip", "pages/0001.png", "pages/0002.png"):
            assert prefix + name in local  # nothing deleted
        # Never published as finished: the bucket only has the live (running) progress.json.
        (remote_job,) = service.remote_jobs()
        assert remote_job.status == "running"
        assert service.find_remote_duplicate(job.sha256, job.options_fp) is None


def test_a_remote_object_this_job_did_not_write_is_not_overwritten(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    with service_for(settings, pool, None) as service:  # processed with sync off
        (job_id,) = process(service, [make_pdf(tmp_path / "c.pdf", 2, "conflict")])
    job_key = job_prefix("dev", job_id) + "result.json"
    theirs = b'{"written": "by someone else"}'
    s3.put(job_key, theirs)
    with service_for(settings, pool, s3) as service:
        (state,) = service.sync_pending(include_local=True)
        assert state.status is SyncStatus.CONFLICT
        assert state.conflicts == (job_key,)
        assert read(s3, job_key) == theirs  # left alone
        remote = {i.key for i in s3.list(job_prefix("dev", job_id))}
        assert job_prefix("dev", job_id) + "pages/0001.png" in remote  # the rest went up
        assert job_prefix("dev", job_id) + "progress.json" not in remote  # never published
        s3.delete(job_key)  # the owner of the other file removes it
        (state,) = service.sync_pending()
        assert state.status is SyncStatus.SYNCED
        assert sha(read(s3, job_key)) == local_files(settings, job_prefix("dev", job_id))[job_key]


def test_a_sync_waits_for_a_stopped_server_and_completes_later(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "d.pdf", 2, "offline")
    seaweedfs.stop()
    try:
        with service_for(settings, pool, s3) as service:
            (job_id,) = process(service, [pdf])
            state = service.sync_state(job_id)
            assert state.status is SyncStatus.WAITING
            assert state.next_attempt_at is not None
            upload = next(s for s in service.store.steps(job_id) if s.name == "upload")
            assert upload.status == "skipped"
            seaweedfs.start()
            (state,) = service.sync_pending()
            assert state.status is SyncStatus.SYNCED
            prefix = job_prefix("dev", job_id)
            local = local_files(settings, prefix)
            assert {i.key for i in s3.list(prefix)} == set(local)
            assert sha(read(s3, prefix + "progress.json")) == local[prefix + "progress.json"]
            upload = next(s for s in service.store.steps(job_id) if s.name == "upload")
            assert upload.status == "done"
    finally:
        if seaweedfs.process is None:
            seaweedfs.start()


def test_a_server_killed_mid_upload_restarts_and_the_sync_resumes(
    s3: S3Storage, seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    job_id = "20261128-120000-00c0ffee"
    prefix = job_prefix("dev", job_id)
    files = []
    rng = random.Random(7)
    for n in range(120):
        path = tmp_path / f"{n:04d}.png"
        path.write_bytes(rng.randbytes(200_000))
        files.append(path)
    big = tmp_path / "bundle.zip"
    big.write_bytes(rng.randbytes(40 * MiB))
    files.append(big)
    local = tuple(
        LocalFile(prefix + (f"pages/{p.name}" if p != big else "bundle.zip"), p.stat().st_size,
                  sha(p.read_bytes()), p)
        for p in files
    )  # fmt: skip
    before = {f.key: f.sha256 for f in local}
    log = MemorySyncLog()
    engine = SyncEngine(s3, log, remote_name="team",
                        retry=RetryPolicy(attempts=8, initial=0.5, maximum=4, deadline=120))  # fmt: skip
    total = sum(f.size for f in local)
    halfway = threading.Event()
    killer_done = threading.Event()

    def progress(done: int, _total: int) -> None:
        if done > total * 0.3:
            halfway.set()

    def killer() -> None:
        if halfway.wait(timeout=120):
            seaweedfs.kill_and_restart()
        killer_done.set()

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        report = engine.push(SyncRequest(job_id, local, (prefix,)), progress=progress)
    finally:
        thread.join(timeout=180)
    assert killer_done.is_set()
    assert report.attempts >= 2  # the kill really interrupted it
    assert report.complete
    listed = {i.key: i for i in s3.list(prefix)}
    assert len(listed) == len(local)  # nothing missing, nothing duplicated
    for item in local:
        assert listed[item.key].size == item.size
        assert s3.info(item.key).sha256 == item.sha256
    assert sha(read(s3, prefix + "bundle.zip")) == before[prefix + "bundle.zip"]
    assert {f.key: sha(f.path.read_bytes()) for f in local if f.path} == before  # intact


def test_teammates_see_jobs_live_and_an_equal_pdf_is_reused_not_processed(
    settings: Settings, pool: ProcessExecutor, s3: S3Storage, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "shared.pdf", 12, "team")
    seen: list[str] = []
    alice = Settings(home=tmp_path / "alice", workers=2, concurrent_jobs=1)
    bob = Settings(home=tmp_path / "bob", workers=2, concurrent_jobs=1)
    with service_for(alice, pool, s3) as a_service, service_for(bob, pool, s3) as b_service:
        assert a_service.sync is not None
        a_service.sync.mirror._interval = 0.05
        (sub,) = a_service.submit([pdf])
        assert sub.job_id is not None
        while a_service.get(sub.job_id).active:
            seen += [job.status for job in b_service.remote_jobs() if job.job_id == sub.job_id]
            time.sleep(0.05)
        assert "running" in seen  # Bob saw Alice's job while it ran
        (remote_job,) = b_service.remote_jobs()
        assert remote_job.status == "success"
        (reused,) = b_service.submit([pdf])
        assert (reused.status, reused.job_id, reused.reused_from) == (
            "duplicate",
            sub.job_id,
            "team",
        )
        job = b_service.get(sub.job_id)
        assert job.status == "success"
        assert b_service.sync_state(job.id).status is SyncStatus.SYNCED
        files = local_files(bob, job_prefix("dev", job.id))
        for output in b_service.store.outputs(job.id):
            assert files[output.key] == output.sha256
        assert b_service.search("team page 7")


@pytest.mark.parametrize("compat", [False, True], ids=["s3", "supabase-s3"])
def test_put_many_sends_and_verifies_small_and_multipart_objects(
    seaweedfs: SeaweedFS, bucket: str, tmp_path: Path, compat: bool
) -> None:
    from dataflow_desktop.storage.batch import UploadItem, put_many

    rng = random.Random(3)
    items = []
    for n, size in enumerate([10, 300_000, 6 * MiB + 17] + [1000] * 20):
        path = tmp_path / f"{n}.bin"
        path.write_bytes(rng.randbytes(size))
        items.append(UploadItem(f"dev/batch/{n}.bin", size, sha(path.read_bytes()), path))
    items.append(UploadItem("dev/batch/doc.json", 2, sha(b"{}"), data=b"{}"))
    sent: list[int] = []
    with S3Storage(
        seaweedfs.endpoint, bucket, prefix=f"t-{uuid.uuid4().hex[:12]}",
        access_key_id=seaweedfs.admin.access_key_id, region="eu-central-1",
        secret_access_key=seaweedfs.admin.secret_access_key, multipart_threshold=5 * MiB,
        supabase_compat=compat,
    ) as storage:  # fmt: skip
        outcomes = put_many(storage, items, on_bytes=sent.append)
        assert [o.key for o in outcomes] == [i.key for i in items]
        assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
        assert sum(sent) == sum(i.size for i in items)
        for item in items:
            assert storage.info(item.key).sha256 == item.sha256
            assert sha(read(storage, item.key)) == item.sha256

        def tamper(parsed: dict[str, object], **_: object) -> None:
            # The server's proof: its CRC32 when it reports one, else its ETag.
            parsed["ETag"] = '"00000000000000000000000000000000"'
            if "ChecksumCRC32" in parsed:
                parsed["ChecksumCRC32"] = "AAAAAA=="

        storage._client.meta.events.register("after-call.s3.PutObject", tamper)
        (damaged,) = put_many(storage, items[1:2])
    assert damaged.sent
    assert isinstance(damaged.error, StorageIntegrityError)
