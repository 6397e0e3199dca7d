"""The pure parts of a job's steps, shared by the local runner and the Temporal activities.

Whatever runs the steps (a job thread here, a Temporal worker in
:mod:`dataflow_desktop.orchestration.temporal`), these functions decide which optional
steps run, build ``result.json``'s header, write the four result files and remove a
failed job's partial outputs, so the same PDF with the same options gives byte-identical
files wherever it ran. Nothing here touches SQLite.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..events import CancelToken, NeverCancel
from ..pipeline.options import PipelineOptions
from ..storage.base import FileStorage
from ..storage.keys import job_prefix
from ._work import WorkDir
from .executor import Executor
from .progress import OUTPUT_NAMES

if TYPE_CHECKING:
    from ..pipeline.bundle import BundlePart

# Optional steps: each runs when its pipeline module (and function) is present, so the
# jobs layer works with builds that leave a heavy step out.
OPTIONAL_STEPS: Final = {
    "ocr": ("dataflow_desktop.pipeline.ocr", "ocr_pages"),
    "analysis": ("dataflow_desktop.pipeline.analysis", "analyze"),
}
# What a failed or cancelled job keeps: its input and its state.
KEEP_ON_FAILURE: Final = frozenset({"source.pdf", "progress.json"})


def step_hook(step: str) -> Callable[..., Any] | None:
    """The pipeline function of optional ``step``, or ``None`` when it is not installed."""
    module_name, function = OPTIONAL_STEPS[step]
    if importlib.util.find_spec(module_name) is None:
        return None
    hook: Callable[..., Any] | None = getattr(importlib.import_module(module_name), function, None)
    return hook


def optional_step_plan(
    step: str, text_layer: list[bool], options: PipelineOptions
) -> tuple[str | None, list[int]]:
    """Whether optional ``step`` runs: ``(skip reason or None, 0-based pages for OCR)``.

    Args:
        step: ``"ocr"`` or ``"analysis"``.
        text_layer: pre-flight's per-page "has usable native text".
        options: the job's options (``ocr`` mode).
    """
    if step_hook(step) is None:
        return f"{step} is not available in this version", []
    if step != "ocr":
        return None, []
    from ..pipeline.ocr import needs_ocr

    wanted = [i for i, ok in enumerate(text_layer) if needs_ocr(ok, options.ocr)]
    if not wanted:
        return "No page needs OCR", []
    return None, wanted


def result_header(
    *,
    source: Mapping[str, Any],
    options: PipelineOptions,
    document: Mapping[str, Any],
    warnings: list[Any],
    analysis: Any,
) -> dict[str, Any]:
    """``result.json`` without its pages (field order is part of the contract).

    Args:
        source: ``name``, ``sha256`` and ``bytes`` of the input.
        options: the job's options.
        document: pre-flight's ``document`` section, without ``warnings``.
        warnings: pre-flight's warnings.
        analysis: the analysis step's result (``None`` when it did not run).
    """
    return {
        "schema": 1,
        "source": {"name": source["name"], "sha256": source["sha256"], "bytes": source["bytes"]},
        "options": options.to_dict(),
        "document": document,
        "warnings": warnings,
        "analysis": analysis,
    }


def write_outputs(
    work: WorkDir,
    plan: list[range],
    header: Mapping[str, Any],
    *,
    extra: Mapping[str, Path],
    cancel: CancelToken,
    executor: Executor | None = None,
    on_written: Callable[[int], None] | None = None,
    while_bundling: Callable[[list[tuple[int, str]]], None] | None = None,
    markdown_body: Path | None = None,
) -> dict[str, Path]:
    """Write result.json, document.md, report.html and bundle.zip into ``work.out``.

    With an ``executor``, document.md and report.html are each written by a pool task
    while this thread writes result.json (the three are independent), and bundle.zip is
    written by a pool task while this thread runs ``while_bundling``. One after the
    other in one thread, they left the other core idle for seconds per document.

    Args:
        work: the job's work folder; ``work.out`` holds the files as stored (page
            images and thumbnails already in it).
        plan: its chunk plan (the pages are read from the chunk files).
        header: :func:`result_header`'s result.
        extra: other files of the job to put in the bundle (name → local path).
        cancel: checked before each page of this thread's writers, and while waiting.
        executor: the process pool, or ``None`` to write everything in this thread.
        on_written: told how many of the first three files are written, after each.
        while_bundling: the caller's own work on every page's ``(number, text)`` (the
            search index), done while the bundle is written. The texts are collected
            while result.json is written, not read from the chunk files again.
        markdown_body: document.md's pages, written earlier (``analyze_work``):
            document.md is then this file behind the header's front matter.

    Returns:
        The path of each output, by its :data:`~.progress.OUTPUT_NAMES` key.
    """
    from ..pipeline.bundle import write_bundle, write_bundle_part
    from ..pipeline.markdown import join_markdown
    from ..pipeline.result import write_result_json

    out = work.out
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / file for name, file in OUTPUT_NAMES.items()}
    spans = [(pages.start, pages.stop) for pages in plan]
    documents = ("report",) if markdown_body is not None else ("markdown", "report")
    running: list[Future[Any]] = []
    files = {name: path for name, path in extra.items() if name not in OUTPUT_NAMES.values()}
    part: Future[BundlePart] | None = None
    try:
        if executor is not None:
            running = [executor.submit(write_document_work, name, str(work.path), spans,
                                       dict(header)) for name in documents]  # fmt: skip
            # The page files are final: they are packed while the reports are written, and
            # the reports are appended to them after.
            part = executor.submit(write_bundle_part, work.path / "bundle.part.zip", files)
            running.append(part)
        texts: list[tuple[int, str]] = []

        def pages() -> Iterator[dict[str, Any]]:
            texts.clear()
            for page in work.iter_pages(plan):
                texts.append((page["number"], page.get("text") or ""))
                yield page

        write_result_json(paths["result"], header, pages, cancel=cancel)
        if on_written is not None:
            on_written(1)
        if executor is None:
            for name in documents:
                write_document_work(name, str(work.path), spans, dict(header), cancel=cancel)
        _await_all(running, cancel)
        if markdown_body is not None:
            join_markdown(paths["markdown"], header, markdown_body)
        if on_written is not None:
            on_written(3)
        members = {OUTPUT_NAMES[n]: paths[n] for n in ("result", "markdown", "report")}
        if executor is None or part is None:
            write_bundle(paths["bundle"], {**members, **files})
        else:
            running = [executor.submit(write_bundle, paths["bundle"], members, part=part.result())]
        if while_bundling is not None:
            while_bundling(texts)
        _await_all(running, cancel)
    finally:
        for future in running:
            future.cancel()
        wait(running)  # they write into ``out``, which a failed job removes
    return paths


def _await_all(futures: list[Future[Any]], cancel: CancelToken) -> None:
    """Wait for pool tasks, watching ``cancel``; re-raise the first failure."""
    while not all(future.done() for future in futures):
        wait(futures, timeout=0.2, return_when=FIRST_EXCEPTION)
        cancel.check()
    for future in futures:
        future.result()


def write_document_work(
    name: str,
    work_path: str,
    spans: list[tuple[int, int]],
    header: dict[str, Any],
    *,
    cancel: CancelToken | None = None,
) -> None:
    """Write document.md (``name="markdown"``) or report.html (``"report"``) of a work folder.

    A pool task of :func:`write_outputs`: it reads the pages from the chunk files itself.
    """
    from ..pipeline.html_report import write_report
    from ..pipeline.markdown import write_markdown

    path = Path(work_path)
    work = WorkDir(path.parent, path.name)
    plan = [range(first, stop) for first, stop in spans]
    cancel = cancel or NeverCancel()

    def pages() -> Iterable[dict[str, Any]]:
        return work.iter_pages(plan)

    out = work.out
    target = out / OUTPUT_NAMES[name]
    if name == "markdown":
        write_markdown(target, header, pages, cancel=cancel)
    else:
        write_report(target, header, pages, out, cancel=cancel)


def remove_partial(storage: FileStorage, env: str, job_id: str) -> int:
    """Delete a job's stored files except its source and progress; returns how many."""
    prefix = job_prefix(env, job_id)
    removed = 0
    for info in list(storage.list(prefix)):
        if info.key[len(prefix) :] not in KEEP_ON_FAILURE:
            storage.delete(info.key)
            removed += 1
    return removed


__all__ = [
    "KEEP_ON_FAILURE",
    "OPTIONAL_STEPS",
    "optional_step_plan",
    "remove_partial",
    "result_header",
    "step_hook",
    "write_document_work",
    "write_outputs",
]
