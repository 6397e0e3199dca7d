"""Every way a job can fail, in one place: stable codes, user messages, exit codes.

Codes are stable identifiers written to progress.json, SQLite and ``--json`` output;
never rename one. Messages are sentences a person understands and say what to do next.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """Process exit codes of the CLI (OCRmyPDF-style taxonomy)."""

    OK = 0
    JOB_FAILED = 1
    BAD_ARGS = 2
    INPUT_FILE = 3
    STORAGE = 4
    NOT_FOUND = 5
    INTERRUPTED = 130
    INTERNAL = 15


class ErrorCode(StrEnum):
    """Stable error identifiers (see :data:`MESSAGES`)."""

    FILE_NOT_FOUND = "file_not_found"
    EMPTY_FILE = "empty_file"
    NOT_A_PDF = "not_a_pdf"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_PAGES = "too_many_pages"
    CORRUPT_PDF = "corrupt_pdf"
    NO_PAGES = "no_pages"
    PASSWORD_REQUIRED = "password_required"
    WRONG_PASSWORD = "wrong_password"
    PAGE_FAILED = "page_failed"
    WORKER_CRASHED = "worker_crashed"
    WORKER_TIMEOUT = "worker_timeout"
    OUT_OF_MEMORY = "out_of_memory"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"
    STORAGE_ERROR = "storage_error"
    KEYRING_UNAVAILABLE = "keyring_unavailable"
    JOB_NOT_FOUND = "job_not_found"
    JOB_BUSY = "job_busy"
    OCR_UNAVAILABLE = "ocr_unavailable"
    SYNC_CONFLICT = "sync_conflict"
    REMOTE_UNREACHABLE = "remote_unreachable"
    REMOTE_NOT_FOUND = "remote_not_found"
    REMOTE_JOB_NOT_FOUND = "remote_job_not_found"
    SECRET_MISSING = "secret_missing"
    INTERNAL_ERROR = "internal_error"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.FILE_NOT_FOUND: "The file could not be found. It may have been moved or deleted.",
    ErrorCode.EMPTY_FILE: "The file is empty (0 bytes). Check that it was copied or downloaded "
    "completely.",
    ErrorCode.NOT_A_PDF: "This file is not a PDF document (its content does not start like a "
    "PDF). Export or save it as PDF first.",
    ErrorCode.FILE_TOO_LARGE: "The file is larger than the configured size limit. Raise the limit "
    "in the settings or split the document.",
    ErrorCode.TOO_MANY_PAGES: "The document has more pages than the configured page limit. Raise "
    "the limit in the settings or split the document.",
    ErrorCode.CORRUPT_PDF: "The PDF is damaged and could not be repaired. Try re-saving it from "
    "the program that made it.",
    ErrorCode.NO_PAGES: "The PDF contains no readable pages.",
    ErrorCode.PASSWORD_REQUIRED: "The PDF is protected by a password. Enter the password to "
    "process it.",
    ErrorCode.WRONG_PASSWORD: "The password is not correct for this PDF. Enter the right "
    "password to process it.",
    ErrorCode.PAGE_FAILED: "A page of the document could not be processed.",
    ErrorCode.WORKER_CRASHED: "The PDF made the processing engine crash. The file is probably "
    "malformed; other documents are not affected.",
    ErrorCode.WORKER_TIMEOUT: "Processing a page took longer than the time limit and was stopped.",
    ErrorCode.OUT_OF_MEMORY: "The document needed more memory than a processing engine is "
    "allowed, so it was stopped; other documents are not affected. The file may be malformed.",
    ErrorCode.INTERRUPTED: "The job was interrupted (the application stopped while it ran). "
    "Retry it to process the document again.",
    ErrorCode.CANCELLED: "The job was cancelled.",
    ErrorCode.STORAGE_ERROR: "The results could not be saved. Check free disk space and access "
    "rights to the data folder.",
    ErrorCode.KEYRING_UNAVAILABLE: "No secure password store (OS keyring) is available, so the "
    "secret was not saved. Install or unlock your system keyring and try again.",
    ErrorCode.JOB_NOT_FOUND: "No job has this id. It may have been removed.",
    ErrorCode.JOB_BUSY: "The job is not in a state that allows this (it is running, or has no "
    "results yet).",
    ErrorCode.OCR_UNAVAILABLE: "Text recognition (OCR) language data is missing.",
    ErrorCode.SYNC_CONFLICT: "A file in the shared bucket has different content that this app "
    "did not write, so it was not overwritten. Remove or rename the remote file, then sync again.",
    ErrorCode.REMOTE_UNREACHABLE: "The shared storage cannot be reached right now. The upload "
    "will be retried; run 'dataflow sync' once the network is back.",
    ErrorCode.REMOTE_NOT_FOUND: "No remote has this name. List them with 'dataflow remote ls' "
    "or add one with 'dataflow remote add'.",
    ErrorCode.REMOTE_JOB_NOT_FOUND: "No job with this id is in the shared bucket. List them with "
    "'dataflow remote jobs'.",
    ErrorCode.SECRET_MISSING: "No secret is stored for this remote. Add the remote again with "
    "'dataflow remote add', or set AWS_SECRET_ACCESS_KEY for headless use.",
    ErrorCode.INTERNAL_ERROR: "An unexpected error occurred. See the log file for details.",
}

# A job failed as ``interrupted`` (an earlier run stopped under it) is a failed file, exit 1:
# 130 is kept for a run that was itself interrupted (Ctrl-C).
EXIT_CODES: dict[ErrorCode, ExitCode] = {
    ErrorCode.FILE_NOT_FOUND: ExitCode.INPUT_FILE,
    ErrorCode.STORAGE_ERROR: ExitCode.STORAGE,
    ErrorCode.INTERNAL_ERROR: ExitCode.INTERNAL,
    ErrorCode.JOB_NOT_FOUND: ExitCode.NOT_FOUND,
    ErrorCode.JOB_BUSY: ExitCode.BAD_ARGS,
    ErrorCode.KEYRING_UNAVAILABLE: ExitCode.STORAGE,
    ErrorCode.SYNC_CONFLICT: ExitCode.STORAGE,
    ErrorCode.REMOTE_UNREACHABLE: ExitCode.STORAGE,
    ErrorCode.REMOTE_NOT_FOUND: ExitCode.NOT_FOUND,
    ErrorCode.REMOTE_JOB_NOT_FOUND: ExitCode.NOT_FOUND,
    ErrorCode.SECRET_MISSING: ExitCode.STORAGE,
}


class DataflowError(Exception):
    """A known error: the environment's or the input's fault, not a bug.

    Attributes:
        code: stable identifier.
        user_message: a sentence a person understands, saying what to do next.
        detail: optional technical detail (never contains secrets).
    """

    code: ErrorCode = ErrorCode.INTERNAL_ERROR

    def __init__(
        self,
        user_message: str | None = None,
        *,
        code: ErrorCode | None = None,
        detail: str | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.user_message = user_message or MESSAGES[self.code]
        self.detail = detail
        super().__init__(self.user_message if not detail else f"{self.user_message} ({detail})")

    @property
    def exit_code(self) -> ExitCode:
        """The CLI exit code this error maps to."""
        return EXIT_CODES.get(self.code, ExitCode.JOB_FAILED)

    def to_dict(self, step: str | None = None) -> dict[str, str | None]:
        """The ``error`` object of progress.json."""
        return {"code": self.code.value, "message": self.user_message, "step": step}


class InputError(DataflowError):
    """The input PDF cannot be processed (not a PDF, damaged, encrypted, too large...)."""

    code = ErrorCode.CORRUPT_PDF


class PasswordError(InputError):
    """The PDF needs a password, or the given one is wrong."""

    code = ErrorCode.PASSWORD_REQUIRED


class WorkerError(DataflowError):
    """A worker process crashed, timed out or ran out of memory on this document."""

    code = ErrorCode.WORKER_CRASHED


class Cancelled(DataflowError):
    """Cooperative cancellation: shown without an error dialog."""

    code = ErrorCode.CANCELLED


class StorageError(DataflowError):
    """Base of storage failures; vendor exceptions are translated into these."""

    code = ErrorCode.STORAGE_ERROR


class JobStoreError(DataflowError):
    """The SQLite job store failed (locked, read-only, corrupt)."""

    code = ErrorCode.STORAGE_ERROR


def error_message(code: ErrorCode | str) -> str:
    """The user-facing sentence for ``code``."""
    return MESSAGES[ErrorCode(code)]
