"""The job list's live updates: the job store followed on a task, its changes applied.

Reading happens in :mod:`.store_reader` (off the GUI thread); this side applies each
batch of changes to the model and keeps the viewer and the selection in step with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from .store_reader import Changes, StoreReader, coalesce, follow
from .tasks import Task

if TYPE_CHECKING:
    from ..storage.base import FileStorage
    from .jobs_model import JobTableModel
    from .jobs_panel import JobsPanelWidget
    from .tasks import TaskManager
    from .viewer.viewer_widget import ViewerWidget

POLL_SECONDS = 0.2


class JobFeed(QObject):
    """Follows the job store and applies its changes to the job list and the viewer.

    Signals:
        changes_applied(): a batch of job-store changes reached the model.
    """

    changes_applied = Signal()

    def __init__(
        self,
        parent: QObject,
        *,
        tasks: TaskManager,
        db_path: Path,
        storage: FileStorage,
        model: JobTableModel,
        jobs: JobsPanelWidget,
        viewer: ViewerWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._model = model
        self._jobs = jobs
        self._viewer = viewer
        self._reader = StoreReader(db_path, storage)
        self._monitor: Task | None = None
        self._select_after: list[str] = []

    def start(self) -> None:
        """Start following the store (a controlled task, throttled to :data:`POLL_SECONDS`)."""
        task = Task(follow, self._reader, controlled=True, coalesce=coalesce,
                    interval=POLL_SECONDS, name="job monitor")  # fmt: skip
        task.signals.progress.connect(self._on_changes)
        self._monitor = self._tasks.start(task)

    def stop(self) -> None:
        """Stop following the store (idempotent)."""
        if self._monitor is not None:
            self._monitor.cancel()
            self._monitor = None

    def relist(self) -> None:
        """List every job again at the next poll rather than at the next commit."""
        self._reader.invalidate()

    def refresh(self) -> None:
        """Read every job again (F5) and reload the viewer."""
        self._reader.invalidate()
        row = self._model.job(self._viewer.job_id) if self._viewer.job_id else None
        if row is not None:
            self._viewer.show_job(None)
            self._viewer.show_job(row)

    def select_when_listed(self, ids: list[str]) -> None:
        """Select the jobs ``ids`` now, and those not listed yet as soon as they are."""
        self._select_after = list(ids)
        if ids and any(self._model.job(i) for i in ids):
            self._jobs.select_ids(ids)

    def _on_changes(self, changes: Changes) -> None:
        self._model.apply_changes(changes)
        shown = self._viewer.job_id
        if shown is not None and shown in changes.upserts:
            row = changes.upserts[shown]
            if self._viewer.document is None and row.status == "success":
                self._viewer.show_job(row)  # it just finished: show its results
        elif shown is not None and shown in changes.removed:
            self._viewer.show_job(None)
        if self._select_after and any(self._model.job(i) for i in self._select_after):
            self._jobs.select_ids(self._select_after)
            self._select_after = [i for i in self._select_after if self._model.job(i) is None]
        self.changes_applied.emit()


__all__ = ["POLL_SECONDS", "JobFeed"]
