"""Runs one job: its steps in order, its progress, and its one failure boundary.

The runner is called on a job thread. PDF work goes to the process pool in page
chunks; each finished chunk's files are stored and its chunk file written to the work
folder, so a restarted job resumes at chunk level (:mod:`._work`). Cancellation is
checked between chunks. Whatever happens, the job ends ``success``, ``failed`` (with
the error's code, message and step) or ``cancelled``, and never stays ``running``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import Cancelled, DataflowError, ErrorCode
from ..events import CancelToken
from ..pipeline.options import PipelineOptions
from ..storage.base import FileStorage
from ..storage.keys import job_key
from ._assembly import remove_partial
from ._schema import JobRecord, StepRecord
from ._steps import StepRunner
from ._time import parse_iso, utc_iso
from ._work import WorkDir
from .executor import Executor
from .progress import STEPS, ProgressWriter, read_progress
from .store import JobStore

if TYPE_CHECKING:
    from ._sync import JobSync

log = logging.getLogger(__name__)

ProgressListener = Callable[[str, dict[str, Any]], None]


@dataclass
class JobContext:
    """What the steps of one run share (the password lives only here, in memory)."""

    job: JobRecord
    options: PipelineOptions
    password: str | None
    cancel: CancelToken
    work: WorkDir
    progress: ProgressWriter
    step: str = "init"
    state: dict[str, Any] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """The storage key of ``name`` in this job's folder."""
        return job_key(self.job.env, self.job.id, name)


