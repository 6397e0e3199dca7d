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
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from ..events import CancelToken
from ..pipeline.options import PipelineOptions
from ..storage.base import FileStorage
from ..storage.keys import job_prefix
from .progress import OUTPUT_NAMES

# Optional steps: each runs when its pipeline module (and function) is present, so the
# jobs layer works with builds that leave a heavy step out.
OPTIONAL_STEPS: Final = {
    "ocr": ("dataflow_desktop.pipeline.ocr", "ocr_pages"),
    "analysis": ("dataflow_desktop.pipeline.analysis", "analyze"),
}
# What a failed or cancelled job keeps: its input and its state.
KEEP_ON_FAILURE: Final = frozenset({"source.pdf", "progress.json"})

PageSource = Callable[[], Iterable[dict[str, Any]]]


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
    out: Path,
    header: Mapping[str, Any],
    pages: PageSource,
    *,
    extra: Mapping[str, Path],
    cancel: CancelToken,
    on_written: Callable[[int], None] | None = None,
) -> dict[str, Path]:
    """Write result.json, document.md, report.html and bundle.zip into ``out``.

    Args:
        out: the job folder as stored (page images and thumbnails already in it).
        header: :func:`result_header`'s result.
        pages: returns a fresh iterable of PAGE dicts in page order at each call.
        extra: other files of the job to put in the bundle (name → local path).
        cancel: checked before each page of each writer.
        on_written: told how many of the first three files are written, after each.

    Returns:
        The path of each output, by its :data:`~.progress.OUTPUT_NAMES` key.
    """
    from ..pipeline.bundle import write_bundle
    from ..pipeline.html_report import write_report
    from ..pipeline.markdown import write_markdown
    from ..pipeline.result import write_result_json

    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / file for name, file in OUTPUT_NAMES.items()}
    writers: list[Callable[[], object]] = [
        lambda: write_result_json(paths["result"], header, pages, cancel=cancel),
        lambda: write_markdown(paths["markdown"], header, pages, cancel=cancel),
        lambda: write_report(paths["report"], header, pages, out, cancel=cancel),
    ]
    for done, writer in enumerate(writers, start=1):
        writer()
        if on_written is not None:
            on_written(done)
    cancel.check()
    members = {OUTPUT_NAMES[n]: paths[n] for n in ("result", "markdown", "report")}
    for name, path in extra.items():
        if name not in OUTPUT_NAMES.values():
            members[name] = path
    write_bundle(paths["bundle"], members)
    return paths


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
    "PageSource",
    "optional_step_plan",
    "remove_partial",
    "result_header",
    "step_hook",
    "write_outputs",
]
