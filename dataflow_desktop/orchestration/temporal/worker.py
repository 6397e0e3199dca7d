"""A headless Temporal worker: the ``ProcessDocument`` workflow and its activities.

One worker process polls one task queue. Its activities run on a thread pool and hand
PDF work to a spawn process pool of ``processes`` workers (the crash-isolating
:class:`~dataflow_desktop.jobs.executor.ProcessExecutor` a local job uses); at most
``processes`` activities run at once, so each has a pool process. Start as many workers
as you have machines (or cores / ``processes``): Temporal spreads the activities.

``dataflow worker`` (cli/_temporal.py) wraps :func:`run_worker`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.worker import Worker

from ...jobs.executor import Executor, ProcessExecutor
from ...storage.base import FileStorage
from ._final import DocumentActivities
from ._progress import ProgressActivities
from ._support import warm_up, worker_scratch
from .activities import StorageProvider
from .workflow import ProcessDocument

log = logging.getLogger(__name__)

LOCAL_ACTIVITY_THREADS = 4  # progress.json writes run beside the page activities


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker connects and how much it takes on.

    Attributes:
        target: the Temporal frontend, ``host:port``.
        task_queue: the queue to poll (submitters use the same).
        namespace: the Temporal namespace.
        processes: PDF worker processes, and activities run at once.
        scratch: local folder for activities' scratch folders.
        sticky_seconds: how long a workflow's next task waits for this worker before
            any worker may take it (shorter: a lost worker is noticed sooner).
        shutdown_seconds: on stop, how long running activities may take to finish
            before they are cancelled (and retried elsewhere).
        identity: the worker's name in Temporal (default ``dataflow-<pid>@<host>``).
        page_timeout_s: a pool task is stopped after this many seconds per page (0: never).
        worker_memory_mb: address-space cap of each PDF worker process (0: no cap).
    """

    target: str
    task_queue: str
    namespace: str = "default"
    processes: int = 2
    scratch: Path = Path("scratch")
    sticky_seconds: float = 10.0
    shutdown_seconds: float = 30.0
    identity: str | None = None
    page_timeout_s: float = 120.0
    worker_memory_mb: int = 4096


def default_identity() -> str:
    """``dataflow-<pid>@<host>``: which process ran an activity, in the Temporal UI."""
    return f"dataflow-{os.getpid()}@{socket.gethostname()}"


def activity_threads(config: WorkerConfig) -> ThreadPoolExecutor:
    """The thread pool activities run on: one per activity slot, local ones included."""
    return ThreadPoolExecutor(
        config.processes + LOCAL_ACTIVITY_THREADS, thread_name_prefix="dataflow-activity"
    )


def build_worker(
    client: Client,
    config: WorkerConfig,
    storage: StorageProvider,
    executor: Executor,
    threads: ThreadPoolExecutor,
) -> Worker:
    """A Temporal worker for ``config.task_queue`` over ``storage`` and ``executor``.

    The caller owns ``executor`` and ``threads`` (shut them down after the worker stopped).
    """
    pages = DocumentActivities(storage, executor, worker_scratch(config.scratch))
    progress = ProgressActivities(storage)
    return Worker(
        client,
        task_queue=config.task_queue,
        workflows=[ProcessDocument],
        activities=[
            pages.init,
            pages.extraction,
            pages.raster,
            pages.ocr,
            pages.analysis,
            pages.report,
            pages.upload,
            pages.clean,
            pages.discard,
            progress.progress,
        ],
        activity_executor=threads,
        max_concurrent_activities=config.processes,
        max_concurrent_local_activities=LOCAL_ACTIVITY_THREADS,
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=config.sticky_seconds),
        graceful_shutdown_timeout=timedelta(seconds=config.shutdown_seconds),
        identity=config.identity or default_identity(),
    )


def cached_storage(open_env: Callable[[str], FileStorage]) -> StorageProvider:
    """A :data:`StorageProvider` opening each environment's bucket once."""
    opened: dict[str, FileStorage] = {}

    def provide(env: str) -> FileStorage:
        if env not in opened:
            opened[env] = open_env(env)
        return opened[env]

    return provide


async def run_worker(
    config: WorkerConfig,
    storage: StorageProvider,
    *,
    stop: asyncio.Event,
    ready: Callable[[], None] | None = None,
) -> None:
    """Connect, poll until ``stop`` is set, then shut down gracefully.

    Args:
        config: connection and capacity.
        storage: the shared bucket of each environment.
        stop: set it (e.g. from a signal handler) to stop the worker.
        ready: called once the worker polls.
    """
    client = await Client.connect(config.target, namespace=config.namespace)
    executor = ProcessExecutor(
        config.processes, page_timeout_s=config.page_timeout_s, memory_mb=config.worker_memory_mb
    )
    threads = activity_threads(config)
    try:
        # Start the pool's processes and their imports now, not in the first activity.
        warming = [executor.submit(warm_up) for _ in range(config.processes)]
        await asyncio.gather(*(asyncio.wrap_future(future) for future in warming))
        worker = build_worker(client, config, storage, executor, threads)
        async with worker:
            name = config.identity or default_identity()
            log.info(
                "Worker %s polls %s on %s (%d processes)",
                *(name, config.task_queue, config.target, config.processes),
            )
            if ready is not None:
                ready()
            await stop.wait()
            log.info("Stopping: running activities get %.0f s to finish", config.shutdown_seconds)
    finally:
        threads.shutdown(wait=False)
        await asyncio.to_thread(executor.shutdown)


__all__ = [
    "WorkerConfig",
    "activity_threads",
    "build_worker",
    "cached_storage",
    "default_identity",
    "run_worker",
]