class JobRunner:
    """Executes jobs' steps against one store, storage and executor.

    Args:
        settings: paths and pool size.
        store: the job store.
        storage: where job files go.
        executor: runs PDF work (a :class:`~.executor.ProcessExecutor` or its serial twin).
        on_progress: called with ``(job_id, progress document)`` after each write.
        sync: uploads finished jobs (``upload`` and ``clean`` steps); ``None``: sync off.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        store: JobStore,
        storage: FileStorage,
        executor: Executor,
        on_progress: ProgressListener | None = None,
        sync: JobSync | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.storage = storage
        self.executor = executor
        self.on_progress = on_progress
        self.sync = sync
        self.steps = StepRunner(store=store, storage=storage, executor=executor, settings=settings)

    def progress_writer(self, job: JobRecord) -> ProgressWriter:
        """A progress writer for ``job`` whose writes also update the job row."""
        source = {"name": job.source_name, "sha256": job.sha256, "bytes": job.bytes,
                  "pages": job.pages}  # fmt: skip

        def observe(doc: dict[str, Any]) -> None:
            self._observe(job.id, doc)
            if self.sync is not None:
                self.sync.observe(job, doc)  # live progress.json in the bucket

        return ProgressWriter(
            self.storage,
            job_key(job.env, job.id, "progress.json"),
            job_id=job.id,
            source=source,
            observer=observe,
        )

    def _observe(self, job_id: str, doc: dict[str, Any]) -> None:
        """Mirror a written progress.json into the job and step rows."""
        terminal = doc["status"] not in ("queued", "running")
        error = doc["error"] or {}
        values: dict[str, Any] = {
            "status": doc["status"], "step": doc["step"], "percent": doc["percent"],
            "message": doc["message"], "error_code": error.get("code"),
            "error_message": error.get("message"), "error_step": error.get("step"),
        }  # fmt: skip
        if terminal:
            values["ended_at"] = doc["updated_at"]
        self.store.update_job(job_id, **values)
        for entry in doc["steps"]:
            if terminal or entry["name"] == doc["step"]:
                self.store.save_step(_step_record(job_id, entry))
        if self.on_progress is not None:
            self.on_progress(job_id, doc)

    def run(self, job_id: str, *, password: str | None, cancel: CancelToken) -> str:
        """Run every step of the job; returns its final status.

        Never raises for a job failure: the failure is recorded in the store and in
        progress.json. Only a failure to record it (the store itself is broken)
        propagates.
        """
        ctx: JobContext | None = None
        try:
            job = self.store.get(job_id)
            ctx = JobContext(
                job=job,
                options=PipelineOptions.from_dict(json.loads(job.options_json)),
                password=password,
                cancel=cancel,
                work=WorkDir(self.settings.work_root, job_id),
                progress=self.progress_writer(job),
            )
            self.store.update_job(job_id, status="running", started_at=utc_iso(), ended_at=None)
            cancel.check()
            self._run_steps(ctx)
        except Cancelled as exc:
            log.info("Job %s cancelled during %s", job_id, ctx.step if ctx else "init")
            return self._end(job_id, ctx, "cancelled", exc)
        except DataflowError as exc:
            step = ctx.step if ctx else "init"
            log.warning("Job %s failed during %s: %s [%s]", job_id, step, exc, exc.code)
            return self._end(job_id, ctx, "failed", exc)
        except Exception as exc:  # the job boundary: a bug fails this job only
            log.exception("Job %s: unexpected error during %s", job_id, ctx.step if ctx else "init")
            error = DataflowError(code=ErrorCode.INTERNAL_ERROR, detail=type(exc).__name__)
            return self._end(job_id, ctx, "failed", error)
        return "success"

    def _run_steps(self, ctx: JobContext) -> None:
        steps = self.steps
        with self._step(ctx, "init", "Checking the document"):
            steps.init(ctx)
        plan = ctx.work.plan(ctx.state["pages"], self.executor.max_workers)
        ctx.state["plan"] = plan
        with self._step(ctx, "extraction", "Extracting text", total=ctx.state["pages"]):
            steps.extraction(ctx)
        with self._step(ctx, "raster", "Rendering pages", total=ctx.state["pages"]):
            steps.raster(ctx)
        for name in ("ocr", "analysis"):
            skip = steps.skip_reason(ctx, name)
            if skip:
                ctx.progress.skip_step(name, skip)
                continue
            with self._step(ctx, name, f"Running {name}", total=ctx.state.get(f"{name}_total")):
                getattr(steps, name)(ctx)
        with self._step(ctx, "report", "Writing the reports", total=steps.REPORT_UNITS):
            steps.report(ctx)
        sync = self.sync
        if sync is None:
            ctx.progress.skip_step("upload", "Sync is off")
        else:
            ctx.step = "upload"
            ctx.cancel.check()
            ctx.progress.start_step("upload", message="Uploading the results")
            outcome = sync.upload(ctx)  # a failed sync leaves the job a success
            ctx.progress.end_step("upload", status=outcome.status, reason=outcome.reason)
        with self._step(ctx, "clean", "Removing temporary files"):
            if sync is not None:
                sync.clean(ctx)  # cloud-only: heavy copies, once all is verified remotely
            ctx.work.remove()
        ctx.progress.finish("success", message="Done")
        if sync is not None:
            sync.finished(ctx)

    @contextmanager
    def _step(
        self, ctx: JobContext, name: str, message: str, *, total: int | None = None
    ) -> Iterator[None]:
        ctx.step = name
        ctx.cancel.check()
        ctx.progress.start_step(name, total=total, message=message)
        yield
        ctx.progress.end_step(name)

    def _end(self, job_id: str, ctx: JobContext | None, status: str, exc: DataflowError) -> str:
        """Record a failed or cancelled run and remove its partial outputs."""
        if ctx is None:  # failed before the run was set up
            self.abandon(job_id, status, exc)
            return status
        prefetched = ctx.state.pop("analysis_future", None)
        if prefetched is not None:  # it reads the work folder, which is removed below
            prefetched.cancel()
            wait([prefetched])
        try:
            self.discard_partial(ctx.job)
        except (DataflowError, OSError):
            log.exception("Job %s: could not remove partial outputs", ctx.job.id)
        ctx.work.remove()
        self._finish(ctx.job, ctx.progress, status, exc.to_dict(ctx.step), exc.user_message)
        return status

    def _finish(
        self,
        job: JobRecord,
        progress: ProgressWriter,
        status: str,
        error: dict[str, str | None],
        message: str,
    ) -> None:
        try:
            progress.finish(status, error=error, message=message)
        except (DataflowError, OSError):
            # progress.json cannot be written (disk full...): the row must still end.
            log.exception("Job %s: could not write progress.json", job.id)
            self.store.update_job(
                job.id, status=status, step=status, message=message,
                error_code=error["code"], error_message=error["message"],
                error_step=error["step"], ended_at=utc_iso(),
            )  # fmt: skip

    def abandon(self, job_id: str, status: str, error: DataflowError) -> None:
        """End a job that no thread runs (crash recovery, Ctrl+C, cancel of an orphan)."""
        job = self.store.get(job_id)
        progress = self.progress_writer(job)
        previous = read_progress(self.storage, job_key(job.env, job.id, "progress.json"))
        if previous is not None:
            progress.restore(previous)
        try:
            self.discard_partial(job)
        except (DataflowError, OSError):
            log.exception("Job %s: could not remove partial outputs", job_id)
        WorkDir(self.settings.work_root, job_id).remove()
        step = job.step if job.step in STEPS else None
        self._finish(job, progress, status, error.to_dict(step), error.user_message)

    def discard_partial(self, job: JobRecord) -> None:
        """Remove a job's stored results (not its source or progress), their rows and its
        search index (the report step indexes the text before its last files are stored)."""
        remove_partial(self.storage, job.env, job.id)
        self.store.clear_outputs(job.id)
        self.store.index_pages(job.id, ())


def _step_record(job_id: str, entry: Mapping[str, Any]) -> StepRecord:
    started, ended = entry.get("started_at"), entry.get("ended_at")
    duration = None
    if started and ended:
        duration = int((parse_iso(ended) - parse_iso(started)).total_seconds() * 1000)
    return StepRecord(
        job_id=job_id, name=entry["name"], status=entry["status"], done=entry.get("done"),
        total=entry.get("total"), started_at=started, ended_at=ended, duration_ms=duration,
    )  # fmt: skip


__all__ = ["STEPS", "JobContext", "JobRunner", "ProgressListener"]
