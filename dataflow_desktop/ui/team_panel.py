"""The Team tab: the jobs teammates put in the shared bucket, read-only, live.

The list comes from ``JobService.remote_jobs`` (each job's progress.json in the bucket)
through the engine, on a task: a timer asks again every few seconds while the tab is
shown, never while a read is still running. "Open" shows a job in the viewer (after
pulling it if it is not here yet), "Download" pulls its results (``JobService.pull``);
both are the window's business, asked for by signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .labels import percent_text, status_text, step_text
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..sync.team import RemoteJob

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
REFRESH_MS = 3000
JOB_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1
_HINT_STYLE = "#teamHint { font-size: 12pt; color: palette(mid); margin: 24px; }"


class TeamTableModel(QAbstractTableModel):
    """One row per job of the bucket: file, pages, status, progress, last update."""

    COLUMNS: Final = 5
    PROGRESS: Final = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[RemoteJob] = []
        self.local_ids: frozenset[str] = frozenset()

    def set_jobs(self, jobs: Sequence[RemoteJob], local_ids: frozenset[str]) -> None:
        """Replace the rows (a whole listing: the bucket has no change feed)."""
        self.beginResetModel()
        self._jobs = list(jobs)
        self.local_ids = local_ids
        self.endResetModel()

    def jobs(self) -> list[RemoteJob]:
        """Every row, newest first."""
        return list(self._jobs)

    def job(self, job_id: str) -> RemoteJob | None:
        """The listed job with this id, if any."""
        return next((j for j in self._jobs if j.job_id == job_id), None)

    def rowCount(self, parent: Index = _ROOT) -> int:
        """Jobs listed."""
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = _ROOT) -> int:
        """File, pages, status, progress, updated."""
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        """Column titles."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("File"), self.tr("Pages"), self.tr("Status"), self.tr("Progress"),
                  self.tr("Updated")]  # fmt: skip
        return titles[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the job id under ``JOB_ID_ROLE``."""
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        column = index.column()
        if role == JOB_ID_ROLE:
            return job.job_id
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            here = self.tr("A copy is in your jobs.") if job.job_id in self.local_ids else ""
            return f"{job.source_name}\n{job.job_id}\n{here}".strip()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return job.source_name
        if column == 1:
            return "" if job.pages is None else str(job.pages)
        if column == 2:
            text = status_text(job.status)
            return text if job.finished else f"{text} — {step_text(job.step)}"
        if column == self.PROGRESS:
            return percent_text(job.percent)
        return job.updated_at.replace("T", " ")[:19]


class TeamPanelWidget(QWidget):
    """The Team tab (see the module docstring).

    Args:
        tasks: runs the bucket reads.
        fetch: returns the bucket's jobs (``EngineClient.remote_jobs``; blocks).
        local_ids: the ids of the jobs listed under "My jobs" (to mark copies).
        sync_on: whether a remote is configured; without one the tab shows how to set it.

    Signals:
        open_requested(str): show this job (pull it first if needed).
        download_requested(str): pull this job's results.
    """

    open_requested = Signal(str)
    download_requested = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        fetch: Callable[[], list[RemoteJob]],
        local_ids: Callable[[], frozenset[str]],
        *,
        sync_on: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._fetch = fetch
        self._local_ids = local_ids
        self.sync_on = sync_on
        self._reading = False
        self.model = TeamTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("teamView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 260), (1, 60), (2, 240), (3, 80)):
            header.resizeSection(column, width)
        self.view.doubleClicked.connect(lambda _index: self._emit_current(self.open_requested))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(lambda: self._emit_current(self.open_requested))
        self.download_button = QPushButton(self)
        self.download_button.clicked.connect(lambda: self._emit_current(self.download_requested))
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("teamHint")
        self.hint.setStyleSheet(_HINT_STYLE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        listing = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.download_button)
        bar.addWidget(self.open_button)
        inner = QVBoxLayout(listing)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(bar)
        inner.addWidget(self.view, 1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self.stack.addWidget(listing)
        self.stack.setCurrentWidget(listing if sync_on else self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.open_button.setText(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Show the job's results (downloads them first)"))
        self.download_button.setText(self.tr("Download"))
        self.download_button.setToolTip(self.tr("Copy the job's results to this computer"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.view.setAccessibleName(self.tr("Team jobs"))
        self.hint.setText(
            self.tr(
                "Team sync is off, so teammates' jobs cannot be shown.\n\n"
                "To turn it on, add the team's bucket as a remote profile in "
                "File → Settings… (or run 'dataflow remote add'), choose it as the sync "
                "remote, then restart DataFlow Desktop."
            )
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, TeamTableModel.COLUMNS - 1)

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- live listing ----------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        """Read the bucket now and every few seconds while the tab is shown."""
        super().showEvent(event)
        if self.sync_on:
            self.refresh()
            self.timer.start()

    def hideEvent(self, event: Any) -> None:
        """No bucket reads while the tab is hidden."""
        super().hideEvent(event)
        self.timer.stop()

    def refresh(self) -> None:
        """Read the bucket's jobs again (skipped while the previous read runs)."""
        if not self.sync_on or self._reading:
            return
        self._reading = True
        self.tasks.run(self._fetch, on_success=self._on_jobs_read, on_failure=self._on_read_failed)

    def _on_jobs_read(self, jobs: list[RemoteJob]) -> None:
        self._reading = False
        selected = self.current_id()
        self.model.set_jobs(jobs, self._local_ids())
        if selected is not None:
            self.select(selected)
        self.status.setText(self.tr("%n job(s) in the team's bucket", "", len(jobs)))
        self._update_buttons()

    def _on_read_failed(self, exc: object) -> None:
        self._reading = False
        message = getattr(exc, "user_message", None) or str(exc)
        self.status.setText(self.tr("The team's bucket cannot be read: {error}").format(
            error=message))  # fmt: skip

    # -- selection ------------------------------------------------------------------------

    def current_id(self) -> str | None:
        """The selected job's id, if any."""
        rows = self.view.selectionModel().selectedRows()
        return str(rows[0].data(JOB_ID_ROLE)) if rows else None

    def select(self, job_id: str) -> None:
        """Select the job with this id (if listed)."""
        for row, job in enumerate(self.model.jobs()):
            if job.job_id == job_id:
                self.view.selectRow(row)
                return

    def _emit_current(self, signal: Any) -> None:
        job_id = self.current_id()
        if job_id is not None:
            signal.emit(job_id)

    def _update_buttons(self) -> None:
        job = self.model.job(self.current_id() or "")
        done = job is not None and job.status == "success"
        self.open_button.setEnabled(done)
        self.download_button.setEnabled(done and job is not None and
                                        job.job_id not in self.model.local_ids)  # fmt: skip


__all__ = ["TeamPanelWidget", "TeamTableModel"]
