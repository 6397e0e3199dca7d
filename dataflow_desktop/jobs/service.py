"""``JobService``: the one object the GUI and the CLI use to run and manage jobs.

It owns the job store, the storage backend, the process pool and a small pool of job
threads (``settings.concurrent_jobs``). Jobs run on those threads; their PDF work runs
in the process pool. A monitor thread renews this process's heartbeat on its jobs and
picks up cancel requests written by other processes (``dataflow cancel``).
"""

from __future__ import annotations

import builtins
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from ..config import Settings
from ..errors import Cancelled, DataflowError, ErrorCode, InputError
from ..events import CancelFlag
from ..pipeline.options import PipelineOptions
from ..storage._hashing import sha256_file
from ..storage.base import FileStorage
from ..storage.keys import job_key, new_job_id
from ..storage.local import LocalStorage
from ..sync.profiles import Remote, get_profile
from ._admin import JobAdmin
from ._intake import Submission, expand_paths
from ._owners import HEARTBEAT_SECONDS, owned_elsewhere, this_host
from ._schema import JobRecord, SearchHit
from ._sync import JobSync
from ._synclog import SyncStatus
from ._team import JobTeam
from .executor import Executor, ProcessExecutor
from .progress import read_progress
from .runner import JobRunner, ProgressListener
from .store import JobStore

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a job that took the app down this often is not resumed again
POLL_SECONDS = 0.5


def options_from_settings(settings: Settings) -> PipelineOptions:
    """The pipeline options a job gets from the settings (here and on a Temporal cluster)."""
    ocr: Any = settings.ocr
    return PipelineOptions(dpi=settings.dpi, ocr=ocr, ocr_languages=settings.ocr_languages)


