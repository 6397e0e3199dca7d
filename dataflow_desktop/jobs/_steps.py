"""The steps of a job: what each does, on the pool, with its chunk files (runner.py orders them).

Pipeline modules are imported lazily: ``import pymupdf`` belongs in the worker
processes and in the steps that need it, not in every ``dataflow`` command.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import ErrorCode, InputError
from ..storage._hashing import sha256_file
from ..storage.base import FileStorage
from ..storage.ops import exists, put_owned
from ._assembly import OPTIONAL_STEPS, optional_step_plan, result_header, write_outputs
from ._assembly import step_hook as _hook
from ._schema import OutputRecord
from ._work import analyze_work, page_files
from .executor import Executor
from .progress import OUTPUT_NAMES
from .store import JobStore

if TYPE_CHECKING:
    from .runner import JobContext

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # how often a waiting job looks at its cancel flag


class StepRunner:
    """The body of each step; shared by every job of a :class:`~.runner.JobRunner`."""

    REPORT_UNITS = 5  # result.json, document.md, report.html, bundle.zip, search index

    def __init__(
        self, *, store: JobStore, storage: FileStorage, executor: Executor, settings: Settings
    ) -> None:
        self.store = store
        self.storage = storage
        self.executor = executor
        self.settings = settings

    # -- helpers ------------------------------------------------------------------------

    def _await(self, ctx: JobContext, future: Future[Any]) -> Any:
        """Wait for one pool task, watching the cancel flag."""
        try:
            while not future.done():
                wait([future], timeout=POLL_SECONDS)
                ctx.cancel.check()
        except BaseException:
            future.cancel()
            wait([future])  # a running task must not write into a folder being removed
            raise
        return future.result()

    def _chunks(
        self,
        ctx: JobContext,
        step: str,
        plan: list[range],
        *,
        complete: Callable[[int, range], bool],
        submit: Callable[[range], Future[Any]],
        done: Callable[[int, range, list[dict[str, Any]]], None],
    ) -> None:
        """Run a step's incomplete chunks, at most ``2 * max_workers`` submitted per job.

        Results are handled as soon as each chunk ends (any order), so at most a window
        of chunks is ever held in memory; a chunk counts once its ``done`` returned.
        The executor runs ``max_workers`` at a time; the others wait in its queue, so
        that a worker whose chunk ends starts the next one at once instead of waiting
        for this thread to wake up and submit it (the workers' idle time in the
        285-page book's extraction step: 0.65 -> 0.53 s, three runs each).
        """
        todo = deque(i for i, pages in enumerate(plan) if not complete(i, pages))
        total = sum(len(pages) for pages in plan)
        finished = total - sum(len(plan[i]) for i in todo)
        if len(todo) < len(plan):
            log.info("Job %s: %s reuses %d of %d chunks", ctx.job.id, step, len(plan) - len(todo),
                     len(plan))  # fmt: skip
        ctx.progress.update(step, finished, total=total)
        verb = _VERBS[step]
        window: dict[Future[Any], int] = {}

        def refill() -> None:
            while todo and len(window) < 2 * self.executor.max_workers:
                index = todo.popleft()
                window[submit(plan[index])] = index

        try:
            while todo or window:
                refill()
                ready, _ = wait(window, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                ctx.cancel.check()
                finished_chunks = [(future, window.pop(future)) for future in ready]
                # Hand the workers their next chunks before storing these chunks' files:
                # storing (copy, fsync, hash) takes this thread ~100 ms a chunk, long
                # enough for a worker to sit idle if it waited for it.
                refill()
                for future, index in finished_chunks:
                    done(index, plan[index], future.result())
                    finished += len(plan[index])
                    message = f"{verb}: {finished} of {total} pages"
                    ctx.progress.update(step, finished, message=message)
        finally:
            for future in window:
                future.cancel()
            wait(window)  # let running chunks end before the work folder may be removed

    def _submit_analysis(self, ctx: JobContext, *, markdown_body: bool = False) -> Future[Any]:
        plan = [(pages.start, pages.stop) for pages in ctx.state["plan"]]
        return self.executor.submit(analyze_work, str(ctx.work.path), plan,
                                    ctx.state["document"], markdown_body=markdown_body)  # fmt: skip

    def _prefetch_analysis(self, ctx: JobContext) -> None:
        """Start the analysis beside the raster step when no page will be OCR'd.

        Analysis reads only the extracted text, which is final once extraction ends
        unless OCR replaces some of it. Queued with the raster chunks, it fills the
        pool's idle moments instead of running alone on one core after them (the
        ``analysis`` step then waits for this result; ``runner`` cancels it on failure).
        The same task writes document.md's pages, which need no page image either.
        """
        layer: list[bool] = ctx.state["document"]["text_layer"]
        if optional_step_plan("analysis", layer, ctx.options)[0] is not None:
            return
        if optional_step_plan("ocr", layer, ctx.options)[0] is None:
            return  # OCR will change some pages' text
        ctx.state["analysis_future"] = self._submit_analysis(ctx, markdown_body=True)
        ctx.state["markdown_body"] = ctx.work.markdown_body

    def _store_files(self, ctx: JobContext, names: list[str]) -> None:
        """Put worker-written files into storage and record them as outputs."""
        records = []
        for name in dict.fromkeys(names):
            path = ctx.work.out / name
            key = ctx.key(name)
            info = put_owned(self.storage, key, path)
            records.append(OutputRecord(ctx.job.id, name, key, info.size, sha256_file(path)))
        if records:
            self.store.add_outputs(records)

    # -- steps ----------------------------------------------------------------------------

    def init(self, ctx: JobContext) -> None:
        """Copy the source into storage (once) and inspect it in the pool."""
        from ..pipeline import preflight

        job, key = ctx.job, ctx.key("source.pdf")
        if not (exists(self.storage, key) and self.storage.fingerprint(key) == job.sha256):
            source = Path(job.source_path or "")
            if not job.source_path or not source.is_file():
                raise InputError(code=ErrorCode.FILE_NOT_FOUND, detail=job.source_name)
            preflight.sniff(source, ctx.options.limits)
            info = self.storage.put(key, source)
            sha256 = self.storage.fingerprint(key)
            if sha256 != job.sha256:
                log.warning("Job %s: %s changed since it was queued", job.id, job.source_name)
                self.store.update_job(job.id, sha256=sha256, bytes=info.size)
                ctx.progress.set_source(sha256, info.size)
        local = self.storage.local_path(key)
        if local is None:
            local = ctx.work.path / "source.pdf"
            self.storage.get(key, local)
        ctx.state["pdf"] = str(local)
        document = ctx.work.read_json("inspect.json")
        if not isinstance(document, dict) or "text_layer" not in document:
            # Without the text-layer pass, which reads every page's text: extraction
            # reads it anyway and fills ``text_layer`` in (see :meth:`extraction`).
            future = self.executor.submit(
                preflight.inspect, str(local), password=ctx.password,
                limits=ctx.options.limits, with_text_layer=False,
            )  # fmt: skip
            document = self._await(ctx, future)
            document["text_layer"] = None
            ctx.work.write_json("inspect.json", document)
        ctx.state["warnings"] = list(document.pop("warnings", []))
        ctx.state["document"] = document
        pages = int(document["pages"])
        if pages < 1:
            raise InputError(code=ErrorCode.NO_PAGES)
        ctx.state["pages"] = pages
        self.store.update_job(job.id, pages=pages)
        ctx.progress.set_pages(pages)

    def extraction(self, ctx: JobContext) -> None:
        """Text, blocks, tables, images and links of every page, chunk by chunk."""
        from ..pipeline.extraction import extract_pages

        def submit(pages: range) -> Future[Any]:
            return self.executor.submit(
                extract_pages, ctx.state["pdf"], list(pages), password=ctx.password,
                options=ctx.options, out_dir=str(ctx.work.out),
            )  # fmt: skip

        plan: list[range] = ctx.state["plan"]
        native: list[list[bool] | None] = [None] * len(plan)

        def done(index: int, pages: range, items: list[dict[str, Any]]) -> None:
            self._store_files(ctx, [name for item in items for name in page_files(item)])
            ctx.work.save_chunk("extraction", index, pages, items)
            native[index] = [item["text_source"] == "native" for item in items]

        def complete(index: int, pages: range) -> bool:
            items = ctx.work.load_chunk("extraction", index, pages)
            if items is not None:
                native[index] = [item["text_source"] == "native" for item in items]
            return items is not None

        self._chunks(ctx, "extraction", plan, complete=complete, submit=submit, done=done)
        document = ctx.state["document"]
        if document["text_layer"] is None:
            document["text_layer"] = [ok for chunk in native for ok in chunk or ()]
            saved = ctx.work.read_json("inspect.json") or {}
            ctx.work.write_json("inspect.json", {**saved, "text_layer": document["text_layer"]})
        self._prefetch_analysis(ctx)

    def raster(self, ctx: JobContext) -> None:
        """Page images and thumbnails, chunk by chunk."""
        from ..pipeline.raster import render_pages

        def submit(pages: range) -> Future[Any]:
            return self.executor.submit(
                render_pages, ctx.state["pdf"], list(pages), password=ctx.password,
                options=ctx.options, out_dir=str(ctx.work.out),
            )  # fmt: skip

        def done(index: int, pages: range, items: list[dict[str, Any]]) -> None:
            self._store_files(ctx, [name for item in items for name in page_files(item)])
            ctx.work.save_chunk("raster", index, pages, items)

        plan = ctx.state["plan"]
        complete = partial(_has_chunk, ctx, "raster")
        self._chunks(ctx, "raster", plan, complete=complete, submit=submit, done=done)

    def skip_reason(self, ctx: JobContext, step: str) -> str | None:
        """Why an optional step does not run for this job, or ``None`` if it runs."""
        layer: list[bool] = ctx.state["document"]["text_layer"]
        reason, wanted = optional_step_plan(step, layer, ctx.options)
        if reason is None and step == "ocr":
            ctx.state["ocr_pages"] = wanted
            ctx.state["ocr_total"] = len(wanted)
        return reason

    def ocr(self, ctx: JobContext) -> None:
        """Recognise the text of the pages without a usable text layer, a few per task.

        ``pipeline.ocr.ocr_pages`` returns PAGE partials; each is kept in the work
        folder (``ocr/pNNNN.json``) and merged into its page when the reports are
        written. A task reads up to ``BATCH_PAGES`` pages with one engine start (the
        language data loads once); chunks are smaller when there are few pages, so
        that each worker gets at least two and a dense page does not leave the other
        worker idle. The wanted pages need not be consecutive: the plan's ranges are
        positions in ``order``.
        """
        from ..pipeline.ocr import BATCH_PAGES

        hook = _hook("ocr")
        assert hook is not None  # skip_reason ran first
        wanted: list[int] = ctx.state["ocr_pages"]
        saved = {i for i in wanted if ctx.work.read_json(f"ocr/p{i + 1:04d}.json") is not None}
        # Pages read by an earlier run come first, in a chunk of their own, so that a
        # resumed job reads no page twice.
        order = [i for i in wanted if i in saved] + [i for i in wanted if i not in saved]
        todo = len(order) - len(saved)
        size = max(1, min(BATCH_PAGES, -(-todo // (2 * self.executor.max_workers))))
        plan = [range(0, len(saved))] if saved else []
        plan += [range(a, min(a + size, len(order))) for a in range(len(saved), len(order), size)]

        def complete(_index: int, pages: range) -> bool:
            return all(order[k] in saved for k in pages)

        def submit(pages: range) -> Future[Any]:
            return self.executor.submit(
                hook, ctx.state["pdf"], [order[k] for k in pages], password=ctx.password,
                options=ctx.options, out_dir=str(ctx.work.out),
            )  # fmt: skip

        def done(_index: int, _pages: range, items: list[dict[str, Any]]) -> None:
            for fields in items:
                ctx.work.save_ocr(int(fields["number"]), fields)

        self._chunks(ctx, "ocr", plan, complete=complete, submit=submit, done=done)

    def analysis(self, ctx: JobContext) -> None:
        """Language, type, fields, keywords, summary: result.json's ``analysis``.

        Pure Python and CPU-bound, so it runs in the pool (not on a job thread, where it
        would compete for the GIL with the GUI), streaming pages from the chunk files.
        With ``settings.llm_enabled``, the LLM provider then enriches it from this
        thread: a network wait, not CPU work. A failing provider leaves the offline
        analysis and a warning; nothing is sent when it is off.
        """
        future = ctx.state.pop("analysis_future", None) or self._submit_analysis(ctx)
        analysis = self._await(ctx, future)
        if self.settings.llm_enabled:
            from ..llm.provider import enrich_job_analysis

            # Lazy: only the pages that fit the provider's budget are read.
            pages = ctx.work.iter_pages(ctx.state["plan"])
            texts = ((page["number"], page.get("text") or "") for page in pages)
            analysis, warnings = enrich_job_analysis(analysis, texts, self.settings)
            ctx.state["warnings"].extend(warnings)
        ctx.state["analysis"] = analysis

    def header(self, ctx: JobContext) -> dict[str, Any]:
        """result.json without its pages."""
        job = self.store.get(ctx.job.id)  # sha256 may have been corrected by init
        return result_header(
            source={"name": job.source_name, "sha256": job.sha256, "bytes": job.bytes},
            options=ctx.options, document=ctx.state["document"],
            warnings=ctx.state["warnings"], analysis=ctx.state.get("analysis"),
        )  # fmt: skip

    def report(self, ctx: JobContext) -> None:
        """Write the four result files from the chunk files, store them, index the text."""
        out, plan = ctx.work.out, ctx.state["plan"]

        def written(done: int) -> None:
            ctx.progress.update("report", done, message="Writing the reports")

        def index(texts: list[tuple[int, str]]) -> None:
            ctx.progress.update("report", 4, message="Indexing the text for search")
            self.store.index_pages(ctx.job.id, texts)  # a failed job's rows go with it

        extra = {output.name: out / output.name for output in self.store.outputs(ctx.job.id)}
        write_outputs(ctx.work, plan, self.header(ctx), extra=extra, cancel=ctx.cancel,
                      executor=self.executor, on_written=written, while_bundling=index,
                      markdown_body=ctx.state.get("markdown_body"))  # fmt: skip
        self._store_files(ctx, list(OUTPUT_NAMES.values()))
        ctx.progress.set_outputs(OUTPUT_NAMES)


_VERBS = {"extraction": "Extracting text", "raster": "Rendering pages", "ocr": "Recognising text"}


def _has_chunk(ctx: JobContext, step: str, index: int, pages: range) -> bool:
    return ctx.work.load_chunk(step, index, pages) is not None


__all__ = ["OPTIONAL_STEPS", "StepRunner"]
