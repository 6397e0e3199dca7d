"""The main window's title and status bar: how many jobs, how many running, how far along."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

from .app import APP_DISPLAY_NAME
from .labels import percent_text

if TYPE_CHECKING:
    from .controller import JobController
    from .engine import EngineClient
    from .jobs_model import JobTableModel


class WindowStatus(QObject):
    """The status bar's job summary and overall progress bar, and the window title.

    While jobs of the current batch run, the title and the summary count them and the
    bar shows their overall progress; otherwise the summary counts the listed jobs.
    """

    def __init__(
        self,
        window: QMainWindow,
        service: EngineClient,
        controller: JobController,
        model: JobTableModel,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._controller = controller
        self._model = model
        self.summary = QLabel(window)
        self.overall = QProgressBar(window)
        self.overall.setRange(0, 100)
        self.overall.setValue(0)  # a new QProgressBar starts at -1 (RECIPES.md §3)
        self.overall.setMaximumWidth(220)
        self.overall.hide()
        window.statusBar().addWidget(self.summary, 1)
        window.statusBar().addPermanentWidget(self.overall)

    def retranslate(self) -> None:
        """Apply the current language to the bar, the summary and the title."""
        self.overall.setAccessibleName(self.tr("Overall progress"))
        self.update_summary()

    def base_title(self) -> str:
        """``DataFlow Desktop — dev``, with the remote when sync is on (the engine's settings)."""
        s = self._service.settings
        where = f"{s.env} · {s.sync_remote}" if s.sync_remote else s.env
        if s.run_on == "cluster":
            where = self.tr("{where} · team cluster").format(where=where)
        return f"{APP_DISPLAY_NAME} — {where}"

    def update_summary(self) -> None:
        """Show the current counts and progress in the title and the status bar."""
        active, percent = self._controller.batch.progress(self._model)
        if active:
            summary = self.tr("%n job(s) running", "", active)
            self._window.setWindowTitle(
                f"{summary} ({percent_text(percent)}) — {self.base_title()}"
            )
            self.overall.setValue(round(percent))
            self.overall.setFormat(percent_text(percent))
            self.overall.show()
            self.summary.setText(summary)
        else:
            self._window.setWindowTitle(self.base_title())
            self.overall.hide()
            self.summary.setText(self.tr("%n job(s)", "", self._model.rowCount()))


__all__ = ["WindowStatus"]
