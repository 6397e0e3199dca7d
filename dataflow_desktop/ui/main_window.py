"""The main window: job list above, viewer below, search on the side.

It wires the parts together; the work is elsewhere: :mod:`.controller` (job actions,
passwords, batches), :mod:`.job_actions` (the job list's commands), :mod:`.team_actions`
(sync, teammates' jobs), :mod:`.window_status` (title and status bar),
:mod:`.job_feed` (live updates), :mod:`.viewer`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QWidget,
)

from ..config import Settings, save_settings
from ..pipeline.options import PipelineOptions
from . import crash
from ._resources import app_icon
from .app import UiContext
from .controller import JobController
from .engine import EngineClient
from .intake import FolderWatcher, paths_from_mime
from .job_actions import JobListActions
from .job_dialogs import ask_pdf_files, ask_pdf_folder, confirm_quit
from .job_feed import JobFeed
from .jobs_model import Column, JobTableModel
from .jobs_panel import JobsPanelWidget
from .notices import Notifier
from .search_widget import SearchWidget
from .settings_dialog import SettingsDialog
from .tasks import TaskManager
from .team_actions import TeamJobActions
from .team_panel import TeamPanelWidget
from .viewer.viewer_widget import ViewerWidget
from .window_actions import WindowActions
from .window_state import restore_state, save_state
from .window_status import WindowStatus

if TYPE_CHECKING:
    from ..jobs import SearchHit


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
        self.team = TeamPanelWidget(
            self.tasks, service.remote_jobs, lambda: frozenset(r.id for r in self.model.jobs()),
            sync_on=bool(service.settings.sync_remote), parent=self,
        )  # fmt: skip
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("jobTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.jobs, "")
        self.tabs.addTab(self.team, "")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self.controller = JobController(service, self.tasks, self.model, self)
        self.controller.options_provider = self.pipeline_options
        self.status = WindowStatus(self, service, self.controller, self.model)
        self.watcher = FolderWatcher(self.tasks, self)
        self.notifier = Notifier(app_icon(), self)
        self.commands = WindowActions(self)
        self.commands.view_menu.addAction(self.search_dock.toggleViewAction())
        self.commands.view_menu.addAction(self.commands.toolbar.toggleViewAction())
        self.job_actions = JobListActions(self, commands=self.commands, jobs=self.jobs,
                                          model=self.model, controller=self.controller,
                                          viewer=self.viewer)  # fmt: skip
        self.feed = JobFeed(self, tasks=self.tasks, db_path=context.settings.db_path,
                            storage=service.storage, model=self.model, jobs=self.jobs,
                            viewer=self.viewer)  # fmt: skip
        self.team_jobs = TeamJobActions(self, service=service, tasks=self.tasks, model=self.model,
                                        viewer=self.viewer, team=self.team,
                                        relist=self.feed.relist)  # fmt: skip
        self._connect()
        self.retranslate()
        self._restore_geometry()
        # "Local only" on every row says nothing while sync is off.
        self.jobs.view.setColumnHidden(Column.SYNC, not service.settings.sync_remote)
        self.feed.start()
        self.watcher.watch(context.settings.watch_folder)
        self.job_actions.update_enabled()
        # The engine keeps the settings it started with: sync stays on or off until then.
        self.commands.sync_now.setEnabled(bool(service.settings.sync_remote))

    # -- wiring --------------------------------------------------------------------------------

    def _connect(self) -> None:
        a = self.commands
        a.open_files.triggered.connect(self.open_files)
        a.open_folder.triggered.connect(self.open_folder)
        a.paste.triggered.connect(self.paste_paths)
        a.settings.triggered.connect(self.open_settings)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self._on_find_triggered)
        a.refresh.triggered.connect(self.feed.refresh)
        a.sync_now.triggered.connect(self.team_jobs.sync_now)
        a.log_folder.triggered.connect(self.open_log_folder)
        a.about.triggered.connect(self.show_about)
        self.job_actions.message_posted.connect(self.show_message)
        self.team_jobs.message_posted.connect(self.show_message)
        self.controller.message_posted.connect(self.show_message)
        self.controller.files_skipped.connect(self.jobs.notices.add)
        self.controller.jobs_submitted.connect(self.feed.select_when_listed)
        self.feed.changes_applied.connect(self._on_changes_applied)
        self.controller.batch_finished.connect(self._on_batch_finished)
        self.notifier.fallback_used.connect(lambda text: self.show_message(text, 15000))
        self.viewer.message_posted.connect(self.show_message)
        self.search.hit_activated.connect(self.job_actions.show_search_hit)
        self.watcher.files_arrived.connect(self.controller.submit)

    def pipeline_options(self) -> PipelineOptions:
        """Options of new jobs, from the current settings."""
        s = self.context.settings
        ocr = s.ocr if s.ocr in ("auto", "always", "never") else "auto"
        return PipelineOptions(dpi=s.dpi, ocr=ocr, ocr_languages=s.ocr_languages)  # type: ignore[arg-type]

    def _search(self, query: str) -> list[SearchHit]:
        return self.service.search(query, limit=100, markers=("\x02", "\x03"))

    def _on_task_failed(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            crash.report_exception(exc, self)

    # -- strings ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to the window's own strings."""
        self.commands.retranslate()
        self.search_dock.setWindowTitle(self.tr("Find in documents"))
        self.tabs.setTabText(self.tabs.indexOf(self.jobs), self.tr("My jobs"))
        self.tabs.setTabText(self.tabs.indexOf(self.team), self.tr("Team"))
        self.status.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        """A short message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    # -- live updates -----------------------------------------------------------------------------

    def _on_changes_applied(self) -> None:
        self.team_jobs.show_pulled()
        self.status.update_summary()
        self.job_actions.update_enabled()
        self.changes_applied.emit()

    def _on_batch_finished(self, succeeded: int, failed: int, cancelled: int) -> None:
        parts = [self.tr("%n succeeded", "", succeeded), self.tr("%n failed", "", failed)]
        if cancelled:
            parts.append(self.tr("%n cancelled", "", cancelled))
        self.notifier.notify(self.tr("Batch finished"), ", ".join(parts))
        self.status.update_summary()

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
        self.controller.submit(ask_pdf_files(self))

    def open_folder(self) -> None:
        """File → Open folder…"""
        folder = ask_pdf_folder(self)
        if folder is not None:
            self.controller.submit([folder])

    def paste_paths(self) -> None:
        """Submit the files or folders named in the clipboard."""
        paths = paths_from_mime(QGuiApplication.clipboard().mimeData())
        if paths:
            self.controller.submit(paths)
        else:
            self.show_message(self.tr("The clipboard holds no file or folder path."))

    # -- search ------------------------------------------------------------------------------

    def _on_find_triggered(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_query()

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
        # The engine runs with the settings it started with (title and tabs follow it).
        engine = ("home", "workers", "concurrent_jobs", "env", "sync_remote", "cloud_only",
                  "run_on", "temporal_address", "temporal_task_queue")  # fmt: skip
        restart = any(getattr(new, name) != getattr(old, name) for name in engine)
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
        if running and not self.property("force_close") and not confirm_quit(self, running):
            event.ignore()
            return
        self.save_geometry()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop polling, watching and every task of the window (idempotent)."""
        self.watcher.watch(None)
        self.feed.stop()
        self.viewer.thumbs.stop()
        self.tasks.shutdown()
        self.notifier.close()

    def settings(self) -> Settings:
        """The settings the window runs with."""
        return replace(self.context.settings)


__all__ = ["MainWindowWidget"]
