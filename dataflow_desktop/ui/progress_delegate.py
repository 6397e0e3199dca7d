"""Paints the Progress column of the job list as a native progress bar."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from .jobs_model import ROW_ROLE
from .labels import percent_text
from .store_reader import JobRow


class ProgressItemDelegate(QStyledItemDelegate):
    """Draws ``percent`` (0–100) as a progress bar with its value as text."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Selection background, then the bar inset by a few pixels."""
        job = index.data(ROW_ROLE)
        if not isinstance(job, JobRow):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 3, -3, -3)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        bar.minimum = 0
        bar.maximum = 100
        bar.progress = round(job.percent)
        bar.text = percent_text(job.percent)
        bar.textVisible = True
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Wide enough for a readable bar."""
        size = super().sizeHint(option, index)
        return QSize(max(size.width(), 120), size.height())


__all__ = ["ProgressItemDelegate"]
