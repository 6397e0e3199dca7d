"""The job list: a table model over the job store's rows, and its status/text filter.

Rows arrive as :class:`~.store_reader.Changes` batches from the poller; only rows that
changed emit ``dataChanged``, and only over the columns that changed, so a busy batch
never repaints the whole view.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from .labels import (
    elapsed_seconds,
    elapsed_text,
    error_text,
    status_text,
    step_text,
    sync_text,
)
from .store_reader import Changes, JobRow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Column(IntEnum):
    """Columns of the job list."""

    NAME = 0
    PAGES = 1
    STATUS = 2
    STEP = 3
    PROGRESS = 4
    ELAPSED = 5
    SYNC = 6
    MESSAGE = 7


JOB_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1
SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 2
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 3
STATUS_COLOURS: Final = {
    "queued": "#8c8f94", "running": "#2f7de1", "success": "#2e9d4f",
    "failed": "#d64541", "cancelled": "#c98a1b",
}  # fmt: skip
SYNC_COLOURS: Final = {
    "pending": "#8c8f94", "uploading": "#2f7de1", "synced": "#2e9d4f",
    "waiting": "#c98a1b", "error": "#d64541", "conflict": "#d64541",
}  # fmt: skip
# Which columns show which JobRow fields (for column-precise dataChanged).
_FIELDS: Final = {
    Column.NAME: ("name",), Column.PAGES: ("pages",), Column.STATUS: ("status",),
    Column.STEP: ("step", "done", "total"), Column.PROGRESS: ("percent", "status"),
    Column.ELAPSED: ("started_at", "ended_at"),
    Column.SYNC: ("sync", "sync_percent", "sync_message"),
    Column.MESSAGE: ("message", "error_code", "error_message"),
}  # fmt: skip


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class JobTableModel(QAbstractTableModel):
    """One row per job, newest first.

    Signals:
        status_changed(object, str): a job's row (``JobRow``) changed status, error or
            run; the second argument is the previous status (``""`` for a new job).
    """

    status_changed = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[JobRow] = []
        self._index: dict[str, int] = {}
        self._icons: dict[str, QIcon] = {}
        # Elapsed time of running jobs moves every second: repaint that column only.
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        self._ticker.start()

    # -- updates --------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Insert, update and remove rows from one poller batch."""
        gone = [self._index[i] for i in changes.removed if i in self._index]
        for gone_row in sorted(gone, reverse=True):
            self.beginRemoveRows(_ROOT, gone_row, gone_row)
            del self._rows[gone_row]
            self.endRemoveRows()
        if gone:
            self._reindex()
        new: list[JobRow] = []
        for job_id, job in changes.upserts.items():
            row = self._index.get(job_id)
            if row is None:
                new.append(job)
                continue
            old = self._rows[row]
            if old == job:
                continue
            self._rows[row] = job
            columns = [c for c, names in _FIELDS.items() if _differs(old, job, names)]
            if columns:
                self.dataChanged.emit(self.index(row, min(columns)), self.index(row, max(columns)))
            # A quick retry can fail again between two polls (failed → failed with a new
            # error): a new run (started_at) or error counts as a status change too.
            if (old.status, old.error_code, old.started_at) != (
                job.status, job.error_code, job.started_at):  # fmt: skip
                self.status_changed.emit(job, old.status)
        if new:
            new.sort(key=lambda j: (j.created_at, j.id), reverse=True)
            self.beginInsertRows(_ROOT, 0, len(new) - 1)
            self._rows[0:0] = new
            self._reindex()
            self.endInsertRows()
            for job in new:
                self.status_changed.emit(job, "")

    def _reindex(self) -> None:
        self._index = {job.id: i for i, job in enumerate(self._rows)}

    def _on_ticker_timeout(self) -> None:
        for row, job in enumerate(self._rows):
            if job.status == "running":
                index = self.index(row, Column.ELAPSED)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    # -- reading ---------------------------------------------------------------------------

    def job(self, job_id: str) -> JobRow | None:
        """The row of ``job_id``, if listed."""
        row = self._index.get(job_id)
        return self._rows[row] if row is not None else None

    def jobs(self) -> list[JobRow]:
        """Every row, newest first."""
        return list(self._rows)

    def row_of(self, job_id: str) -> int:
        """The model row of ``job_id`` or -1."""
        return self._index.get(job_id, -1)

    def rowCount(self, parent: Index = _ROOT) -> int:
        """Jobs listed."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        """Columns of :class:`Column`."""
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        """Column titles (translated at paint time)."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            Column.NAME: self.tr("File"), Column.PAGES: self.tr("Pages"),
            Column.STATUS: self.tr("Status"), Column.STEP: self.tr("Step"),
            Column.PROGRESS: self.tr("Progress"), Column.ELAPSED: self.tr("Time"),
            Column.SYNC: self.tr("Sync"), Column.MESSAGE: self.tr("Message"),
        }  # fmt: skip
        return titles.get(Column(section))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, sort keys, status icons and the row itself."""
        if not index.isValid():
            return None
        job = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, column)
        if role == JOB_ID_ROLE:
            return job.id
        if role == ROW_ROLE:
            return job
        if role == SORT_ROLE:
            return self._sort_key(job, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(job, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATUS:
            if job.status not in self._icons:
                self._icons[job.status] = _dot(STATUS_COLOURS.get(job.status, "#8c8f94"))
            return self._icons[job.status]
        if role == Qt.ItemDataRole.DecorationRole and column == Column.SYNC:
            colour = SYNC_COLOURS.get(job.sync)
            if colour is None:  # local only: no dot, the column stays quiet
                return None
            if f"sync-{job.sync}" not in self._icons:
                self._icons[f"sync-{job.sync}"] = _dot(colour)
            return self._icons[f"sync-{job.sync}"]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.PAGES, Column.ELAPSED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, job: JobRow, column: Column) -> Any:
        if column == Column.NAME:
            return job.name
        if column == Column.PAGES:
            return "" if job.pages is None else str(job.pages)
        if column == Column.STATUS:
            return status_text(job.status)
        if column == Column.STEP:
            counts = job.active and job.status == "running"
            return step_text(job.step, job.done if counts else None, job.total if counts else None)
        if column == Column.PROGRESS:
            return job.percent
        if column == Column.ELAPSED:
            return elapsed_text(elapsed_seconds(job.started_at, job.ended_at))
        if column == Column.SYNC:
            return sync_text(job.sync, job.sync_percent)
        # Only errors: the engine's progress messages are English sentences that repeat
        # the (translated) Step column; they stay available as the step's tooltip.
        return error_text(job.error_code, job.error_message) if job.error_code else ""

    def _tooltip(self, job: JobRow, column: Column) -> str | None:
        if column == Column.NAME:
            return job.source_path or job.name
        if column == Column.STEP:
            return job.message or None
        if column == Column.MESSAGE:
            return self._display(job, column) or None
        if column == Column.SYNC:
            return job.sync_message or None
        return None

    def _sort_key(self, job: JobRow, column: Column) -> Any:
        if column == Column.PAGES:
            return job.pages or 0
        if column == Column.PROGRESS:
            return job.percent
        if column == Column.ELAPSED:
            return elapsed_seconds(job.started_at, job.ended_at, datetime.now(UTC))
        if column == Column.NAME:
            return job.name.casefold()
        return str(self._display(job, column)).casefold()


def _differs(old: JobRow, new: JobRow, names: tuple[str, ...]) -> bool:
    return any(getattr(old, n) != getattr(new, n) for n in names)


class JobFilterModel(QSortFilterProxyModel):
    """Sorts the job list by any column and filters it by status and by file name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._statuses: frozenset[str] = frozenset()
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_statuses(self, statuses: frozenset[str]) -> None:
        """Show only jobs with these statuses (empty: all)."""
        self.beginFilterChange()
        self._statuses = statuses
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Show only jobs whose file name contains ``text`` (case-insensitive)."""
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Status and name filters."""
        model = self.sourceModel()
        job = model.index(source_row, 0, source_parent).data(ROW_ROLE)
        if not isinstance(job, JobRow):
            return False
        if self._statuses and job.status not in self._statuses:
            return False
        return not self._text or self._text in job.name.casefold()

    def lessThan(self, left: Index, right: Index) -> bool:
        """Sort keys, ties broken by creation time (newest last in ascending order)."""
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a == b:
            ja, jb = left.data(ROW_ROLE), right.data(ROW_ROLE)
            if isinstance(ja, JobRow) and isinstance(jb, JobRow):
                return (ja.created_at, ja.id) < (jb.created_at, jb.id)
            return False
        return bool(a < b)


__all__ = ["JOB_ID_ROLE", "ROW_ROLE", "SORT_ROLE", "Column", "JobFilterModel", "JobTableModel"]
