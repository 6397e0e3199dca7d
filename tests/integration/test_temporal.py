"""The pipeline as Temporal workflows, against a real Temporal dev server and SeaweedFS.

Two ``dataflow worker`` subprocesses (one PDF process each) serve one task queue; the
shared bucket is SeaweedFS. Checked: a batch of corpus PDFs gives byte-identical
result.json files to local runs; a worker SIGKILLed mid-document is replaced by the
other; a broken PDF fails at once (one attempt) with its code; a cancelled document
ends ``cancelled`` with its partial files removed; ``dataflow submit --remote`` works end
to end.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import STEPS, JobService, ProcessExecutor, progress_schema, read_progress
from dataflow_desktop.jobs.service import options_from_settings
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.storage.factory import RemoteProfile
from dataflow_desktop.storage.keys import job_key, job_prefix
from dataflow_desktop.storage.s3 import S3Storage
from dataflow_desktop.sync.profiles import save_profile

pytest.importorskip("temporalio", reason="the temporal extra is not installed")

from dataflow_desktop.orchestration.temporal import RunPolicy, submit_documents, wait_document
from dataflow_desktop.orchestration.temporal.client import cancel_document, connect

if TYPE_CHECKING:
    from fixtures.servers import SeaweedFS
    from fixtures.temporal import TemporalServer

# (Registered here, not imported with ``from``: pytest must import plugins to rewrite them.)
pytest_plugins = ["fixtures.servers", "fixtures.temporal"]
pytestmark = [pytest.mark.network, pytest.mark.corpus, pytest.mark.timeout(300)]

QUEUE = "dataflow-it"
BUCKET = "temporal-it"
BATCH = [
    "text-en-pypdf-crazyones.pdf",
    "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf",
    "text-en-pdfplumber-scotus-transcript-p1.pdf",
    "multicolumn-sample-files-latex-2col.pdf",
    "tables-camelot-twotables-2.pdf",
    "tables-camelot-column-span-1.pdf",
    "form-sample-files-libreoffice-form.pdf",
    "rotated-sample-files-habibi-rotated.pdf",
    "broken-pypdf-truncated-zero-padded.pdf",  # repaired: result.json carries a warning
    "scanned-ocrmypdf-linn-brochure.pdf",  # no text layer: the ocr activity runs
]
LONG = "text-pdfplumber-junk-before-header-rotated-chars.pdf"  # 8 pages: 4 ranges per step
BROKEN = "broken-ocrmypdf-invalid.pdf"
FAST = RunPolicy(heartbeat_seconds=2.0, retry_initial_seconds=0.5, workflow_task_seconds=3.0)


class Workers:
    """The ``dataflow worker`` subprocesses, by identity (each in its own session)."""

    def __init__(self, root: Path, env: dict[str, str], args: list[str]) -> None:
        self.root, self.env, self.args = root, env, args
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        log = self.root / f"{name}.log"
        with log.open("ab") as out:
            self.procs[name] = subprocess.Popen(
                [*self.args, "--identity", name], env=self.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while b"worker ready" not in log.read_bytes():
            assert self.procs[name].poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, f"worker {name} not ready"
            time.sleep(0.1)

    def kill(self, name: str) -> None:
        """SIGKILL the worker and its pool processes (a machine lost)."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.procs.values():
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@dataclass
class Cluster:
    """Temporal, the shared bucket and the two workers, as the tests use them.

    Attributes:
        target: the Temporal frontend.
        bucket: the shared bucket (S3 on SeaweedFS).
        workers: the worker subprocesses.
        endpoint: the S3 endpoint (for CLI runs).
        env: the environment of CLI runs (S3 keys, a private DATAFLOW_HOME).
        options: the pipeline options of the local runs (same settings).
    """

    target: str
    bucket: S3Storage
    workers: Workers
    endpoint: str
    env: dict[str, str]
    options: PipelineOptions

    def submit(self, paths: list[Path], **kwargs: Any) -> list[str]:
        """Start one workflow per file; returns the job ids."""

        async def run() -> list[str]:
            client = await connect(self.target)
            done = await submit_documents(client, self.bucket, paths, task_queue=QUEUE, slots=2,
                                          options=self.options, **kwargs)  # fmt: skip
            return [d.job_id for d in done if d.job_id]

        return asyncio.run(run())

    def wait(self, job_id: str) -> dict[str, Any]:
        """The workflow's outcome."""

        async def run() -> dict[str, Any]:
            return await wait_document(await connect(self.target), "dev", job_id)

        return asyncio.run(run())

    def history(self, job_id: str) -> list[Any]:
        """The workflow's history events."""

        async def run() -> list[Any]:
            client = await connect(self.target)
            history = await client.get_workflow_handle(f"dataflow-dev-{job_id}").fetch_history()
            return list(history.events)

        return asyncio.run(run())

    def keys(self, job_id: str) -> set[str]:
        """The job's stored files, relative to its folder."""
        prefix = job_prefix("dev", job_id)
        return {info.key[len(prefix) :] for info in self.bucket.list(prefix)}

    def progress(self, job_id: str) -> dict[str, Any]:
        """The job's progress.json."""
        doc = read_progress(self.bucket, job_key("dev", job_id, "progress.json"))
        assert doc is not None
        return doc

    def result(self, job_id: str) -> bytes:
        """The job's result.json."""
        with self.bucket.open_read(job_key("dev", job_id, "result.json")) as handle:
            return handle.read()


