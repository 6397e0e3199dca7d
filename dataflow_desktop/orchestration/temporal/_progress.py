"""The ``dataflow.progress`` local activity: one change to a job's progress.json.

The workflow awaits these one at a time, so each continues the document the previous
one wrote, whichever worker wrote it. The document is built by the same
:class:`~dataflow_desktop.jobs.progress.ProgressWriter` a local job uses (step order,
weights, percent, atomic ``put``), restored from the stored file. Each change is
idempotent: a local activity re-run after its worker died (the write may have
happened) finds the change already made and only writes the file again.
"""

from __future__ import annotations

import logging
from typing import Any

from temporalio import activity

from ...jobs.progress import TERMINAL_STEPS, ProgressWriter, read_progress
from ...storage.base import FileStorage
from ...storage.keys import job_key
from ._types import PROGRESS, ProgressOp
from .activities import StorageProvider

log = logging.getLogger(__name__)


class ProgressActivities:
    """Applies :class:`ProgressOp` changes to progress.json in the shared bucket.

    Args:
        storage: the shared bucket of each environment.
    """

    def __init__(self, storage: StorageProvider) -> None:
        self.storage = storage

    @activity.defn(name=PROGRESS)
    def progress(self, op: ProgressOp) -> None:
        """Apply ``op`` (see :class:`~._types.ProgressOp`)."""
        apply_op(self.storage(op.env), op)


def apply_op(storage: FileStorage, op: ProgressOp) -> dict[str, Any]:
    """Apply ``op`` to the stored progress.json of its job; returns the new document.

    Raises:
        FileNotFoundError: the job has no progress.json (it was never submitted).
        ValueError: ``op`` breaks the step order (a bug).
    """
    key = job_key(op.env, op.job_id, "progress.json")
    doc = read_progress(storage, key)
    if doc is None:
        raise FileNotFoundError(key)
    writer = ProgressWriter(storage, key, job_id=op.job_id, source=doc["source"])
    writer.restore(doc)
    if doc["status"] in TERMINAL_STEPS:
        log.info("%s: ignoring %s %s, the job already ended", op.job_id, op.action, op.step)
        return doc
    if op.pages is not None:
        writer.set_pages(op.pages)
    if op.outputs is not None:
        writer.set_outputs(op.outputs)
    entry = next((e for e in doc["steps"] if e["name"] == op.step), None) if op.step else None
    if op.action == "start" and entry is None:
        writer.start_step(op.step, total=op.total, message=op.message)
    elif op.action == "update" and entry is not None and entry["status"] == "running":
        writer.update(op.step, op.done or 0, total=op.total, message=op.message)
    elif op.action == "end" and entry is not None and entry["status"] == "running":
        writer.end_step(op.step, message=op.message)
    elif op.action == "skip" and entry is None:
        writer.skip_step(op.step, op.message)
    elif op.action == "finish":
        writer.finish(op.status, error=op.error, message=op.message)
    elif op.action in ("start", "update", "end", "skip"):
        log.info("%s: %s %s was already applied", op.job_id, op.action, op.step)
    else:
        raise ValueError(f"unknown progress action {op.action!r}")
    writer.flush()
    return writer.snapshot()


__all__ = ["ProgressActivities", "apply_op"]
