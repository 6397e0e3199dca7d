""" "Run on: team cluster" against a real Temporal dev server, SeaweedFS and a Secret Service.

One ``dataflow worker`` subprocess serves the task queue with the shared bucket; the
window's engine submits through ``orchestration.temporal.client`` and follows the
job's progress.json in the bucket. Checked: the job is listed like a local one, its
progress moves while it runs on the worker, and it ends ``success`` with its results
pulled, so the viewer opens them; a job cancelled from the window ends ``cancelled``
there and in the bucket, and the worker goes on with the next one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _gui_helpers import job_named, wait_status
from _gui_team import BUCKET, SAMPLE, TeamBucket, configure_team

from dataflow_desktop.storage.keys import job_key, job_prefix

if TYPE_CHECKING:
    from conftest import WindowFactory
    from fixtures.servers import SeaweedFS, SecretServiceSession
    from fixtures.temporal import TemporalServer
    from pytestqt.qtbot import QtBot

pytest.importorskip("temporalio", reason="the temporal extra is not installed")
pytest_plugins = ["fixtures.servers", "fixtures.temporal"]
pytestmark = pytest.mark.network

QUEUE = "dataflow-gui"
BOOK = "manypages-pymupdf-mupdf-explored.pdf"


@pytest.fixture
def team(
    data_home: Path,
    seaweedfs: SeaweedFS,
    secret_service: SecretServiceSession,
    temporal_server: TemporalServer,
) -> TeamBucket:
    """Sync and "Run on: team cluster" configured for the window."""
    return configure_team(
        seaweedfs, data_home.parent / "config", run_on="cluster",
        temporal_address=temporal_server.target, temporal_task_queue=QUEUE,
    )  # fmt: skip


@pytest.fixture
def worker(
    team: TeamBucket, seaweedfs: SeaweedFS, temporal_server: TemporalServer, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """One ``dataflow worker`` (one PDF process) on the bucket's prefix."""
    keys = seaweedfs.admin
    env = dict(os.environ, AWS_ACCESS_KEY_ID=keys.access_key_id,
               AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
               DATAFLOW_HOME=str(tmp_path / "worker-home"))  # fmt: skip
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dataflow_desktop.cli", "worker",
             "--temporal", temporal_server.target, "--task-queue", QUEUE,
             "--endpoint", seaweedfs.endpoint, "--bucket", BUCKET,
             "--prefix", team.profile.prefix, "--workers", "1",
             "--sticky-timeout", "1", "--shutdown-timeout", "5"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while b"worker ready" not in log.read_bytes():
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_a_cluster_job_is_listed_with_live_progress_and_ends_success(
    qtbot: QtBot,
    make_window: WindowFactory,
    worker: subprocess.Popen[bytes],
) -> None:
    window = make_window()
    assert window.windowTitle() == "DataFlow Desktop — dev · team · team cluster"
    seen: list[tuple[str, float]] = []

    def record() -> None:
        row = job_named(window, "facture-exemple.pdf")
        if row is not None and (not seen or seen[-1] != (row.status, row.percent)):
            seen.append((row.status, row.percent))

    window.changes_applied.connect(record)
    window.controller.submit([SAMPLE / "facture-exemple.pdf"])
    row = wait_status(qtbot, window, "facture-exemple.pdf", {"success", "failed", "cancelled"})
    assert row.status == "success", row
    statuses = [status for status, _percent in seen]
    assert statuses[0] == "queued"
    assert "running" in statuses  # followed live from the bucket, not only the end
    assert any(0 < percent < 100 for status, percent in seen if status == "running"), seen
    assert row.pages == 2
    assert row.sync == "synced"
    window.jobs.select_ids([row.id])
    qtbot.waitUntil(lambda: window.viewer.document is not None, timeout=30_000)
    assert window.viewer.job_id == row.id


def test_a_cluster_job_cancelled_from_the_window_ends_cancelled_and_the_worker_goes_on(
    qtbot: QtBot,
    make_window: WindowFactory,
    worker: subprocess.Popen[bytes],
    team: TeamBucket,
    corpus: Path,
) -> None:
    window = make_window()
    window.controller.submit([corpus / BOOK])  # 285 pages on one worker process

    def running() -> None:
        row = job_named(window, BOOK)
        assert row is not None
        assert (row.status, row.step) in {("running", "extraction"), ("running", "raster")}

    qtbot.waitUntil(running, timeout=60_000)  # followed from the bucket
    row = job_named(window, BOOK)
    assert row is not None
    window.jobs.select_ids([row.id])
    assert window.commands.cancel.isEnabled()
    window.commands.cancel.trigger()
    row = wait_status(qtbot, window, BOOK, {"success", "failed", "cancelled"}, timeout=60_000)
    assert (row.status, row.error_code) == ("cancelled", "cancelled"), row
    assert row.percent < 100
    with team.storage.open_read(job_key(row.env, row.id, "progress.json")) as handle:
        assert json.load(handle)["status"] == "cancelled"  # the worker's record, in the bucket
    remote = [info.key for info in team.storage.list(job_prefix(row.env, row.id))]
    assert not any(key.endswith("bundle.zip") for key in remote), remote

    assert worker.poll() is None  # the worker goes on with the next job
    window.controller.submit([SAMPLE / "facture-exemple.pdf"])
    after = wait_status(qtbot, window, "facture-exemple.pdf", {"success", "failed", "cancelled"})
    assert after.status == "success", after
