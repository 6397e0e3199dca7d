"""The page loop every page step shares: open once, check indexes, one page at a time.

Extraction, rasterisation and OCR each turn a list of page indexes into one result per
page. What they share is here, so they agree on it: the document is opened (and
unlocked) once per task, every index is checked before any work, cancellation is
checked before each page, progress is reported after each, and a MuPDF error on one
page becomes ``PAGE_FAILED`` naming the page instead of escaping as a crash.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import pymupdf
from pymupdf import mupdf

from ..errors import ErrorCode, InputError
from ..events import CancelToken, NeverCancel, ProgressCallback, StepProgress
from .options import Limits
from .preflight import open_document

__all__ = ["each_page"]

T = TypeVar("T")


def each_page(
    pdf_path: str | os.PathLike[str],
    pages: Sequence[int],
    work: Callable[[pymupdf.Document, int], T],
    *,
    password: str | None,
    limits: Limits | None,
    step: str,
    verb: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> list[T]:
    """Run ``work(doc, index)`` on each page of ``pages``, in order.

    Args:
        pdf_path: the PDF file.
        pages: 0-based page indexes.
        work: computes one page's result from the open document and its index.
        password: the user password, if the file needs one.
        limits: the input limits the document is opened under.
        step: the step name progress is reported under.
        verb: progress wording, e.g. ``"Rendering"`` → "Rendering page 3 of 16".
        progress: told ``StepProgress(step, done, total, message)`` after each page.
        cancel: checked before each page.

    Returns:
        One result per index, in the order of ``pages``.

    Raises:
        InputError: the file cannot be opened, or MuPDF failed on a page
            (``PAGE_FAILED``, naming the page).
        Cancelled: cancellation was requested.
        ValueError: an index is out of range (a caller bug).
    """
    cancel = cancel or NeverCancel()
    doc, _ = open_document(pdf_path, password, limits=limits)
    try:
        for index in pages:
            if not 0 <= index < doc.page_count:
                raise ValueError(f"page index {index} outside 0..{doc.page_count - 1}")
        results = []
        total = len(pages)
        for done, index in enumerate(pages, start=1):
            cancel.check()
            try:
                results.append(work(doc, index))
            except (mupdf.FzErrorBase, pymupdf.FileDataError) as exc:
                raise InputError(
                    code=ErrorCode.PAGE_FAILED, detail=f"page {index + 1}: {exc}"
                ) from exc
            progress(StepProgress(step, done, total, f"{verb} page {done} of {total}"))
        return results
    finally:
        doc.close()