@pytest.fixture(scope="module")
def cluster(
    temporal_server: TemporalServer, seaweedfs: SeaweedFS, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Two ``dataflow worker`` processes (one PDF process each) on one task queue."""
    seaweedfs.create_bucket(BUCKET)
    keys = seaweedfs.admin
    bucket = S3Storage(seaweedfs.endpoint, BUCKET, access_key_id=keys.access_key_id,
                       secret_access_key=keys.secret_access_key)  # fmt: skip
    env = dict(os.environ, AWS_ACCESS_KEY_ID=keys.access_key_id,
               AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
               DATAFLOW_HOME=str(tmp_path_factory.mktemp("worker-home")))  # fmt: skip
    args = [sys.executable, "-m", "dataflow_desktop.cli", "worker",
            "--temporal", temporal_server.target, "--task-queue", QUEUE,
            "--endpoint", seaweedfs.endpoint, "--bucket", BUCKET, "--workers", "1",
            "--sticky-timeout", "1", "--shutdown-timeout", "5"]  # fmt: skip
    workers = Workers(tmp_path_factory.mktemp("workers"), env, args)
    options = options_from_settings(Settings(home=Path("unused")))
    try:
        workers.start("worker-a")
        workers.start("worker-b")
        yield Cluster(temporal_server.target, bucket, workers, seaweedfs.endpoint, env, options)
    finally:
        workers.stop()


@pytest.fixture(scope="module")
def local_results(
    pool: ProcessExecutor, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """result.json of the batch and LONG processed by a local JobService, by file name."""
    settings = Settings(home=tmp_path_factory.mktemp("local-home"), workers=2, concurrent_jobs=2)
    with JobService(settings, executor=pool) as service:
        subs = service.submit([corpus_dir / name for name in [*BATCH, LONG]], force=True)
        ids = [s.job_id for s in subs if s.job_id]
        assert service.wait(ids, timeout=240)
        results = {}
        for job_id in ids:
            job = service.get(job_id)
            assert job.status == "success", (job.source_name, job.error)
            local = service.storage.local_path(job_key("dev", job_id, "result.json"))
            assert local is not None
            results[job.source_name] = local.read_bytes()
    return results


def test_batch_on_two_workers_equals_local_runs(
    cluster: Cluster, corpus_dir: Path, local_results: dict[str, bytes]
) -> None:
    paths = [corpus_dir / name for name in BATCH]
    ids = cluster.submit(paths)
    assert len(ids) == len(BATCH)
    validator = jsonschema.Draft202012Validator(progress_schema())
    identities: set[str] = set()
    for path, job_id in zip(paths, ids, strict=True):
        outcome = cluster.wait(job_id)
        assert outcome["status"] == "success", (path.name, outcome)
        doc = cluster.progress(job_id)
        validator.validate(doc)
        assert (doc["status"], doc["step"], doc["percent"]) == ("success", "success", 100.0)
        assert [step["name"] for step in doc["steps"]] == list(STEPS)
        assert cluster.result(job_id) == local_results[path.name], f"{path.name} differs"
        keys = cluster.keys(job_id)
        assert {"source.pdf", "progress.json", "result.json", "document.md", "report.html",
                "bundle.zip", "pages/0001.png", "thumbs/0001.png"} <= keys  # fmt: skip
        assert not any(key.startswith("work/") for key in keys), "clean left work files"
        for event in cluster.history(job_id):
            if event.HasField("activity_task_started_event_attributes"):
                identities.add(event.activity_task_started_event_attributes.identity)
    assert identities == {"worker-a", "worker-b"}, "both workers should have taken activities"
    ocr = cluster.progress(ids[BATCH.index("scanned-ocrmypdf-linn-brochure.pdf")])
    assert next(s for s in ocr["steps"] if s["name"] == "ocr")["status"] == "done"


def test_broken_pdf_fails_once_with_its_code(cluster: Cluster, corpus_dir: Path) -> None:
    (job_id,) = cluster.submit([corpus_dir / BROKEN])
    outcome = cluster.wait(job_id)
    assert outcome["status"] == "failed"
    assert outcome["error"]["code"] == "corrupt_pdf"
    doc = cluster.progress(job_id)
    assert (doc["status"], doc["step"]) == ("failed", "failed")
    assert doc["error"]["code"] == "corrupt_pdf"
    assert doc["error"]["step"] == "init"
    assert doc["error"]["message"].startswith("The PDF is damaged")
    events = cluster.history(job_id)
    scheduled = [e for e in events if e.HasField("activity_task_scheduled_event_attributes")
                 and e.activity_task_scheduled_event_attributes.activity_type.name == "dataflow.init"]  # fmt: skip
    started = [e.activity_task_started_event_attributes for e in events
               if e.HasField("activity_task_started_event_attributes")]  # fmt: skip
    failed = [e.activity_task_failed_event_attributes for e in events
              if e.HasField("activity_task_failed_event_attributes")]  # fmt: skip
    assert len(scheduled) == 1
    assert [s.attempt for s in started][:1] == [1]
    assert failed
    assert failed[0].failure.application_failure_info.type == "corrupt_pdf"
    assert failed[0].failure.application_failure_info.non_retryable
    assert cluster.keys(job_id) == {"source.pdf", "progress.json"}


def test_cancelled_document_ends_cancelled_and_clean(cluster: Cluster, corpus_dir: Path) -> None:
    (job_id,) = cluster.submit([corpus_dir / LONG], policy=FAST)
    deadline = time.monotonic() + 60
    while cluster.progress(job_id)["step"] not in ("extraction", "raster"):
        assert time.monotonic() < deadline, "the document never reached its page steps"
        time.sleep(0.05)

    async def cancel() -> None:
        await cancel_document(await connect(cluster.target), "dev", job_id)

    asyncio.run(cancel())
    outcome = cluster.wait(job_id)
    assert outcome["status"] == "cancelled"
    doc = cluster.progress(job_id)
    assert (doc["status"], doc["step"]) == ("cancelled", "cancelled")
    assert doc["error"]["code"] == "cancelled"
    assert doc["outputs"] == {}
    assert cluster.keys(job_id) == {"source.pdf", "progress.json"}


def test_killed_worker_is_replaced_by_the_other(
    cluster: Cluster, corpus_dir: Path, local_results: dict[str, bytes]
) -> None:
    (job_id,) = cluster.submit([corpus_dir / LONG], policy=FAST)

    async def running_on() -> str | None:
        client = await connect(cluster.target)
        handle = client.get_workflow_handle(f"dataflow-dev-{job_id}")
        for pending in (await handle.describe()).raw_description.pending_activities:
            if pending.state == 2 and pending.activity_type.name in (  # STARTED
                "dataflow.extraction",
                "dataflow.raster",
            ):
                return pending.last_worker_identity
        return None

    deadline = time.monotonic() + 60
    while (victim := asyncio.run(running_on())) is None:
        assert time.monotonic() < deadline, "no page activity was seen running"
        time.sleep(0.03)
    cluster.workers.kill(victim)
    killed_at = time.time()
    try:
        outcome = cluster.wait(job_id)
        assert outcome["status"] == "success", outcome
        assert cluster.result(job_id) == local_results[LONG]
        retried = [
            e for e in cluster.history(job_id)
            if e.HasField("activity_task_started_event_attributes")
            and e.activity_task_started_event_attributes.attempt > 1
        ]  # fmt: skip
        assert retried, "the killed worker's activity was not retried"
        survivor = {"worker-a", "worker-b"} - {victim}
        assert {e.activity_task_started_event_attributes.identity for e in retried} == survivor
        # Noticed by the 2 s heartbeat timeout, not by the 30 min start-to-close one.
        first_retry = min(e.event_time.ToMicroseconds() / 1e6 for e in retried)
        assert first_retry - killed_at < 20
    finally:
        cluster.workers.start(victim)


def test_cli_submit_to_a_remote_profile_prints_the_result(
    cluster: Cluster, corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``dataflow submit --remote NAME``: the bucket from a profile (the workers use
    ``--endpoint``), the secret from ``AWS_SECRET_ACCESS_KEY``."""
    monkeypatch.setenv("DATAFLOW_CONFIG_DIR", str(tmp_path))
    keys = cluster.env["AWS_ACCESS_KEY_ID"]
    save_profile(RemoteProfile(name="team lake", kind="s3", endpoint=cluster.endpoint,
                               bucket=BUCKET, access_key_id=keys))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "dataflow_desktop.cli", "submit", str(corpus_dir / BATCH[0]),
         "--temporal", cluster.target, "--task-queue", QUEUE, "--remote", "team lake", "--json"],
        env={**cluster.env, "DATAFLOW_CONFIG_DIR": str(tmp_path)},
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    line = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert line["status"] == "success"
    assert line["outputs"]["result"] == job_key("dev", line["job_id"], "result.json")
    assert json.loads(cluster.result(line["job_id"]))["source"]["name"] == BATCH[0]
