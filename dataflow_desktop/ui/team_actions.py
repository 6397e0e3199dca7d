"""What the window does for the team: "Sync now", and the Team tab's Open and Download.

Every call to the shared bucket goes through the engine (``sync_pending``, ``pull``) on a
task; a teammate's job opened before it is here is pulled first, then shown once the
job list has it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from . import crash

if TYPE_CHECKING:
    from ..jobs import JobRecord, SyncState
    from .engine import EngineClient
    from .jobs_model import JobTableModel
    from .tasks import TaskManager
    from .team_panel import TeamPanelWidget
    from .viewer.viewer_widget import ViewerWidget

_ERROR_MS = 15000  # long enough to read a bucket error


class TeamJobActions(QObject):
    """Pushes finished jobs to the team's bucket, pulls teammates' jobs and shows them.

    Signals:
        message_posted(str, int): a status-bar message and how long to show it (ms).
    """

    message_posted = Signal(str, int)

    def __init__(
        self,
        parent: QWidget,
        *,
        service: EngineClient,
        tasks: TaskManager,
        model: JobTableModel,
        viewer: ViewerWidget,
        team: TeamPanelWidget,
        relist: Callable[[], None],
    ) -> None:
        """``relist`` reads the job list again now rather than at the next commit."""
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._model = model
        self._viewer = viewer
        self._team = team
        self._relist = relist
        self._parent = parent
        self._view_after: str | None = None  # a pulled team job to show once listed
        team.open_requested.connect(self.open_team_job)
        team.download_requested.connect(self.download_team_job)

    def _post(self, text: str, timeout_ms: int = 6000) -> None:
        self.message_posted.emit(text, timeout_ms)

    def sync_now(self) -> None:
        """Push every finished job whose sync is not complete, through the engine."""
        self._post(self.tr("Uploading to the team's bucket…"))
        self._tasks.run(self._service.sync_pending, on_success=self._on_synced,
                        on_failure=self._on_team_call_failed)  # fmt: skip

    def _on_synced(self, states: list[SyncState]) -> None:
        done = sum(1 for s in states if s.status == "synced")
        if done == len(states):
            self._post(self.tr("%n job(s) synced", "", done))
        else:
            self._post(self.tr("%n job(s) not synced yet: see the Sync column", "",
                               len(states) - done))  # fmt: skip

    def download_team_job(self, job_id: str, *, then_view: bool = False) -> None:
        """Pull a teammate's job (its results are verified, then listed in My jobs)."""
        self._post(self.tr("Downloading the team's results…"))

        def pulled(record: JobRecord) -> None:
            self._post(self.tr("Downloaded {name}").format(name=record.source_name))
            if then_view:
                self._view_after = record.id
                self._relist()
            self._team.refresh()

        self._tasks.run(self._service.pull, job_id, on_success=pulled,
                        on_failure=self._on_team_call_failed)  # fmt: skip

    def open_team_job(self, job_id: str) -> None:
        """Show a teammate's job in the viewer (read-only), pulling it first if needed."""
        row = self._model.job(job_id)
        if row is None:
            self.download_team_job(job_id, then_view=True)
            return
        self._viewer.show_job(row)
        self._post(self.tr("Showing a team job (read-only)"))

    def show_pulled(self) -> None:
        """Show the job pulled by :meth:`open_team_job` once the job list has it."""
        pulled = self._model.job(self._view_after) if self._view_after else None
        if pulled is not None:
            self._view_after = None
            self._viewer.show_job(pulled)

    def _on_team_call_failed(self, exc: object) -> None:
        # The engine's errors explain themselves; anything else is a bug worth a report.
        message = getattr(exc, "user_message", None)
        if message is not None:
            self._post(str(message), _ERROR_MS)
        elif isinstance(exc, BaseException):
            crash.report_exception(exc, self._parent)


__all__ = ["TeamJobActions"]
