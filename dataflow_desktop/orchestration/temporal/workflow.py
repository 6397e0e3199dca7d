"""``ProcessDocument``: one PDF through init → extraction → raster → ocr → analysis →
report → upload → clean, as Temporal activities any worker can run.

The workflow is the only writer of progress.json: each change is one short local
activity (``dataflow.progress``) awaited in order, so concurrent page activities never
race on the file. Page ranges of a step run as parallel activities (at most
``policy.max_inflight`` at once) and their results are merged in page order by the
report activity. An input error ends the document ``failed`` at once (the activity
raised a non-retryable ``ApplicationError`` typed with the error code); a lost worker's
activity times out on its heartbeat and is retried on another. Cancelling the workflow
cancels the running activities, waits for them to stop, removes the partial files and
ends ``cancelled``.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception
from temporalio.exceptions import TimeoutError as TemporalTimeoutError

with workflow.unsafe.imports_passed_through():
    from ...errors import MESSAGES, ErrorCode
    from ._types import (
        ANALYSIS,
        CLEAN,
        DISCARD,
        INIT,
        PAGE_ACTIVITIES,
        PROGRESS,
        REPORT,
        UPLOAD,
        WORKFLOW_NAME,
        ChunkResult,
        ChunkTask,
        DocumentRequest,
        InitResult,
        ProgressOp,
        ReportResult,
        StepTask,
    )  # fmt: skip

_VERBS = {"extraction": "Extracting text", "raster": "Rendering pages", "ocr": "Recognising text"}


@workflow.defn(name=WORKFLOW_NAME)
class ProcessDocument:
    """Turns one stored PDF into its result files in the shared bucket."""

    def __init__(self) -> None:
        self._step = "init"

    @workflow.query
    def step(self) -> str:
        """The step running now (or the terminal status)."""
        return self._step

    @workflow.run
    async def run(self, request: DocumentRequest) -> dict[str, Any]:
        """Process the document; returns ``{"status": "success", "outputs": {...}}``.

        Raises:
            ApplicationError: the document failed (``type`` is the error code).
            asyncio.CancelledError: the workflow was cancelled.
        """
        self._request = request
        try:
            outputs = await self._pipeline()
        except (ActivityError, asyncio.CancelledError) as exc:
            if is_cancelled_exception(exc):
                await self._end("cancelled", _error(ErrorCode.CANCELLED, self._step))
                raise
            error = _failure(exc, self._step)
            await self._end("failed", error)
            message, code = error["message"], error["code"]
            raise ApplicationError(message, type=code, non_retryable=True) from exc
        return {"status": "success", "outputs": outputs}

    async def _pipeline(self) -> dict[str, str]:
        request = self._request
        await self._progress("start", "init", message="Checking the document")
        init = await self._call(INIT, request, InitResult)
        await self._progress("end", "init", pages=init.pages)
        ranges = _split(list(range(init.pages)), init.chunk)
        await self._pages("extraction", ranges)
        await self._pages("raster", ranges)
        if init.ocr_skip is not None:
            await self._progress("skip", "ocr", message=init.ocr_skip)
        else:
            await self._pages("ocr", _split(init.ocr_pages, init.chunk))
        task = StepTask(request, pages=init.pages)
        if init.analysis_skip is not None:
            await self._progress("skip", "analysis", message=init.analysis_skip)
        else:
            await self._progress("start", "analysis", message="Running analysis")
            await self._call(ANALYSIS, task, type(None))
            await self._progress("end", "analysis")
        await self._progress("start", "report", message="Writing the reports")
        report: ReportResult = await self._call(REPORT, task, ReportResult)
        await self._progress("end", "report", outputs=report.outputs)
        await self._progress("start", "upload", message="Verifying the results in the bucket")
        await self._call(UPLOAD, StepTask(request, init.pages, report.sha256), type(None))
        await self._progress("end", "upload")
        await self._progress("start", "clean", message="Removing temporary files")
        await self._call(CLEAN, task, type(None))
        await self._progress("end", "clean")
        self._step = "success"
        await self._progress("finish", status="success", message="Done")
        return report.outputs

    async def _pages(self, step: str, chunks: list[list[int]]) -> None:
        """Run a step's page activities in parallel; progress after each one ends."""
        total = sum(len(pages) for pages in chunks)
        await self._progress("start", step, total=total, message=_VERBS[step])
        todo = [ChunkTask(self._request, step, i, pages) for i, pages in enumerate(chunks)]
        todo.reverse()
        running: dict[asyncio.Task[ChunkResult], ChunkTask] = {}
        finished = 0
        try:
            while todo or running:
                while todo and len(running) < self._request.policy.max_inflight:
                    task = todo.pop()
                    running[self._start(PAGE_ACTIVITIES[step], task)] = task
                await workflow.wait(list(running), return_when=asyncio.FIRST_COMPLETED)
                for handle in [h for h in running if h.done()]:  # insertion order: replayable
                    task = running.pop(handle)
                    handle.result()  # raises the activity's error
                    finished += len(task.pages)
                message = f"{_VERBS[step]}: {finished} of {total} pages"
                await self._progress("update", step, done=finished, total=total, message=message)
        finally:
            for handle in running:
                handle.cancel()
            if running:  # wait for the cancelled activities to stop writing files
                await asyncio.gather(*running, return_exceptions=True)
        await self._progress("end", step)

    # -- activities ------------------------------------------------------------------

    def _retry(self) -> RetryPolicy:
        policy = self._request.policy
        return RetryPolicy(
            initial_interval=timedelta(seconds=policy.retry_initial_seconds),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(seconds=policy.retry_max_seconds),
            maximum_attempts=policy.max_attempts,
        )

    def _start(self, name: str, task: ChunkTask) -> asyncio.Task[ChunkResult]:
        policy = self._request.policy
        return workflow.start_activity(
            name, task, result_type=ChunkResult, retry_policy=self._retry(),
            start_to_close_timeout=timedelta(seconds=policy.chunk_seconds),
            heartbeat_timeout=timedelta(seconds=policy.heartbeat_seconds),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            summary=f"{task.step} pages {task.pages[0] + 1}-{task.pages[-1] + 1}",
        )  # fmt: skip

    async def _call(self, name: str, arg: Any, result_type: type[Any]) -> Any:
        self._step = _STEP_OF[name]
        policy = self._request.policy
        return await workflow.execute_activity(
            name, arg, result_type=result_type, retry_policy=self._retry(),
            start_to_close_timeout=timedelta(seconds=policy.step_seconds),
            heartbeat_timeout=timedelta(seconds=policy.heartbeat_seconds),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
        )  # fmt: skip

    async def _progress(self, action: str, step: str = "", **fields: Any) -> None:
        if step:
            self._step = step
        op = ProgressOp(self._request.env, self._request.job_id, action, step, **fields)
        await workflow.execute_local_activity(
            PROGRESS, op, result_type=type(None), retry_policy=self._retry(),
            start_to_close_timeout=timedelta(seconds=self._request.policy.progress_seconds),
        )  # fmt: skip

    async def _end(self, status: str, error: dict[str, Any]) -> None:
        """Remove the partial files, then record the terminal state (``error`` names the step)."""
        try:
            await self._call(DISCARD, StepTask(self._request), type(None))
        except ActivityError as exc:  # the state is recorded all the same
            workflow.logger.warning("Could not remove the partial files: %s", exc.cause)
        self._step = status
        await self._progress("finish", status=status, error=error, message=error["message"])


_CODES = frozenset(code.value for code in ErrorCode)
_STEP_OF = {INIT: "init", ANALYSIS: "analysis", REPORT: "report", UPLOAD: "upload",
            CLEAN: "clean", DISCARD: "clean"}  # fmt: skip


def _split(pages: list[int], size: int) -> list[list[int]]:
    """``pages`` in consecutive runs of ``size`` (the page ranges of a step)."""
    return [pages[i : i + size] for i in range(0, len(pages), size)]


def _error(code: ErrorCode, step: str) -> dict[str, Any]:
    return {"code": code.value, "message": MESSAGES[code], "step": step}


def _failure(exc: BaseException, step: str) -> dict[str, Any]:
    """progress.json's ``error`` for a failed activity (its code when it is one of ours)."""
    cause = exc.cause if isinstance(exc, ActivityError) else None
    if isinstance(cause, ApplicationError) and cause.type in _CODES:
        return {"code": cause.type, "message": cause.message, "step": step}
    if isinstance(cause, TemporalTimeoutError):
        return _error(ErrorCode.WORKER_TIMEOUT, step)
    return _error(ErrorCode.INTERNAL_ERROR, step)


__all__ = ["ProcessDocument"]