class JobService(JobAdmin, JobTeam):
    """Submit, run, cancel, retry, remove, export and search jobs; sync them (``JobTeam``).

    Args:
        settings: paths, pool size, concurrency.
        storage: where job files go (default: local storage under ``settings.storage_root``).
        executor: runs PDF work (default: a spawn process pool of ``settings.workers``,
            with ``settings.page_timeout_s`` and ``settings.worker_memory_mb``).
        on_progress: called from job threads with ``(job_id, progress document)``.
        remote: where finished jobs are synced (default: the profile named by
            ``settings.sync_remote``; neither: sync off).
    """

    def __init__(
        self,
        settings: Settings,
        storage: FileStorage | None = None,
        executor: Executor | None = None,
        *,
        on_progress: ProgressListener | None = None,
        remote: Remote | None = None,
    ) -> None:
        self.settings = settings
        self.storage: FileStorage = storage or LocalStorage(settings.storage_root)
        self.store = JobStore(settings.db_path)
        self._remotes: dict[str, Remote] = {}
        if remote is None and settings.sync_remote:
            try:
                remote = Remote.from_profile(get_profile(settings.sync_remote))
            except (DataflowError, ValueError):  # the app still runs; the CLI checks first
                log.exception("Sync is off: remote %r is not usable", settings.sync_remote)
        self.sync: JobSync | None = None
        if remote is not None:
            self.sync = JobSync(remote=remote, store=self.store, storage=self.storage,
                                settings=settings)  # fmt: skip
        self._own_executor = executor is None
        self.executor: Executor = executor or ProcessExecutor(
            settings.workers, page_timeout_s=settings.page_timeout_s,
            memory_mb=settings.worker_memory_mb,
        )  # fmt: skip
        self.runner = JobRunner(
            settings=settings, store=self.store, storage=self.storage,
            executor=self.executor, on_progress=on_progress, sync=self.sync,
        )  # fmt: skip
        self._host = this_host()
        self._threads = ThreadPoolExecutor(
            max(1, settings.concurrent_jobs), thread_name_prefix="dataflow-job"
        )
        self._cond = threading.Condition()
        self._active: dict[str, CancelFlag] = {}
        self._passwords: dict[str, str] = {}  # memory only: never written anywhere
        self._stop = threading.Event()
        self._monitor = threading.Thread(
            target=self._monitor_loop, name="dataflow-monitor", daemon=True
        )
        self._monitor.start()

    def __enter__(self) -> JobService:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def default_options(self) -> PipelineOptions:
        """Pipeline options from the settings."""
        return options_from_settings(self.settings)

    # -- running --------------------------------------------------------------------------

    def submit(
        self,
        paths: Sequence[Path | str],
        *,
        password: str | None = None,
        options: PipelineOptions | None = None,
        force: bool = False,
        reuse_remote: bool = True,
    ) -> list[Submission]:
        """Queue a job per PDF (folders are walked; files are recognised by content).

        Args:
            paths: files and folders.
            password: for encrypted PDFs; kept in memory only.
            options: pipeline options (default: :meth:`default_options`).
            force: process even when a finished job over the same bytes and options exists.
            reuse_remote: with sync on, pull a teammate's equal job from the bucket
                instead of processing (the window asks first, then passes ``False``
                for "Process again").

        Returns:
            One :class:`Submission` per file, in order.
        """
        from ..pipeline.preflight import sniff

        options = options or self.default_options()
        results: list[Submission] = []
        for path, explicit in expand_paths(paths):
            try:
                size = sniff(path, options.limits)
                sha256 = sha256_file(path)
            except InputError as exc:
                results.append(Submission(path, "skipped", error=exc, explicit=explicit))
                continue
            except OSError as exc:
                error = InputError(code=ErrorCode.FILE_NOT_FOUND, detail=str(exc))
                results.append(Submission(path, "skipped", error=error, explicit=explicit))
                continue
            fingerprint = options.fingerprint()
            duplicate = None if force else self.store.find_duplicate(sha256, fingerprint)
            if duplicate is not None:
                results.append(Submission(path, "duplicate", duplicate.id, explicit=explicit))
                continue
            reuse = reuse_remote and not force
            reused = self._reuse_remote(sha256, fingerprint) if reuse else None
            if reused is not None:  # a teammate's equal job, pulled from the bucket
                assert self.sync is not None
                results.append(Submission(path, "duplicate", reused.id, explicit=explicit,
                                          reused_from=self.sync.remote.name))  # fmt: skip
                continue
            job = self.store.create_job(
                job_id=new_job_id(), source_name=path.name, source_path=str(path.resolve()),
                sha256=sha256, size=size, options=options, env=self.settings.env,
            )  # fmt: skip
            if self.sync is not None:
                # The sync target is kept with the job from the start: a run that resumes
                # it after a crash without sync still leaves it to `dataflow sync`.
                self.sync.states.set(job.id, self.sync.remote.name, SyncStatus.PENDING)
            self._start(job, password)
            results.append(Submission(path, "queued", job_id=job.id, explicit=explicit))
        return results

    def _start(self, job: JobRecord, password: str | None) -> None:
        """Claim the job for this process and queue it on a job thread."""
        if password is not None:
            self._passwords[job.id] = password
        flag = CancelFlag()
        with self._cond:
            self._active[job.id] = flag
        self.store.update_job(
            job.id, status="queued", owner_pid=os.getpid(), owner_host=self._host,
            heartbeat_at=time.time(), attempts=job.attempts + 1,
        )  # fmt: skip
        self.runner.progress_writer(self.store.get(job.id)).queued()
        self._threads.submit(self._run, job.id, flag).add_done_callback(_log_crash)

    def _run(self, job_id: str, flag: CancelFlag) -> None:
        try:
            self.runner.run(job_id, password=self._passwords.get(job_id), cancel=flag)
        except DataflowError:
            log.exception("Job %s could not be recorded", job_id)
        finally:
            with self._cond:
                self._active.pop(job_id, None)
                self._cond.notify_all()

    def wait(self, job_ids: Iterable[str] | None = None, timeout: float | None = None) -> bool:
        """Block until the jobs (default: all of this service's) have ended."""
        wanted = None if job_ids is None else set(job_ids)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while (self._active.keys() & wanted) if wanted is not None else self._active:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(timeout=left if left is not None else 1.0)
        return True

    def active_ids(self) -> list[str]:
        """Jobs this service runs or has queued."""
        with self._cond:
            return list(self._active)

    def cancel(self, job_id: str) -> bool:
        """Ask a job to stop; returns whether it was queued or running."""
        job = self.store.get(job_id)
        if not job.active:
            return False
        with self._cond:
            flag = self._active.get(job.id)
        self.store.request_cancel(job.id)
        if flag is not None:
            flag.cancel()
        elif not owned_elsewhere(job, host=self._host):
            self.runner.abandon(job.id, "cancelled", Cancelled())  # nobody runs it
        return True

    def retry(self, job_id: str, *, password: str | None = None) -> str:
        """Run an ended (or orphaned) job again from the start; returns its id."""
        job = self._not_busy(self.store.get(job_id))
        self.runner.discard_partial(job)
        self.store.reset_run(job.id)
        self.store.update_job(job.id, attempts=0)
        self._start(self.store.get(job.id), password or self._passwords.get(job.id))
        return job.id

    def recover(self, *, resume: bool = True) -> list[str]:
        """Deal with jobs a crashed process left ``queued`` or ``running``.

        Each is resumed (complete chunk files are reused) or, when ``resume`` is false
        or it already took the app down :data:`MAX_ATTEMPTS` times, marked failed with
        ``interrupted``. Jobs of another live process are left alone.

        Returns:
            The ids of the resumed jobs.
        """
        orphans = [
            job for job in self.store.active_jobs()
            if job.id not in self.active_ids() and not owned_elsewhere(job, host=self._host)
        ]  # fmt: skip
        others = any(owned_elsewhere(j, host=self._host) for j in self.store.active_jobs())
        # Half-written temp files of a live writer (another process, or this one's own
        # running jobs: the CLI calls recover() while it follows its batch) are not litter.
        if not others and not self.active_ids():
            self.sweep_temp_files()
        resumed: list[str] = []
        for job in orphans:
            if job.cancel_requested:
                self.runner.abandon(job.id, "cancelled", Cancelled())
            elif not resume or job.attempts >= MAX_ATTEMPTS:
                log.warning("Job %s was interrupted; marking it failed", job.id)
                self.runner.abandon(job.id, "failed", DataflowError(code=ErrorCode.INTERRUPTED))
            else:
                log.info("Resuming interrupted job %s (%s)", job.id, job.source_name)
                self._start(job, self._passwords.get(job.id))
                resumed.append(job.id)
        return resumed

    # -- reading ---------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord:
        """The job with this id (or unique id prefix)."""
        return self.store.get(job_id)

    def list(self, status: str | None = None) -> list[JobRecord]:
        """Jobs, newest first."""
        return self.store.list_jobs(status)

    def search(
        self, query: str, *, limit: int = 50, markers: tuple[str, str] = ("[", "]")
    ) -> builtins.list[SearchHit]:
        """Full-text search over every page of every finished job (see ``JobStore.search``)."""
        return self.store.search(query, limit=limit, markers=markers)

    def progress(self, job_id: str) -> dict[str, Any] | None:
        """The job's progress.json as stored (``None`` before it is first written)."""
        job = self.store.get(job_id)
        return read_progress(self.storage, job_key(job.env, job.id, "progress.json"))

    def mirror_progress(self, job_id: str, doc: dict[str, Any]) -> None:
        """Record a progress.json written elsewhere (a cluster worker) in the job's rows."""
        self.runner._observe(job_id, doc)

    # -- lifetime ----------------------------------------------------------------------------

    def _monitor_loop(self) -> None:
        last_beat = 0.0
        while not self._stop.wait(POLL_SECONDS):
            ids = self.active_ids()
            if self.sync is not None:
                try:
                    self.sync.poll()  # automatic retries of syncs waiting for the network
                except DataflowError:
                    log.exception("Sync retry check could not reach the job store")
            if not ids:
                continue
            try:
                for job_id in self.store.cancel_requested(ids):
                    with self._cond:
                        flag = self._active.get(job_id)
                    if flag is not None and not flag.cancelled:
                        log.info("Cancel requested for job %s", job_id)
                        flag.cancel()
                if time.time() - last_beat >= HEARTBEAT_SECONDS:
                    self.store.heartbeat(ids, time.time())
                    last_beat = time.time()
            except DataflowError:
                log.exception("Job monitor could not reach the job store")

    def close(self) -> None:
        """Cancel running jobs, wait for them to end, stop the pool and the store."""
        with self._cond:
            flags = list(self._active.values())
        for flag in flags:
            flag.cancel()
        self._threads.shutdown(wait=True)
        self._stop.set()
        self._monitor.join()
        if self._own_executor:
            self.executor.shutdown(wait=True)
        self._passwords.clear()
        if self.sync is not None:
            self.sync.close()
        self.close_remotes()
        self.store.close()


def _log_crash(future: Future[None]) -> None:
    # A job thread's exception would otherwise vanish inside its future.
    error = future.exception()
    if error is not None:
        log.error("A job thread ended with an error", exc_info=error)


__all__ = ["JobService", "Submission", "options_from_settings"]
