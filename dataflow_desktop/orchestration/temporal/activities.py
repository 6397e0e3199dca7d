"""The activities of ``ProcessDocument``: init and the page steps (this module), the
document steps (:mod:`._final`) and progress.json (:mod:`._progress`).

Each activity downloads what it needs from the shared bucket into a scratch folder of
its own, runs the existing pipeline functions in the worker's process pool, and writes
its outputs back under the job's prefix, so any worker can run any activity. Chunk
files have the local work folder's format (:class:`~dataflow_desktop.jobs._work.WorkDir`)
under ``work/``; a page activity whose chunk file is already complete (a retry after
its worker died just after writing it) returns at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio import activity

from ...errors import ErrorCode, InputError
from ...jobs._assembly import optional_step_plan
from ...jobs._work import WorkDir, page_files
from ...jobs.executor import Executor
from ...pipeline.options import PipelineOptions
from ...storage.base import FileStorage
from ._support import Beat, JobFiles, await_pool, scratch, translated
from ._types import (
    EXTRACTION,
    INIT,
    OCR,
    RASTER,
    ChunkResult,
    ChunkTask,
    DocumentRequest,
    InitResult,
)

log = logging.getLogger(__name__)

# Pages per pool call: the heartbeat's page progress moves this often. One call per page
# would reopen the PDF each time (10-20 % more CPU on raster, measured on the corpus).
PAGES_PER_CALL = 4

StorageProvider = Callable[[str], FileStorage]
"""The shared bucket of an environment (``dev``, ``staging``, ``prod``)."""


class PageActivities:
    """init, extraction, raster and ocr.

    Args:
        storage: the shared bucket of each environment.
        executor: the worker's process pool for PDF work.
        scratch_root: where activities make their local scratch folders.
    """

    def __init__(self, storage: StorageProvider, executor: Executor, scratch_root: Path) -> None:
        self.storage = storage
        self.executor = executor
        self.scratch_root = scratch_root

    def files(self, request: DocumentRequest) -> JobFiles:
        """The job's folder in its environment's bucket."""
        return JobFiles(self.storage(request.env), request)

    @activity.defn(name=INIT, no_thread_cancel_exception=True)
    @translated
    def init(self, request: DocumentRequest) -> InitResult:
        """Check and inspect the source; store inspect.json and plan.json; plan OCR."""
        from ...pipeline import preflight

        files = self.files(request)
        options = PipelineOptions.from_dict(request.options)
        beat = Beat("init", 1)
        with scratch(self.scratch_root, request.job_id) as work:
            work.path.mkdir(parents=True, exist_ok=True)
            pdf = files.fetch_source(work.path)
            preflight.sniff(pdf, options.limits)
            future = self.executor.submit(
                preflight.inspect, str(pdf), password=None, limits=options.limits
            )
            document: dict[str, Any] = await_pool(future, beat)
            work.write_json("inspect.json", document)
            pages = int(document["pages"])
            if pages < 1:
                raise InputError(code=ErrorCode.NO_PAGES)
            plan = work.plan(pages, request.slots)  # writes plan.json
            files.put_work_file(work, "inspect.json")
            files.put_work_file(work, "plan.json")
        layer: list[bool] = document["text_layer"]
        ocr_skip, ocr_pages = optional_step_plan("ocr", layer, options)
        analysis_skip, _ = optional_step_plan("analysis", layer, options)
        return InitResult(pages, len(plan[0]), ocr_pages, ocr_skip, analysis_skip)

    @activity.defn(name=EXTRACTION, no_thread_cancel_exception=True)
    @translated
    def extraction(self, task: ChunkTask) -> ChunkResult:
        """Text, blocks, tables, images and links of one page range."""
        from ...pipeline.extraction import extract_pages

        return self._chunk(task, extract_pages)

    @activity.defn(name=RASTER, no_thread_cancel_exception=True)
    @translated
    def raster(self, task: ChunkTask) -> ChunkResult:
        """Page images and thumbnails of one page range."""
        from ...pipeline.raster import render_pages

        return self._chunk(task, render_pages)

    @activity.defn(name=OCR, no_thread_cancel_exception=True)
    @translated
    def ocr(self, task: ChunkTask) -> ChunkResult:
        """Text recognition of some pages without a usable text layer."""
        from ...pipeline.ocr import ocr_pages

        return self._chunk(task, ocr_pages)

    def _chunk(self, task: ChunkTask, step_fn: Callable[..., list[dict[str, Any]]]) -> ChunkResult:
        """Run ``step_fn`` over the pages in the pool, :data:`PAGES_PER_CALL` at a time
        (heartbeats carry the pages done), then store the page files and chunk file(s)."""
        request, step = task.request, task.step
        files = self.files(request)
        span = range(task.pages[0], task.pages[-1] + 1)
        options = PipelineOptions.from_dict(request.options)
        beat = Beat(step, len(task.pages))
        with scratch(self.scratch_root, request.job_id) as work:
            chunk = WorkDir.chunk_name(step, task.index)
            stored = step != "ocr" and files.fetch_work_file(work, chunk)
            if stored and work.load_chunk(step, task.index, span) is not None:
                log.info("%s: %s chunk %d already stored", request.job_id, step, task.index)
                return ChunkResult(len(task.pages), 0, reused=True)
            work.out.mkdir(parents=True)
            pdf = str(files.fetch_source(work.path))
            items: list[dict[str, Any]] = []
            for first in range(0, len(task.pages), PAGES_PER_CALL):
                batch = task.pages[first : first + PAGES_PER_CALL]
                beat.progress(first, page=batch[0] + 1)
                future = self.executor.submit(
                    step_fn, pdf, batch, password=None, options=options, out_dir=str(work.out)
                )
                items.extend(await_pool(future, beat))
            names = list(dict.fromkeys(name for item in items for name in page_files(item)))
            files.transfer(
                [(files.key(name), work.out / name) for name in names], beat, upload=True
            )
            beat.progress(len(task.pages))
            if step == "ocr":
                for fields in items:
                    work.save_ocr(int(fields["number"]), fields)
                    files.put_work_file(work, f"ocr/p{int(fields['number']):04d}.json")
            else:
                work.save_chunk(step, task.index, span, items)
                files.put_work_file(work, chunk)
        return ChunkResult(len(task.pages), len(names))


__all__ = ["PageActivities", "StorageProvider"]
