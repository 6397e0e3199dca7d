"""Jobs on one machine: the SQLite job store, progress.json, the process pool, the runner.

The GUI and the CLI use :class:`JobService`; nothing here imports Qt.
"""

from __future__ import annotations

from ._admin import JobStateError
from ._schema import JobRecord, OutputRecord, SearchHit, StepRecord
from ._synclog import SyncState, SyncStatus
from .executor import Executor, ProcessExecutor, SerialExecutor
from .progress import STEPS, ProgressWriter, progress_schema, read_progress
from .service import JobService, Submission
from .store import JobNotFoundError, JobStore

__all__ = [
    "STEPS",
    "Executor",
    "JobNotFoundError",
    "JobRecord",
    "JobService",
    "JobStateError",
    "JobStore",
    "OutputRecord",
    "ProcessExecutor",
    "ProgressWriter",
    "SearchHit",
    "SerialExecutor",
    "StepRecord",
    "Submission",
    "SyncState",
    "SyncStatus",
    "progress_schema",
    "read_progress",
]
