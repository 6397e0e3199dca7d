"""What every activity needs: heartbeats that double as the cancel token, waiting on the
process pool, error translation, a scratch folder and the job's files in the bucket.

Activities are synchronous functions run on the worker's thread pool; PDF work goes to
its process pool (:class:`~dataflow_desktop.jobs.executor.ProcessExecutor`, as a local
job's does). They are defined with ``no_thread_cancel_exception``: cancellation is
cooperative, seen at the next heartbeat (:class:`Beat`), so a page being written is
never interrupted half-way and the pool task is waited for before its folder goes.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from temporalio import activity
from temporalio.exceptions import ApplicationError, CancelledError

from ...errors import Cancelled, DataflowError, ErrorCode, InputError, WorkerError
from ...jobs._work import WorkDir
from ...storage._hashing import sha256_file
from ...storage.base import FileStorage
from ...storage.keys import job_key, job_prefix
from ._types import WORK_PREFIX, DocumentRequest

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # how often a waiting activity beats and looks for cancellation
TRANSFER_THREADS = 8  # object store requests in flight at once per activity
P = ParamSpec("P")
R = TypeVar("R")
# Errors of the input itself: another attempt (on any worker) would fail the same way.
NON_RETRYABLE: tuple[type[DataflowError], ...] = (InputError, WorkerError)


class Beat:
    """Heartbeats carrying page progress; also the :class:`~...events.CancelToken` of
    pipeline calls made in the activity thread.

    Args:
        step: the step, reported in each heartbeat.
        total: units of work in the activity (pages, files).
    """

    def __init__(self, step: str, total: int = 0) -> None:
        self.details: dict[str, Any] = {"step": step, "done": 0, "total": total}

    @property
    def cancelled(self) -> bool:
        """Whether the workflow asked this activity to stop."""
        return activity.is_cancelled()

    def progress(self, done: int, **extra: Any) -> None:
        """Record ``done`` units and beat."""
        self.details.update(extra, done=done)
        self.check()

    def check(self) -> None:
        """Beat (the SDK throttles), then raise :class:`Cancelled` if asked to stop."""
        activity.heartbeat(dict(self.details))
        if activity.is_cancelled():
            raise Cancelled()


def await_pool(future: Future[R], beat: Beat) -> R:
    """Wait for one pool task, beating; on cancellation the task is stopped first."""
    try:
        while not future.done():
            wait([future], timeout=POLL_SECONDS)
            beat.check()
    except BaseException:
        future.cancel()
        wait([future])  # a running page must not write into a folder being removed
        raise
    return future.result()


def translated(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into what Temporal understands.

    * :class:`Cancelled` → Temporal's ``CancelledError`` (the activity ends cancelled);
    * input errors (a bad PDF, a PDF that crashes the engine) → a non-retryable
      ``ApplicationError`` whose ``type`` is the error code;
    * other known errors (storage, OCR data missing...) → a retryable ``ApplicationError``
      with the code as ``type``, so the workflow can report it after the last attempt.
    Anything else (a bug) is left to the SDK: retried, then reported as internal.
    """

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except Cancelled as exc:
            raise CancelledError("Cancelled") from exc
        except DataflowError as exc:
            info = activity.info()
            retry = not isinstance(exc, NON_RETRYABLE)
            note = "" if retry else " (not retried)"
            log.warning(
                "%s attempt %d of %s: %s [%s]%s",
                *(info.activity_type, info.attempt, info.workflow_id, exc, exc.code, note),
            )
            raise ApplicationError(
                exc.user_message, exc.detail or "", type=exc.code.value, non_retryable=not retry
            ) from exc

    return run


class JobFiles:
    """One job's folder in the shared bucket, seen from an activity."""

    def __init__(self, storage: FileStorage, request: DocumentRequest) -> None:
        self.storage = storage
        self.request = request
        self.prefix = job_prefix(request.env, request.job_id)

    def key(self, name: str) -> str:
        """The key of ``name`` in the job folder."""
        return job_key(self.request.env, self.request.job_id, name)

    def work_key(self, name: str) -> str:
        """The key of work file ``name`` (e.g. ``extraction/c0001.json``)."""
        return self.key(WORK_PREFIX + name)

    def fetch_source(self, folder: Path) -> Path:
        """Download source.pdf into ``folder``, checking it is the submitted file."""
        dest = folder / "source.pdf"
        try:
            info = self.storage.get(self.key("source.pdf"), dest)
        except FileNotFoundError as exc:
            raise InputError(code=ErrorCode.FILE_NOT_FOUND, detail="source.pdf") from exc
        # A backend that knows the digest verified the download against it.
        if (info.sha256 or sha256_file(dest)) != self.request.source["sha256"]:
            raise InputError(code=ErrorCode.FILE_NOT_FOUND, detail="source.pdf was replaced")
        return dest

    def fetch_work(self, work: WorkDir, beat: Beat) -> None:
        """Download the work files (chunks, OCR, inspect, plan, analysis) into ``work``."""
        start = len(self.prefix + WORK_PREFIX)
        infos = list(self.storage.list(self.prefix + WORK_PREFIX))
        self.transfer([(info.key, work.path / info.key[start:]) for info in infos], beat)

    def transfer(self, pairs: list[tuple[str, Path]], beat: Beat, *, upload: bool = False) -> None:
        """Download (or upload) many ``(key, local path)`` pairs, several at a time.

        Requests to an object store are latency-bound, and a report downloads every page
        image of its document: several requests in flight at once. Heartbeats (with
        ``files`` done) go on meanwhile, from this thread, the activity's; a failure
        cancels the transfers not started yet and is raised.
        """
        if not pairs:
            return
        move = self.storage.put if upload else self.storage.get
        with ThreadPoolExecutor(TRANSFER_THREADS, thread_name_prefix="dataflow-transfer") as pool:
            pending = {pool.submit(move, key, path) for key, path in pairs}
            try:
                while pending:
                    done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_EXCEPTION)
                    for future in done:
                        future.result()
                    phase = "upload" if upload else "download"
                    beat.details.update(
                        phase=phase, files=f"{len(pairs) - len(pending)}/{len(pairs)}"
                    )
                    beat.check()
            finally:
                for future in pending:
                    future.cancel()

    def fetch_work_file(self, work: WorkDir, name: str) -> bool:
        """Download work file ``name`` into ``work``; ``False`` if it is not stored."""
        try:
            self.storage.get(self.work_key(name), work.path / name)
        except FileNotFoundError:
            return False
        return True

    def put_work_file(self, work: WorkDir, name: str) -> None:
        """Upload work file ``name`` of the local ``work`` folder."""
        self.storage.put(self.work_key(name), work.path / name)


@contextmanager
def scratch(root: Path, job_id: str) -> Iterator[WorkDir]:
    """A fresh local work folder for one activity attempt, removed when it ends."""
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{job_id}-", dir=root))
    try:
        yield WorkDir(path.parent, path.name)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def worker_scratch(root: Path) -> Path:
    """This worker's scratch root; removes those of workers no longer running."""
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob("worker-*"):
        pid = old.name.removeprefix("worker-")
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    mine = root / f"worker-{os.getpid()}"
    mine.mkdir(exist_ok=True)
    return mine


def warm_up() -> int:
    """Pool task: import the pipeline in a worker process (before the first document)."""
    from ...pipeline import extraction, preflight, raster  # noqa: F401

    return os.getpid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = [
    "NON_RETRYABLE",
    "Beat",
    "JobFiles",
    "await_pool",
    "scratch",
    "translated",
    "warm_up",
    "worker_scratch",
]
