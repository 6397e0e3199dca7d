"""The main window: job list above, viewer below, search on the side.

It wires the parts together; the work is elsewhere: :mod:`.controller` (job actions,
passwords, batches), :mod:`.store_reader` (polling, on a task), :mod:`.viewer`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QWidget,
)

from ..config import Settings, save_settings
from ..jobs import SearchHit
from ..pipeline.options import PipelineOptions
from . import crash
from ._resources import app_icon
from .app import APP_DISPLAY_NAME, UiContext
from .controller import JobController
from .engine import EngineClient
from .intake import FolderWatcher, paths_from_mime
from .job_dialogs import ask_bundle_targets, confirm_remove
from .jobs_model import JobTableModel
from .jobs_panel import JobsPanelWidget
from .labels import percent_text
from .notices import Notifier
from .search_widget import SearchWidget
from .settings_dialog import SettingsDialog
from .store_reader import Changes, StoreReader, coalesce, follow
from .tasks import Task, TaskManager
from .viewer.viewer_widget import ViewerWidget
from .window_actions import WindowActions
from .window_state import restore_state, save_state

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2


class MainWindowWidget(QMainWindow):
    """DataFlow Desktop's window.

    Signals:
        settings_applied(object): the settings dialog was accepted (new ``Settings``).
        changes_applied(): a batch of job-store changes reached the job list.
    """

    settings_applied = Signal(object)
    changes_applied = Signal()

    def __init__(self, context: UiContext, service: EngineClient, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.service = service
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.tasks = TaskManager(max_threads=4, parent=self)
        self.tasks.task_failed.connect(self._on_task_failed)
        self.model = JobTableModel(self)
        self.jobs = JobsPanelWidget(self.model, self)
        self.viewer = ViewerWidget(self.tasks, service.storage, self)
        self.search = SearchWidget(self.tasks, self._search, self)
        self.search_dock = QDockWidget(self)
        self.search_dock.setObjectName("searchDock")
        self.search_dock.setWidget(self.search)
        self.search_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.search_dock)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.jobs)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self.status_text = QLabel(self)
        self.overall = QProgressBar(self)
        self.overall.setRange(0, 100)
        self.overall.setValue(0)  # a new QProgressBar starts at -1 (RECIPES.md §3)
        self.overall.setMaximumWidth(220)
        self.overall.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.overall)
        self.controller = JobController(service, self.tasks, self.model, self)
        self.controller.options_provider = self.pipeline_options
        self.watcher = FolderWatcher(self.tasks, self)
        self.notifier = Notifier(app_icon(), self)
        self.commands = WindowActions(self)
        self.commands.view_menu.addAction(self.search_dock.toggleViewAction())
        self.commands.view_menu.addAction(self.commands.toolbar.toggleViewAction())
        self._select_after: list[str] = []
        self._connect()
        self.retranslate()
        self._restore_geometry()
        self._monitor: Task | None = None
        self._reader = StoreReader(context.settings.db_path, service.storage)
        self._start_monitor()
        self.watcher.watch(context.settings.watch_folder)
        self._update_actions()

    # -- wiring --------------------------------------------------------------------------------

    def _connect(self) -> None:
        a = self.commands
        a.open_files.triggered.connect(self.open_files)
        a.open_folder.triggered.connect(self.open_folder)
        a.paste.triggered.connect(self.paste_paths)
        a.settings.triggered.connect(self.open_settings)
        a.quit.triggered.connect(self.close)
        a.select_all.triggered.connect(self.jobs.view.selectAll)
        a.find.triggered.connect(self._on_find_triggered)
        a.filter.triggered.connect(self._on_filter_triggered)
        a.refresh.triggered.connect(self.refresh)
        a.cancel.triggered.connect(lambda: self.controller.cancel(self.jobs.selected_ids()))
        a.retry.triggered.connect(lambda: self.controller.retry(self.jobs.selected_ids()))
        a.remove.triggered.connect(self.remove_selected)
        a.results_folder.triggered.connect(self.open_results_folder)
        a.export.triggered.connect(self.export_selected)
        a.view.triggered.connect(self._on_view_triggered)
        a.log_folder.triggered.connect(self.open_log_folder)
        a.about.triggered.connect(self.show_about)
        self.jobs.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.jobs.view.customContextMenuRequested.connect(self._on_jobs_context_menu)
        self.jobs.job_activated.connect(self._on_job_activated)
        self.jobs.selection_changed.connect(self._on_jobs_selection_changed)
        self.controller.message_posted.connect(self.show_message)
        self.controller.files_skipped.connect(self.jobs.notices.add)
        self.controller.jobs_submitted.connect(self._on_jobs_submitted)
        self.controller.batch_finished.connect(self._on_batch_finished)
        self.notifier.fallback_used.connect(lambda text: self.show_message(text, 15000))
        self.viewer.message_posted.connect(self.show_message)
        self.search.hit_activated.connect(self._on_search_hit_activated)
        self.watcher.files_arrived.connect(self.controller.submit)

    def _start_monitor(self) -> None:
        task = Task(follow, self._reader, controlled=True, coalesce=coalesce, interval=POLL_SECONDS,
                    name="job monitor")  # fmt: skip
        task.signals.progress.connect(self._on_monitor_changes)
        self._monitor = self.tasks.start(task)

    def pipeline_options(self) -> PipelineOptions:
        """Options of new jobs, from the current settings."""
        s = self.context.settings
        ocr = s.ocr if s.ocr in ("auto", "always", "never") else "auto"
        return PipelineOptions(dpi=s.dpi, ocr=ocr, ocr_languages=s.ocr_languages)  # type: ignore[arg-type]

    def _search(self, query: str) -> list[SearchHit]:
        return self.service.search(query, limit=100, markers=("\x02", "\x03"))

    # -- strings ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to the window's own strings."""
        self.commands.retranslate()
        self.search_dock.setWindowTitle(self.tr("Find in documents"))
        self.overall.setAccessibleName(self.tr("Overall progress"))
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        """A short message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    # -- live updates -----------------------------------------------------------------------------

    def _on_monitor_changes(self, changes: Changes) -> None:
        self.model.apply_changes(changes)
        shown = self.viewer.job_id
        if shown is not None and shown in changes.upserts:
            row = changes.upserts[shown]
            if self.viewer.document is None and row.status == "success":
                self.viewer.show_job(row)  # it just finished: show its results
        elif shown is not None and shown in changes.removed:
            self.viewer.show_job(None)
        if self._select_after and any(self.model.job(i) for i in self._select_after):
            self.jobs.select_ids(self._select_after)
            self._select_after = [i for i in self._select_after if self.model.job(i) is None]
        self._update_title()
        self._update_actions()
        self.changes_applied.emit()

    def _update_title(self) -> None:
        active, percent = self.controller.batch.progress(self.model)
        if active:
            summary = self.tr("%n job(s) running", "", active)
            self.setWindowTitle(f"{summary} ({percent_text(percent)}) — {APP_DISPLAY_NAME}")
            self.overall.setValue(round(percent))
            self.overall.setFormat(percent_text(percent))
            self.overall.show()
            self.status_text.setText(summary)
        else:
            self.setWindowTitle(APP_DISPLAY_NAME)
            self.overall.hide()
            self.status_text.setText(self.tr("%n job(s)", "", self.model.rowCount()))

    def _update_actions(self) -> None:
        rows = [r for i in self.jobs.selected_ids() if (r := self.model.job(i)) is not None]
        a = self.commands
        a.cancel.setEnabled(any(r.active for r in rows))
        a.retry.setEnabled(any(not r.active for r in rows))
        a.remove.setEnabled(bool(rows))
        a.results_folder.setEnabled(len(rows) == 1)
        a.export.setEnabled(any(r.status == "success" for r in rows))
        a.view.setEnabled(len(rows) == 1)

    def _on_batch_finished(self, succeeded: int, failed: int, cancelled: int) -> None:
        parts = [self.tr("%n succeeded", "", succeeded), self.tr("%n failed", "", failed)]
        if cancelled:
            parts.append(self.tr("%n cancelled", "", cancelled))
        self.notifier.notify(self.tr("Batch finished"), ", ".join(parts))
        self._update_title()

    # -- adding work ---------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept drags that carry local files or folders."""
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        """Keep accepting over every child widget."""
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Submit the dropped files and folders."""
        paths = paths_from_mime(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.controller.submit(paths)

    def open_files(self) -> None:
        """File → Open files…"""
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add PDF files"), "", self.tr("PDF documents (*.pdf);;All files (*)")
        )
        self.controller.submit([Path(f) for f in files])

    def open_folder(self) -> None:
        """File → Open folder…"""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add every PDF of a folder"))
        if folder:
            self.controller.submit([Path(folder)])

    def paste_paths(self) -> None:
        """Submit the files or folders named in the clipboard."""
        paths = paths_from_mime(QGuiApplication.clipboard().mimeData())
        if paths:
            self.controller.submit(paths)
        else:
            self.show_message(self.tr("The clipboard holds no file or folder path."))

    def _on_jobs_submitted(self, ids: list[str]) -> None:
        self._select_after = list(ids)
        if ids and any(self.model.job(i) for i in ids):
            self.jobs.select_ids(ids)

    # -- job actions ----------------------------------------------------------------------------

    def remove_selected(self) -> None:
        """Delete the selected jobs and their files, after confirmation."""
        ids = self.jobs.selected_ids()
        if ids:
            confirm_remove(self, len(ids), lambda: self.controller.remove(ids))

    def open_results_folder(self) -> None:
        """Show the current job's folder in the file manager."""
        job_id = self.jobs.current_id()
        folder = self.controller.job_folder(job_id) if job_id else None
        if folder is not None and folder.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        else:
            self.show_message(self.tr("This job has no local folder."))

    def export_selected(self) -> None:
        """Save the bundle.zip of each selected finished job."""
        rows = [r for i in self.jobs.selected_ids() if (r := self.model.job(i)) is not None]
        pairs = ask_bundle_targets(self, rows, self.controller.bundle_path)
        if pairs:
            self.controller.export_bundles(pairs)

    def _on_view_triggered(self) -> None:
        job_id = self.jobs.current_id()
        if job_id:
            self._on_job_activated(job_id)

    def _on_job_activated(self, job_id: str) -> None:
        self.viewer.show_job(self.model.job(job_id))
        self.viewer.page_view.setFocus()

    def _on_jobs_selection_changed(self) -> None:
        self._update_actions()
        ids = self.jobs.selected_ids()
        if len(ids) == 1 and ids[0] != self.viewer.job_id:
            self.viewer.show_job(self.model.job(ids[0]))

    def _on_jobs_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions(self.commands.job_actions())
        menu.popup(self.jobs.view.viewport().mapToGlobal(position))

    def _on_find_triggered(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_query()

    def _on_filter_triggered(self) -> None:
        self.jobs.filter_text.setFocus()
        self.jobs.filter_text.selectAll()

    def _on_search_hit_activated(self, job_id: str, page: int, query: str) -> None:
        row = self.model.job(job_id)
        if row is None:
            return
        self.jobs.select_ids([job_id])
        self.viewer.show_job(row, page=page, highlight=query.replace("*", "").split())

    def refresh(self) -> None:
        """Read every job again (F5) and reload the viewer."""
        self._reader.invalidate()
        row = self.model.job(self.viewer.job_id) if self.viewer.job_id else None
        if row is not None:
            self.viewer.show_job(None)
            self.viewer.show_job(row)

    def _on_task_failed(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            crash.report_exception(exc, self)

    # -- settings, help -------------------------------------------------------------------------

    def open_settings(self) -> None:
        """Show the settings dialog; apply and save its result when accepted."""
        dialog = SettingsDialog(self.context.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.settings()))
        dialog.open()

    def apply_settings(self, new: Settings) -> None:
        """Persist ``new`` and apply what can change without a restart."""
        old = self.context.settings
        self.context.settings = new
        self.tasks.run(save_settings, new)
        if new.language != old.language:
            self.context.translations.apply(new.language)
        if new.theme != old.theme:
            self.context.theme.apply(new.theme)
        if new.watch_folder != old.watch_folder:
            self.watcher.watch(new.watch_folder)
        restart = (new.home, new.workers, new.concurrent_jobs) != (
            old.home, old.workers, old.concurrent_jobs)  # fmt: skip
        if restart:
            self.show_message(self.tr("Some changes apply at the next start."), 10000)
        self.settings_applied.emit(new)

    def open_log_folder(self) -> None:
        """Help → Open log folder."""
        folder = self.context.log_file.parent if self.context.log_file else None
        folder = folder or self.context.settings.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_about(self) -> None:
        """Help → About."""
        from .about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- geometry and lifetime ------------------------------------------------------------

    def _state_parts(self) -> tuple[dict[str, QSplitter], dict[str, QHeaderView]]:
        splitters = {"mainSplitter": self.splitter, "viewerSplitter": self.viewer.splitter}
        return splitters, {"jobsHeader": self.jobs.view.horizontalHeader()}

    def _restore_geometry(self) -> None:
        if not restore_state(self, *self._state_parts()):
            self.splitter.setSizes([340, 460])

    def save_geometry(self) -> None:
        """Remember the window's geometry, docks, splitters and columns."""
        save_state(self, *self._state_parts())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Confirm when jobs are running (quitting cancels them), then stop the window's work."""
        # Only the engine's own jobs are cancelled by quitting (not those of a CLI).
        running = sum(1 for r in self.model.jobs() if r.active and r.owner_pid == self.service.pid)
        if running and not self.property("force_close"):
            answer = QMessageBox.question(
                self,
                self.tr("Quit DataFlow Desktop"),
                self.tr("%n job(s) are still running. Quit and cancel them?", "", running),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_geometry()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop polling, watching and every task of the window (idempotent)."""
        self.watcher.watch(None)
        if self._monitor is not None:
            self._monitor.cancel()
            self._monitor = None
        self.viewer.thumbs.stop()
        self.tasks.shutdown()
        self.notifier.close()

    def settings(self) -> Settings:
        """The settings the window runs with."""
        return replace(self.context.settings)


__all__ = ["MainWindowWidget"]
