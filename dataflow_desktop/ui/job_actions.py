"""The job list's commands: what the selection allows, acting on it, and showing it.

Wires the job actions of :class:`~.window_actions.WindowActions` (menus, toolbar and the
list's context menu) to the selected jobs; the work itself is :class:`~.controller.
JobController`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QWidget

from .job_dialogs import ask_bundle_targets, confirm_remove

if TYPE_CHECKING:
    from .controller import JobController
    from .jobs_model import JobTableModel
    from .jobs_panel import JobsPanelWidget
    from .store_reader import JobRow
    from .viewer.viewer_widget import ViewerWidget
    from .window_actions import WindowActions


class JobListActions(QObject):
    """Enables the job actions for the selection and runs them on it.

    Selecting one job shows it in the viewer; activating one (or "Show in viewer") also
    moves the focus there, and a search hit shows its page with the words highlighted.

    Signals:
        message_posted(str): a short status-bar message.
    """

    message_posted = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        *,
        commands: WindowActions,
        jobs: JobsPanelWidget,
        model: JobTableModel,
        controller: JobController,
        viewer: ViewerWidget,
    ) -> None:
        super().__init__(parent)
        self._commands = commands
        self._jobs = jobs
        self._model = model
        self._controller = controller
        self._viewer = viewer
        self._parent = parent
        a = commands
        a.select_all.triggered.connect(jobs.view.selectAll)
        a.filter.triggered.connect(self._on_filter_triggered)
        a.cancel.triggered.connect(lambda: controller.cancel(jobs.selected_ids()))
        a.retry.triggered.connect(lambda: controller.retry(jobs.selected_ids()))
        a.remove.triggered.connect(self.remove_selected)
        a.results_folder.triggered.connect(self.open_results_folder)
        a.export.triggered.connect(self.export_selected)
        a.view.triggered.connect(self._on_view_triggered)
        jobs.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        jobs.view.customContextMenuRequested.connect(self._on_context_menu)
        jobs.job_activated.connect(self._on_job_activated)
        jobs.selection_changed.connect(self._on_selection_changed)

    def _selected_rows(self) -> list[JobRow]:
        return [r for i in self._jobs.selected_ids() if (r := self._model.job(i)) is not None]

    def update_enabled(self) -> None:
        """Enable the job actions that apply to the selected jobs."""
        rows = self._selected_rows()
        a = self._commands
        a.cancel.setEnabled(any(r.active for r in rows))
        a.retry.setEnabled(any(not r.active for r in rows))
        a.remove.setEnabled(bool(rows))
        a.results_folder.setEnabled(len(rows) == 1)
        a.export.setEnabled(any(r.status == "success" for r in rows))
        a.view.setEnabled(len(rows) == 1)

    def remove_selected(self) -> None:
        """Delete the selected jobs and their files, after confirmation."""
        ids = self._jobs.selected_ids()
        if ids:
            confirm_remove(self._parent, len(ids), lambda: self._controller.remove(ids))

    def open_results_folder(self) -> None:
        """Show the current job's folder in the file manager."""
        job_id = self._jobs.current_id()
        folder = self._controller.job_folder(job_id) if job_id else None
        if folder is not None and folder.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        else:
            self.message_posted.emit(self.tr("This job has no local folder."))

    def export_selected(self) -> None:
        """Save the bundle.zip of each selected finished job."""
        pairs = ask_bundle_targets(
            self._parent, self._selected_rows(), self._controller.bundle_path
        )
        if pairs:
            self._controller.export_bundles(pairs)

    def show_search_hit(self, job_id: str, page: int, query: str) -> None:
        """Select the job and show ``page`` (1-based) with the query's words highlighted."""
        row = self._model.job(job_id)
        if row is None:
            return
        self._jobs.select_ids([job_id])
        self._viewer.show_job(row, page=page, highlight=query.replace("*", "").split())

    def _on_filter_triggered(self) -> None:
        self._jobs.filter_text.setFocus()
        self._jobs.filter_text.selectAll()

    def _on_view_triggered(self) -> None:
        job_id = self._jobs.current_id()
        if job_id:
            self._on_job_activated(job_id)

    def _on_job_activated(self, job_id: str) -> None:
        self._viewer.show_job(self._model.job(job_id))
        self._viewer.page_view.setFocus()

    def _on_selection_changed(self) -> None:
        self.update_enabled()
        ids = self._jobs.selected_ids()
        if len(ids) == 1 and ids[0] != self._viewer.job_id:
            self._viewer.show_job(self._model.job(ids[0]))

    def _on_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self._parent)
        menu.addActions(self._commands.job_actions())
        menu.popup(self._jobs.view.viewport().mapToGlobal(position))


__all__ = ["JobListActions"]
