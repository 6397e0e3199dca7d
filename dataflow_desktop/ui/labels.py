"""Translated names of job statuses, steps and elapsed times shown in the window.

The dictionaries hold source strings marked with ``QT_TRANSLATE_NOOP`` so lupdate
finds them; they are translated when shown, so a language switch takes effect at the
next repaint.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..errors import MESSAGES

_CONTEXT = "JobLabels"

STATUS_TEXT = {
    "queued": QT_TRANSLATE_NOOP("JobLabels", "Queued"),
    "running": QT_TRANSLATE_NOOP("JobLabels", "Running"),
    "success": QT_TRANSLATE_NOOP("JobLabels", "Done"),
    "failed": QT_TRANSLATE_NOOP("JobLabels", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("JobLabels", "Cancelled"),
}
STEP_TEXT = {
    "init": QT_TRANSLATE_NOOP("JobLabels", "Checking the document"),
    "extraction": QT_TRANSLATE_NOOP("JobLabels", "Extracting text"),
    "raster": QT_TRANSLATE_NOOP("JobLabels", "Rendering pages"),
    "ocr": QT_TRANSLATE_NOOP("JobLabels", "Recognising text"),
    "analysis": QT_TRANSLATE_NOOP("JobLabels", "Analysing"),
    "report": QT_TRANSLATE_NOOP("JobLabels", "Writing the reports"),
    "upload": QT_TRANSLATE_NOOP("JobLabels", "Uploading"),
    "clean": QT_TRANSLATE_NOOP("JobLabels", "Cleaning up"),
    "success": QT_TRANSLATE_NOOP("JobLabels", "Finished"),
    "failed": QT_TRANSLATE_NOOP("JobLabels", "Stopped by an error"),
    "cancelled": QT_TRANSLATE_NOOP("JobLabels", "Cancelled"),
}
SYNC_TEXT = {
    "local": QT_TRANSLATE_NOOP("JobLabels", "Local only"),
    "pending": QT_TRANSLATE_NOOP("JobLabels", "Waiting to upload"),
    "uploading": QT_TRANSLATE_NOOP("JobLabels", "Uploading {percent}"),
    "synced": QT_TRANSLATE_NOOP("JobLabels", "Synced"),
    "waiting": QT_TRANSLATE_NOOP("JobLabels", "Waiting for network"),
    "error": QT_TRANSLATE_NOOP("JobLabels", "Sync error"),
    "conflict": QT_TRANSLATE_NOOP("JobLabels", "Sync conflict"),
}
# error codes → user messages, so a French window shows French errors even though
# the job store keeps the English sentence written by the worker.
ERROR_TEXT = {
    "file_not_found": QT_TRANSLATE_NOOP(
        "JobLabels", "The file could not be found. It may have been moved or deleted."
    ),
    "empty_file": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The file is empty (0 bytes). Check that it was copied or downloaded completely.",
    ),
    "not_a_pdf": QT_TRANSLATE_NOOP(
        "JobLabels",
        "This file is not a PDF document (its content does not start like a PDF). "
        "Export or save it as PDF first.",
    ),
    "corrupt_pdf": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The PDF is damaged and could not be repaired. "
        "Try re-saving it from the program that made it.",
    ),
    "file_too_large": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The file is larger than the configured size limit. "
        "Raise the limit in the settings or split the document.",
    ),
    "too_many_pages": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The document has more pages than the configured page limit. "
        "Raise the limit in the settings or split the document.",
    ),
    "no_pages": QT_TRANSLATE_NOOP("JobLabels", "The PDF contains no readable pages."),
    "page_failed": QT_TRANSLATE_NOOP("JobLabels", "A page of the document could not be processed."),
    "worker_timeout": QT_TRANSLATE_NOOP(
        "JobLabels", "Processing a page took longer than the time limit and was stopped."
    ),
    "out_of_memory": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The document needed more memory than a processing engine is allowed, so it was "
        "stopped; other documents are not affected. The file may be malformed.",
    ),
    "ocr_unavailable": QT_TRANSLATE_NOOP(
        "JobLabels", "Text recognition (OCR) language data is missing."
    ),
    "job_busy": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The job is not in a state that allows this (it is running, or has no results yet).",
    ),
    "job_not_found": QT_TRANSLATE_NOOP(
        "JobLabels", "No job has this id. It may have been removed."
    ),
    "password_required": QT_TRANSLATE_NOOP(
        "JobLabels", "The PDF is protected by a password. Enter the password to process it."
    ),
    "wrong_password": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The password is not correct for this PDF. Enter the right password to process it.",
    ),
    "worker_crashed": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The PDF made the processing engine crash. The file is probably malformed; "
        "other documents are not affected.",
    ),
    "interrupted": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The job was interrupted (the application stopped while it ran). "
        "Retry it to process the document again.",
    ),
    "cancelled": QT_TRANSLATE_NOOP("JobLabels", "The job was cancelled."),
    "storage_error": QT_TRANSLATE_NOOP(
        "JobLabels",
        "The results could not be saved. "
        "Check free disk space and access rights to the data folder.",
    ),
    "internal_error": QT_TRANSLATE_NOOP(
        "JobLabels", "An unexpected error occurred. See the log file for details."
    ),
}


_DEFAULTS = {code.value: message for code, message in MESSAGES.items()}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def status_text(status: str) -> str:
    """The translated name of a job status."""
    return _tr(str(STATUS_TEXT[status])) if status in STATUS_TEXT else status


def step_text(step: str, done: int | None = None, total: int | None = None) -> str:
    """The translated step name, with ``done/total`` when known."""
    name = _tr(str(STEP_TEXT[step])) if step in STEP_TEXT else step
    if total:
        return QCoreApplication.translate("JobLabels", "{step} ({done}/{total})").format(
            step=name, done=done or 0, total=total
        )
    return name


def sync_text(state: str, percent: float = 0.0) -> str:
    """The translated sync state of a job (``Uploading 40 %`` while it uploads)."""
    if state not in SYNC_TEXT:
        return state
    return _tr(str(SYNC_TEXT[state])).format(percent=percent_text(percent))


def error_text(code: str | None, stored: str | None) -> str:
    """The translated message of an error code.

    A stored message other than the code's default is specific (``The disk is
    full…``) and is shown as it is.
    """
    if code in ERROR_TEXT and code in _DEFAULTS and stored in (None, "", _DEFAULTS[code]):
        return _tr(str(ERROR_TEXT[code]))
    return stored or ""


def percent_text(value: float) -> str:
    """``47 %`` with the language's spacing (a narrow no-break space in French)."""
    return QCoreApplication.translate("JobLabels", "{value}%").format(value=f"{value:.0f}")


def parse_time(text: str | None) -> datetime | None:
    """A store timestamp (``2026-11-28T10:00:00.123Z``) as an aware datetime."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def elapsed_seconds(started: str | None, ended: str | None, now: datetime | None = None) -> float:
    """Seconds between start and end (or now while running); 0 before the start."""
    start = parse_time(started)
    if start is None:
        return 0.0
    end = parse_time(ended) or now or datetime.now(UTC)
    return max(0.0, (end - start).total_seconds())


def elapsed_text(seconds: float) -> str:
    """``0:07``, ``12:34`` or ``1:02:03``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


__all__ = [
    "elapsed_seconds",
    "elapsed_text",
    "error_text",
    "parse_time",
    "percent_text",
    "status_text",
    "step_text",
    "sync_text",
]
