"""The job list with its filter bar, its empty-state hint and the skipped-files notice."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .jobs_model import JOB_ID_ROLE, Column, JobFilterModel, JobTableModel
from .notices import NoticePanelWidget
from .progress_delegate import ProgressItemDelegate

STATUS_FILTERS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    "active": frozenset({"queued", "running"}),
    "success": frozenset({"success"}),
    "failed": frozenset({"failed"}),
    "cancelled": frozenset({"cancelled"}),
}

_HINT_STYLE = (
    "#emptyHint { font-size: 15pt; color: palette(mid);"
    " border: 2px dashed palette(mid); border-radius: 12px; margin: 12px; }"
)


class JobsPanelWidget(QWidget):
    """Filter bar, job table and notices.

    Signals:
        job_activated(str): the user opened a job (double click, Enter).
        selection_changed(): the selected jobs changed.
    """

    job_activated = Signal(str)
    selection_changed = Signal()

    def __init__(self, model: JobTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = JobFilterModel(self)
        self.proxy.setSourceModel(model)
        self.filter_text = QLineEdit(self)
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.setAcceptDrops(False)  # dropped files are work, not filter text
        self.filter_text.textChanged.connect(self.proxy.set_text)
        self.filter_status = QComboBox(self)
        self.filter_status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter_status.currentIndexChanged.connect(self._on_filter_status_changed)
        self.view = QTableView(self)
        self.view.setObjectName("jobsView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(Column.PROGRESS, ProgressItemDelegate(self.view))
        header = self.view.horizontalHeader()
        # Unsorted until the user clicks a header: the model keeps newest first.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((Column.NAME, 240), (Column.PAGES, 60), (Column.STATUS, 110),
                              (Column.STEP, 200), (Column.PROGRESS, 140),
                              (Column.ELAPSED, 70), (Column.SYNC, 150)):  # fmt: skip
            header.resizeSection(column, width)
        self.view.doubleClicked.connect(self._on_view_activated)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("emptyHint")
        self.hint.setStyleSheet(_HINT_STYLE)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.view)
        self.notices = NoticePanelWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_text, 1)
        bar.addWidget(self.filter_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.notices)
        layout.addWidget(self.stack, 1)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_empty_state)
        self.retranslate()
        self._update_empty_state()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.filter_text.setPlaceholderText(self.tr("Filter jobs by file name (Ctrl+L)"))
        self.filter_text.setAccessibleName(self.tr("Filter jobs by file name"))
        self.filter_status.setAccessibleName(self.tr("Show jobs with status"))
        self.view.setAccessibleName(self.tr("Jobs"))
        labels = [self.tr("All jobs"), self.tr("Active"), self.tr("Done"), self.tr("Failed"),
                  self.tr("Cancelled")]  # fmt: skip
        current = max(self.filter_status.currentIndex(), 0)
        self.filter_status.blockSignals(True)
        self.filter_status.clear()
        for key, label in zip(STATUS_FILTERS, labels, strict=True):
            self.filter_status.addItem(label, key)
        self.filter_status.setCurrentIndex(current)
        self.filter_status.blockSignals(False)
        self.hint.setText(
            self.tr("Drop PDF files or folders here\n\nor use File → Open files… (Ctrl+O)")
        )
        self.hint.setAccessibleName(self.tr("No jobs yet: drop PDF files or folders here"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_empty_state(self) -> None:
        self.stack.setCurrentWidget(self.view if self.model.rowCount() else self.hint)

    def _on_filter_status_changed(self, index: int) -> None:
        key = str(self.filter_status.itemData(index) or "all")
        self.proxy.set_statuses(STATUS_FILTERS.get(key, frozenset()))

    def _on_view_activated(self, index: QModelIndex) -> None:
        job_id = index.data(JOB_ID_ROLE)
        if job_id:
            self.job_activated.emit(str(job_id))

    # -- selection ---------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """Ids of the selected jobs, in view order."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [str(i.data(JOB_ID_ROLE)) for i in rows]

    def current_id(self) -> str | None:
        """The job with the keyboard focus (or the first selected one)."""
        index = self.view.currentIndex()
        if index.isValid():
            return str(index.data(JOB_ID_ROLE))
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_ids(self, ids: list[str]) -> None:
        """Select these jobs (those visible with the current filter)."""
        selection = self.view.selectionModel()
        selection.clearSelection()
        first = None
        for job_id in ids:
            row = self.model.row_of(job_id)
            if row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                flags = (QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
                selection.select(index, flags)
                first = first or index
        if first is not None:
            self.view.scrollTo(first)
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)


__all__ = ["STATUS_FILTERS", "JobsPanelWidget"]
