"""Page thumbnails of the open document: a list model filled by a task, in batches.

A 1,000-page document must not cost 1,000 widget items on the GUI thread: the model
reports its row count and hands out a placeholder until a page's thumbnail arrives;
arrivals are coalesced (at most ten batches a second) and repaint only their rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ..tasks import Task, TaskCancel, TaskManager
from .document import JobDocument
from .imaging import decode_image

log = logging.getLogger(__name__)

THUMB_SIZE = QSize(96, 128)
Index = QModelIndex | QPersistentModelIndex


def load_thumbnails(
    doc: JobDocument,
    *,
    progress: Callable[[dict[int, QImage]], None],
    cancel: TaskCancel,
) -> int:
    """Decode every page's thumbnail (task thread); returns how many were found."""
    count = 0
    for number in range(1, doc.page_count + 1):
        cancel.check()
        # The storage layout names thumbnails by page (ARCHITECTURE.md), so no page
        # line needs parsing here.
        data = doc.read_file(f"thumbs/{number:04d}.png")
        image = decode_image(data, (THUMB_SIZE.width(), THUMB_SIZE.height())) if data else None
        if image is not None:
            progress({number: image})
            count += 1
    return count


def _merge(older: dict[int, QImage], newer: dict[int, QImage]) -> dict[int, QImage]:
    return {**older, **newer}


class ThumbnailModel(QAbstractListModel):
    """One row per page: its number, and its thumbnail once decoded."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pages = 0
        self._pixmaps: dict[int, QPixmap] = {}
        placeholder = QPixmap(THUMB_SIZE)
        placeholder.fill(QColor("#d9dce1"))
        self._placeholder = placeholder

    def reset(self, pages: int) -> None:
        """Show ``pages`` placeholders."""
        self.beginResetModel()
        self._pages = pages
        self._pixmaps.clear()
        self.endResetModel()

    def add(self, images: dict[int, QImage]) -> None:
        """Thumbnails arrived (page number → image); repaint only the span they cover."""
        rows = [n - 1 for n in images if 1 <= n <= self._pages]
        for number, image in images.items():
            self._pixmaps[number] = QPixmap.fromImage(image)
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Pages."""
        return 0 if parent.isValid() else self._pages

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Page number, thumbnail, tooltip."""
        number = index.row() + 1
        if role == Qt.ItemDataRole.DisplayRole:
            return str(number)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmaps.get(number, self._placeholder)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Page {n}").format(n=number)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignHCenter)
        return None


class ThumbnailListWidget(QListView):
    """A vertical strip of page thumbnails; picking one asks for that page.

    Signals:
        page_requested(int): the user picked this page (1-based).
    """

    page_requested = Signal(int)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._task: Task | None = None
        self.thumbnails = ThumbnailModel(self)
        self.setModel(self.thumbnails)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(THUMB_SIZE)
        self.setUniformItemSizes(True)
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(THUMB_SIZE.width() // 2)
        self.setMaximumWidth(THUMB_SIZE.width() + 40)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.setAccessibleName(self.tr("Page thumbnails"))

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_document(self, doc: JobDocument | None) -> None:
        """List ``doc``'s pages and start loading their thumbnails."""
        self.stop()
        self.thumbnails.reset(doc.page_count if doc else 0)
        if doc is None or doc.page_count == 0:
            return
        task = Task(load_thumbnails, doc, controlled=True, coalesce=_merge, name="thumbnails")
        task.signals.progress.connect(self.thumbnails.add)
        self._task = self._tasks.start(task, on_failure=self._on_task_failed)

    def stop(self) -> None:
        """Stop loading thumbnails."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def select_page(self, number: int) -> None:
        """Highlight ``number`` without asking for it again."""
        index = self.thumbnails.index(number - 1)
        if not index.isValid():
            return
        self.selectionModel().blockSignals(True)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.selectionModel().blockSignals(False)
        self.viewport().update()
        self.scrollTo(index)

    def _on_task_failed(self, exc: object) -> None:
        # Missing thumbnails are cosmetic: the placeholders stay, the page still opens.
        log.warning("Thumbnails could not be loaded: %s", exc)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.page_requested.emit(current.row() + 1)


__all__ = ["THUMB_SIZE", "ThumbnailListWidget", "ThumbnailModel", "load_thumbnails"]
