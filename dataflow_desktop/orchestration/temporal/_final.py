"""The whole-document activities: analysis, report, upload (verification), clean, discard.

analysis and report rebuild the job's work folder locally from the bucket's ``work/``
files and call the same code a local job calls (:func:`~...jobs._work.analyze_work`,
:func:`~...jobs._assembly.result_header`, :func:`~...jobs._assembly.write_outputs`), so
result.json is byte-identical to a local run's for the same PDF and options.
"""

from __future__ import annotations

import logging
from typing import Any

from temporalio import activity

from ...errors import ErrorCode, StorageError
from ...jobs._assembly import KEEP_ON_FAILURE, remove_partial, result_header, write_outputs
from ...jobs._work import WorkDir, analyze_work
from ...jobs.progress import OUTPUT_NAMES
from ...pipeline.options import PipelineOptions
from ...storage._hashing import sha256_file
from ...storage.ops import remove_prefix
from ._support import Beat, JobFiles, await_pool, scratch, translated
from ._types import ANALYSIS, CLEAN, DISCARD, REPORT, UPLOAD, WORK_PREFIX, ReportResult, StepTask
from .activities import PageActivities

log = logging.getLogger(__name__)


class DocumentActivities(PageActivities):
    """The page activities plus analysis, report, upload, clean and discard."""

    def _work(self, files: JobFiles, work: WorkDir, pages: int, beat: Beat) -> list[range]:
        """Rebuild the job's work folder from the bucket; returns the chunk plan."""
        files.fetch_work(work, beat)
        return work.plan(pages, files.request.slots)  # reads the stored plan.json

    @activity.defn(name=ANALYSIS, no_thread_cancel_exception=True)
    @translated
    def analysis(self, task: StepTask) -> None:
        """Run the analysis over the stored pages; store ``work/analysis.json``."""
        files = self.files(task.request)
        beat = Beat("analysis")
        with scratch(self.scratch_root, task.request.job_id) as work:
            plan = self._work(files, work, task.pages, beat)
            document, _ = _document(work)
            spans = [(pages.start, pages.stop) for pages in plan]
            result = await_pool(
                self.executor.submit(analyze_work, str(work.path), spans, document), beat
            )
            work.write_json("analysis.json", result)
            files.put_work_file(work, "analysis.json")

    @activity.defn(name=REPORT, no_thread_cancel_exception=True)
    @translated
    def report(self, task: StepTask) -> ReportResult:
        """Write result.json, document.md, report.html and bundle.zip; store them."""
        request = task.request
        files = self.files(request)
        beat = Beat("report")
        with scratch(self.scratch_root, request.job_id) as work:
            plan = self._work(files, work, task.pages, beat)
            extra = {}
            for info in files.storage.list(files.prefix):
                name = info.key[len(files.prefix) :]
                skip = name.startswith(WORK_PREFIX) or name in KEEP_ON_FAILURE
                if not skip and name not in OUTPUT_NAMES.values():
                    extra[name] = work.out / name
            files.transfer([(files.key(name), path) for name, path in extra.items()], beat)
            document, warnings = _document(work)
            header = result_header(
                source=request.source, options=PipelineOptions.from_dict(request.options),
                document=document, warnings=warnings,
                analysis=work.read_json("analysis.json"),
            )  # fmt: skip

            def written(done: int) -> None:
                beat.progress(done, phase="write")

            paths = write_outputs(work, plan, header, extra=extra, cancel=beat,
                                  executor=self.executor, on_written=written)  # fmt: skip
            stored = [(files.key(OUTPUT_NAMES[name]), path) for name, path in paths.items()]
            files.transfer(stored, beat, upload=True)
            sha256 = {OUTPUT_NAMES[name]: sha256_file(path) for name, path in paths.items()}
        return ReportResult(dict(OUTPUT_NAMES), sha256)

    @activity.defn(name=UPLOAD, no_thread_cancel_exception=True)
    @translated
    def upload(self, task: StepTask) -> None:
        """Verify that every result file in the bucket has the checksum it was written with.

        On a cluster the activities already wrote everything to the shared bucket, so
        this step is the upload's verification half (DESIGN.md: "verified by checksum").
        """
        files = self.files(task.request)
        for name, expected in sorted(task.outputs.items()):
            actual = files.storage.fingerprint(files.key(name))
            if actual != expected:
                raise StorageError(code=ErrorCode.STORAGE_ERROR, detail=f"{name}: checksum differs")

    @activity.defn(name=CLEAN, no_thread_cancel_exception=True)
    @translated
    def clean(self, task: StepTask) -> None:
        """Remove the job's ``work/`` files from the bucket."""
        files = self.files(task.request)
        removed = remove_prefix(files.storage, files.prefix + WORK_PREFIX)
        log.info("%s: removed %d work files", task.request.job_id, removed)

    @activity.defn(name=DISCARD, no_thread_cancel_exception=True)
    @translated
    def discard(self, task: StepTask) -> None:
        """Remove everything of a failed or cancelled job but its source and progress."""
        request = task.request
        removed = remove_partial(self.storage(request.env), request.env, request.job_id)
        log.info("%s: removed %d partial files", request.job_id, removed)


def _document(work: WorkDir) -> tuple[dict[str, Any], list[Any]]:
    """inspect.json as init stored it: ``(document section, warnings)``, as a local job
    splits it."""
    document = work.read_json("inspect.json")
    if not isinstance(document, dict) or "text_layer" not in document:
        raise StorageError(code=ErrorCode.STORAGE_ERROR, detail="work/inspect.json is missing")
    warnings = list(document.pop("warnings", []))
    return document, warnings


__all__ = ["DocumentActivities"]
