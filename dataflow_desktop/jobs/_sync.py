"""Sync in a job's life: the ``upload`` and ``clean`` steps, deferred pushes, live progress.

:class:`JobSync` is the glue between the runner and ``sync/``: it lists a job's local
files (sha256 from the ``outputs`` rows, computed when they were stored), hands them
to :class:`~dataflow_desktop.sync.engine.SyncEngine` in two waves — the results, then
progress.json in its final state and the index entry — and records the job's sync
state (:class:`~._synclog.SyncStates`). ``clean`` removes the heavy local copies in
cloud-only mode, which the planner allows only once every file (progress.json first
of all) is verified in the bucket. A sync that cannot reach the network leaves the
job ``success`` and its sync ``waiting``; :meth:`JobSync.poll` retries it later.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import Cancelled, DataflowError, ErrorCode
from ..events import CancelToken
from ..storage.base import FileStorage, StorageTransientError
from ..storage.keys import job_key
from ..storage.ops import read_bytes
from ..sync._errors import SyncConflictError
from ..sync.engine import RetryPolicy, SyncEngine, SyncRequest
from ..sync.mirror import ProgressMirror
from ..sync.planner import LocalFile
from ..sync.profiles import Remote, installation_id
from ._schema import JobRecord
from ._sync_files import amend_upload, dumps, job_files, job_request, sha256_of, upload_step
from ._synclog import SqliteSyncLog, SyncState, SyncStates, SyncStatus
from .progress import read_progress
from .store import JobStore

if TYPE_CHECKING:
    from .progress import ProgressWriter
    from .runner import JobContext

log = logging.getLogger(__name__)

LIVE_STEPS = ("init", "extraction", "raster", "ocr", "analysis", "report")
RETRY_FIRST, RETRY_MAX = 30.0, 600.0  # automatic retries of a waiting sync
POLL_EVERY = 5.0


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """How the ``upload`` step ends: ``done``, ``skipped`` (waiting) or ``failed``."""

    status: str
    reason: str = ""


class JobSync:
    """Pushes this installation's jobs to one remote (see the module docstring).

    Args:
        remote: the remote (opened on first use).
        store: the job store (sync tables included).
        storage: the local storage of job files.
        settings: ``cloud_only`` and paths.
        retry: the engine's retry policy for transient failures.
        mirror_interval: seconds between two live progress.json pushes of a job.
    """

    def __init__(
        self,
        *,
        remote: Remote,
        store: JobStore,
        storage: FileStorage,
        settings: Settings,
        retry: RetryPolicy | None = None,
        mirror_interval: float = 1.0,
    ) -> None:
        self.remote = remote
        self.store = store
        self.storage = storage
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self.log = SqliteSyncLog(store)
        self.states = SyncStates(store)
        self.mirror = ProgressMirror(self.log, interval=mirror_interval)
        self.writer = installation_id()
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="dataflow-sync")
        self._lock = threading.Lock()
        self._inflight: set[str] = set()
        self._next_poll = 0.0

    def _state(self, job_id: str, status: SyncStatus, **values: Any) -> None:
        self.states.set(job_id, self.remote.name, status, **values)

    def engine(self, env: str, retry: RetryPolicy | None = None) -> SyncEngine:
        """An engine over the remote's backend of ``env``."""
        return SyncEngine(
            self.remote.storage(env),
            self.log,
            remote_name=self.remote.name,
            local=self.storage,
            retry=retry or self.retry,
        )

    def request(self, job: JobRecord, publish: dict[str, Any] | None) -> SyncRequest:
        """The job's files for the engine (see :func:`._sync_files.job_request`)."""
        return job_request(
            self.store,
            self.storage,
            job,
            publish,
            writer=self.writer,
            cloud_only=self.settings.cloud_only,
        )

    # -- the runner's hooks ------------------------------------------------------------

    def observe(self, job: JobRecord, doc: dict[str, Any]) -> None:
        """Mirror a running job's progress.json to the bucket (best effort, async)."""
        live = doc["status"] in ("queued", "running") and doc["step"] in LIVE_STEPS
        if live or doc["status"] in ("failed", "cancelled"):  # success: the engine's job
            key = job_key(job.env, job.id, "progress.json")
            self.mirror.offer(self.remote, job.env, job.id, key, dumps(doc))

    def upload(self, ctx: JobContext) -> StepOutcome:
        """The ``upload`` step: results, then the final progress.json and index entry."""
        self.mirror.close_job(ctx.job.id)
        job = self.store.get(ctx.job.id)
        outcome, request = self._push(job, ctx.progress.preview_final(), ctx.progress, ctx.cancel)
        if request is not None:
            ctx.state["sync_request"] = request
        return outcome

    def clean(self, ctx: JobContext) -> list[str]:
        """Cloud-only: remove the heavy local copies once everything is verified."""
        request: SyncRequest | None = ctx.state.get("sync_request")
        if request is None or not request.deletable:
            return []
        return self._clean(ctx.job, request, ctx.cancel)

    def finished(self, ctx: JobContext) -> None:
        """After ``success``: push the final local progress.json over the preview."""
        if ctx.state.get("sync_request") is None:
            return
        job = ctx.job
        key = job_key(job.env, job.id, "progress.json")
        try:
            blob = read_bytes(self.storage, key)
        except (OSError, DataflowError):
            log.exception("Job %s: progress.json cannot be read back", job.id)
            return
        request = SyncRequest(
            job.id, (LocalFile(key, len(blob), sha256_of(blob), data=blob),), (key,)
        )
        try:
            self.engine(job.env, RetryPolicy(attempts=2, initial=0.5, deadline=10)).push(request)
        except StorageTransientError as exc:
            log.info("Job %s: final progress.json not pushed yet (%s)", job.id, exc)
            self._waiting(job.id, exc, "The final progress.json is not in the bucket yet.")
        except DataflowError as exc:
            log.warning("Job %s: final progress.json not pushed: %s", job.id, exc)
            self._state(job.id, SyncStatus.ERROR, message=exc.user_message, error_code=exc.code)

    # -- pushing -------------------------------------------------------------------------

    def _push(
        self,
        job: JobRecord,
        publish: dict[str, Any] | None,
        progress: ProgressWriter | None = None,
        cancel: CancelToken | None = None,
    ) -> tuple[StepOutcome, SyncRequest | None]:
        name = self.remote.name
        attempts = self.states.get(job.id, name).attempts + 1
        self._state(
            job.id,
            SyncStatus.UPLOADING,
            attempts=attempts,
            error_code=None,
            conflicts=(),
            message=f"Uploading to {self.remote.description}",
            next_attempt_at=None,
        )

        def report(done: int, total: int) -> None:
            self.states.progress(job.id, name, done, total)
            if progress is not None:
                percent = 100 * done // max(total, 1)
                progress.update("upload", done, total=total, message=f"Uploading: {percent}%")

        try:
            engine = self.engine(job.env)
            request = self.request(job, publish)
            result = engine.push(request, progress=report, cancel=cancel)
        except Cancelled:
            self._state(job.id, SyncStatus.PENDING, message="Sync cancelled.")
            raise
        except StorageTransientError as exc:
            return StepOutcome("skipped", self._waiting(job.id, exc)), None
        except DataflowError as exc:
            self._state(job.id, SyncStatus.ERROR, message=exc.user_message, error_code=exc.code)
            return StepOutcome("failed", exc.user_message), None
        if result.conflicts:
            keys = [c.key for c in result.conflicts]
            conflict = SyncConflictError(
                f"{len(keys)} file(s) in the bucket differ and were not written by this job, so "
                f"they were left untouched (first: {keys[0]}). Remove or rename them remotely, "
                "then run 'dataflow sync'."
            )
            message = conflict.user_message
            self._state(
                job.id,
                SyncStatus.CONFLICT,
                message=message,
                conflicts=keys,
                error_code=conflict.code,
            )
            return StepOutcome("failed", message), None
        total = result.total_bytes
        self._state(
            job.id,
            SyncStatus.SYNCED,
            done_bytes=total,
            total_bytes=total,
            message=f"Synced to {name}",
        )
        log.info(
            "Job %s synced to %s (%d sent, %d already there)",
            job.id,
            name,
            len(result.uploaded),
            len(result.skipped),
        )
        return StepOutcome("done"), request

    def _waiting(self, job_id: str, exc: DataflowError, what: str = "") -> str:
        state = self.states.get(job_id, self.remote.name)
        delay = min(RETRY_MAX, RETRY_FIRST * 2 ** max(0, state.attempts - 1))
        message = (
            f"{what + ' ' if what else ''}Waiting for the network: {exc.user_message} "
            "The upload will be retried automatically, or run 'dataflow sync'."
        )
        self._state(
            job_id,
            SyncStatus.WAITING,
            message=message,
            error_code=ErrorCode.REMOTE_UNREACHABLE,
            next_attempt_at=time.time() + delay,
        )
        return message

    def _clean(self, job: JobRecord, request: SyncRequest, cancel: CancelToken | None) -> list[str]:
        try:
            deleted = self.engine(job.env).clean(request, cancel=cancel)
        except Cancelled:
            raise
        except DataflowError as exc:
            log.warning(
                "Job %s: local copies kept, the bucket could not be checked: %s", job.id, exc
            )
            return []
        if deleted:
            self._state(
                job.id,
                SyncStatus.SYNCED,
                cloud_only=True,
                message=f"Synced to {self.remote.name}; local copies removed",
            )
            log.info("Job %s: removed %d local copies (cloud-only)", job.id, len(deleted))
        return deleted

    def push(self, job_id: str, *, cancel: CancelToken | None = None) -> SyncState:
        """Push a finished job now (``dataflow sync``, automatic retries).

        Its local progress.json gets the upload step as done once the bucket holds
        that very document, so local and remote copies stay equal.
        """
        job = self.store.get(job_id)
        if job.status != "success":
            return self.states.get(job.id, self.remote.name)
        with self._lock:
            if job.id in self._inflight:
                return self.states.get(job.id, self.remote.name)
            self._inflight.add(job.id)
        try:
            key = job_key(job.env, job.id, "progress.json")
            doc = read_progress(self.storage, key)
            total = sum(f.size for f in job_files(self.store, self.storage, job))
            publish = amend_upload(doc, total) if doc is not None else None
            outcome, request = self._push(job, publish, cancel=cancel)
            if outcome.status == "done" and request is not None and publish is not None:
                self.storage.put(key, dumps(publish))
                self.store.save_step(upload_step(job.id, publish))
                self._clean(job, request, cancel)
        finally:
            with self._lock:
                self._inflight.discard(job.id)
        return self.states.get(job.id, self.remote.name)

    def poll(self, now: float | None = None) -> None:
        """Queue automatic retries of waiting syncs whose time has come (cheap to call)."""
        now = time.time() if now is None else now
        if now < self._next_poll:
            return
        self._next_poll = now + POLL_EVERY
        for state in self.states.unfinished(self.remote.name):
            due = state.next_attempt_at is not None and state.next_attempt_at <= now
            if state.status is SyncStatus.WAITING and due and state.job_id not in self._inflight:
                self._worker.submit(self._retry_quietly, state.job_id)

    def _retry_quietly(self, job_id: str) -> None:
        try:
            self.push(job_id)
        except DataflowError:
            log.exception("Automatic sync retry of job %s failed", job_id)

    def close(self) -> None:
        """Stop the mirror and the retry worker, close the remote."""
        self.mirror.close()
        self._worker.shutdown(wait=True, cancel_futures=True)
        self.remote.close()


__all__ = ["JobSync", "StepOutcome"]
