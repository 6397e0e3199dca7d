"""What the workflow and its activities exchange: names, keys and small JSON, never pages.

Plain dataclasses of JSON types (Temporal's default data converter encodes them), with
no import beyond the standard library so the workflow sandbox can load them. Page data
travels through the shared bucket: the activities write chunk files under the job's
``work/`` prefix and the files of the job folder, and tell the workflow only counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

WORKFLOW_NAME: Final = "ProcessDocument"
INIT: Final = "dataflow.init"
EXTRACTION: Final = "dataflow.extraction"
RASTER: Final = "dataflow.raster"
OCR: Final = "dataflow.ocr"
ANALYSIS: Final = "dataflow.analysis"
REPORT: Final = "dataflow.report"
UPLOAD: Final = "dataflow.upload"
CLEAN: Final = "dataflow.clean"
DISCARD: Final = "dataflow.discard"
PROGRESS: Final = "dataflow.progress"
PAGE_ACTIVITIES: Final = {"extraction": EXTRACTION, "raster": RASTER, "ocr": OCR}
WORK_PREFIX: Final = "work/"  # the scratch sub-prefix of a job folder, removed by clean


def workflow_id(env: str, job_id: str) -> str:
    """The Temporal workflow id of a job (one workflow per job, per environment)."""
    return f"dataflow-{env}-{job_id}"


@dataclass(frozen=True)
class RunPolicy:
    """Timeouts and retries of one document's activities (seconds).

    Attributes:
        heartbeat_seconds: an activity silent for this long is taken as lost (its
            worker died) and retried elsewhere. Page activities beat several times a
            second; keep it well above a network hiccup.
        chunk_seconds: start-to-close of one page-range activity.
        step_seconds: start-to-close of init, analysis, report, upload and clean.
        progress_seconds: start-to-close of a progress.json write (local activity).
        max_attempts: attempts per activity (input errors are never retried).
        retry_initial_seconds: first retry delay (doubled each time).
        retry_max_seconds: longest retry delay.
        max_inflight: page-range activities of one step scheduled at once.
        workflow_task_seconds: the workflow task timeout (a lost worker holding the
            workflow's next decision is noticed after this long).
    """

    heartbeat_seconds: float = 30.0
    chunk_seconds: float = 1800.0
    step_seconds: float = 3600.0
    progress_seconds: float = 30.0
    max_attempts: int = 5
    retry_initial_seconds: float = 1.0
    retry_max_seconds: float = 60.0
    max_inflight: int = 64
    workflow_task_seconds: float = 10.0


@dataclass(frozen=True)
class DocumentRequest:
    """The input of one ``ProcessDocument`` workflow.

    Attributes:
        job_id: the job (``storage.keys.new_job_id``); the source is already stored
            at ``<env>/jobs/<job_id>/source.pdf``.
        env: ``dev``, ``staging`` or ``prod``.
        source: ``{"name", "sha256", "bytes"}`` of the submitted file.
        options: ``PipelineOptions.to_dict()``.
        slots: worker processes expected across the cluster; sizes the page ranges
            exactly as a local job sizes its chunks for its pool.
        policy: timeouts and retries.
    """

    job_id: str
    env: str
    source: dict[str, Any]
    options: dict[str, Any]
    slots: int = 4
    policy: RunPolicy = field(default_factory=RunPolicy)


@dataclass(frozen=True)
class InitResult:
    """What init learnt: page count, page-range size and the optional steps' plans."""

    pages: int
    chunk: int
    ocr_pages: list[int]
    ocr_skip: str | None
    analysis_skip: str | None


@dataclass(frozen=True)
class ChunkTask:
    """One page range (``extraction``/``raster``) or page list (``ocr``) of a step."""

    request: DocumentRequest
    step: str
    index: int
    pages: list[int]


@dataclass(frozen=True)
class ChunkResult:
    """How a page activity ended: pages done, files stored, whether it was already done."""

    pages: int
    files: int
    reused: bool = False


@dataclass(frozen=True)
class StepTask:
    """A whole-document step (analysis, report, upload, clean, discard)."""

    request: DocumentRequest
    pages: int = 0
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportResult:
    """The result files: ``outputs`` as in progress.json, and each file's sha256."""

    outputs: dict[str, str]
    sha256: dict[str, str]


@dataclass(frozen=True)
class ProgressOp:
    """One change to a job's progress.json, applied by the ``dataflow.progress`` activity.

    Attributes:
        env: the job's environment.
        job_id: the job.
        action: ``start``, ``update``, ``end``, ``skip`` or ``finish``.
        step: the step (``start``/``update``/``end``/``skip``).
        done: units done (``update``).
        total: units in all (``start``, ``update``).
        message: for people; for ``skip``, the reason.
        pages: the page count, recorded with the op (once init knows it).
        outputs: the result files (``end`` of ``report``).
        status: ``success``, ``failed`` or ``cancelled`` (``finish``).
        error: progress.json's ``error`` object (``finish``).
    """

    env: str
    job_id: str
    action: str
    step: str = ""
    done: int | None = None
    total: int | None = None
    message: str = ""
    pages: int | None = None
    outputs: dict[str, str] | None = None
    status: str = ""
    error: dict[str, Any] | None = None


__all__ = [
    "ANALYSIS",
    "CLEAN",
    "DISCARD",
    "EXTRACTION",
    "INIT",
    "OCR",
    "PAGE_ACTIVITIES",
    "PROGRESS",
    "RASTER",
    "REPORT",
    "UPLOAD",
    "WORKFLOW_NAME",
    "WORK_PREFIX",
    "ChunkResult",
    "ChunkTask",
    "DocumentRequest",
    "InitResult",
    "ProgressOp",
    "ReportResult",
    "RunPolicy",
    "StepTask",
    "workflow_id",
]
