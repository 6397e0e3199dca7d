"""The viewer of one job's results: thumbnails, the page with its boxes, and tabs.

Everything slow (indexing result.json, decoding page images and thumbnails) runs on
task threads; the GUI thread only builds the scene from the decoded image and the page
dict. A newer request makes an older, still-running page load's result stale.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...storage.base import FileStorage
from ..store_reader import JobRow
from ..tasks import TaskManager
from .document import JobDocument
from .imaging import decode_image
from .page_view import PageViewWidget
from .panels import AnalysisWidget, MetadataWidget, WarningsWidget
from .tables import TablesWidget
from .thumbs import ThumbnailListWidget

log = logging.getLogger(__name__)


def load_page(doc: JobDocument, number: int) -> tuple[int, dict[str, Any], QImage | None]:
    """Read page ``number`` and decode its image (runs on a task thread)."""
    page = doc.page(number)
    raster = page.get("raster") or {}
    data = doc.read_file(str(raster.get("file") or f"pages/{number:04d}.png"))
    image = decode_image(data) if data else None
    return number, page, image


class ViewerWidget(QWidget):
    """Shows the selected job's results.

    Signals:
        message_posted(str): a short status message (text copied, file exported...).
        page_shown(int): a page finished loading and is on screen.
    """

    message_posted = Signal(str)
    page_shown = Signal(int)

    def __init__(self, tasks: TaskManager, storage: FileStorage, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._storage = storage
        self.document: JobDocument | None = None
        self._job: JobRow | None = None
        self._page = 0
        self._request = 0
        self._highlight: tuple[str, ...] = ()
        self._pending_page = 1

        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_spin.valueChanged.connect(self._on_page_spin_value_changed)
        self.page_total = QLabel(self)
        self.zoom_out = QToolButton(self)
        self.zoom_out.setText("−")
        self.zoom_in = QToolButton(self)
        self.zoom_in.setText("+")
        self.fit = QToolButton(self)
        self.report_button = QPushButton(self)
        self.page_view = PageViewWidget(self)
        self.page_view.text_copied.connect(self._on_page_view_text_copied)
        self.zoom_out.clicked.connect(lambda: self.page_view.zoom_by(1 / 1.25))
        self.zoom_in.clicked.connect(lambda: self.page_view.zoom_by(1.25))
        self.fit.clicked.connect(self.page_view.fit_width)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        for tool in (self.page_spin, self.page_total, self.zoom_out, self.zoom_in, self.fit,
                     self.report_button):  # fmt: skip
            bar.addWidget(tool)

        self.thumbs = ThumbnailListWidget(tasks, self)
        self.thumbs.page_requested.connect(self.show_page)
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.page_view)

        self.tabs = QTabWidget(self)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.markdown = QTextBrowser(self)
        self.markdown.setOpenExternalLinks(True)
        self.tables = TablesWidget(tasks, self)
        self.tables.page_requested.connect(self.show_page)
        self.tables.exported.connect(self._on_tables_exported)
        self.metadata = MetadataWidget(self)
        self.analysis = AnalysisWidget(self)
        self.warnings = WarningsWidget(self)
        for widget in (self.text, self.markdown, self.tables, self.metadata, self.analysis,
                       self.warnings):  # fmt: skip
            self.tabs.addTab(widget, "")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("viewerSplitter")
        self.splitter.addWidget(self.thumbs)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([self.thumbs.maximumWidth(), 560, 580])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.retranslate()
        self.show_job(None)

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language."""
        self.tabs.setAccessibleName(self.tr("Result details"))
        self.text.setAccessibleName(self.tr("Page text in reading order"))
        self.markdown.setAccessibleName(self.tr("Markdown preview"))
        self.page_spin.setAccessibleName(self.tr("Page number"))
        self.page_spin.setPrefix(self.tr("Page "))
        self.zoom_out.setToolTip(self.tr("Zoom out"))
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        self.zoom_in.setToolTip(self.tr("Zoom in (Ctrl + wheel)"))
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.fit.setText(self.tr("Fit width"))
        self.report_button.setText(self.tr("Open report"))
        self.report_button.setToolTip(self.tr("Open report.html in the web browser"))
        self._update_counts()
        self._update_placeholder()

    def _update_counts(self) -> None:
        """Tab titles with their counts and the page total (all that changes per job)."""
        names = (self.tr("Text"), self.tr("Markdown"), self.tr("Tables"),
                 self.tr("Metadata"), self.tr("Analysis"), self.tr("Warnings"))  # fmt: skip
        counts = (None, None, len(self.document.tables) if self.document else None, None, None,
                  self.warnings.problem_count() or None)  # fmt: skip
        for index, (name, count) in enumerate(zip(names, counts, strict=True)):
            self.tabs.setTabText(index, f"{name} ({count})" if count else name)
        total = self.document.page_count if self.document else 0
        self.page_total.setText(self.tr("of {n}").format(n=total))

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_placeholder(self) -> None:
        job = self._job
        if job is None:
            text = self.tr("Select a finished job to see its pages, text and tables.")
        elif job.status == "success":
            text = self.tr("Loading {name}…").format(name=job.name)
        elif job.active:
            text = self.tr("{name} is being processed; its results appear here when it is done."
                           ).format(name=job.name)  # fmt: skip
        else:
            text = self.tr("{name} has no results. See the Warnings tab.").format(name=job.name)
        self.placeholder.setText(text)

    # -- jobs -------------------------------------------------------------------------------

    @property
    def job_id(self) -> str | None:
        """The job shown, if any."""
        return self._job.id if self._job else None

    def show_job(self, job: JobRow | None, page: int = 1, highlight: Sequence[str] = ()) -> None:
        """Show ``job``'s results at ``page`` (words of ``highlight`` marked on the page)."""
        self._highlight = tuple(highlight)
        same = job is not None and self._job is not None and job.id == self._job.id
        if same and self.document is not None:
            self._job = job
            self.show_page(page, force=True)
            return
        self._job = job
        self._request += 1
        self.document = None
        self._pending_page = page
        self.thumbs.show_document(None)
        self.tables.set_tables([])
        self.page_view.clear_page()
        self.page_view.fit_width()  # zoom is kept while paging, not across documents
        self.text.clear()
        self.markdown.clear()
        self.metadata.set_data(None)
        self.analysis.set_data(None)
        error = None
        if job is not None and job.error_code:
            error = {"code": job.error_code, "message": job.error_message, "step": job.step}
        self.warnings.set_problems(error, [])
        self.title.setText(job.name if job else "")
        self.stack.setCurrentWidget(self.placeholder)
        self.report_button.setEnabled(False)
        for widget in (self.page_spin, self.zoom_in, self.zoom_out, self.fit):
            widget.setEnabled(False)
        self._update_counts()
        self._update_placeholder()
        if job is None or job.status != "success":
            if error is not None:
                self.tabs.setCurrentWidget(self.warnings)
            return
        request = self._request
        self._tasks.run(
            JobDocument.open, self._storage, job.env, job.id,
            on_success=lambda doc: self._on_document_loaded(request, doc),
            on_failure=lambda exc: self._on_document_failed(request, exc),
        )  # fmt: skip

    def _on_document_loaded(self, request: int, doc: JobDocument) -> None:
        if request != self._request:
            return
        self.document = doc
        self.title.setText(doc.name)
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, doc.page_count))
        self.page_spin.blockSignals(False)
        for widget in (self.page_spin, self.zoom_in, self.zoom_out, self.fit):
            widget.setEnabled(True)
        self.report_button.setEnabled(doc.local_file("report.html") is not None)
        self.thumbs.show_document(doc)
        self.tables.set_tables(doc.tables)
        self.metadata.set_data(doc.header.get("document"))
        self.analysis.set_data(doc.header.get("analysis"))
        self.tabs.setTabEnabled(self.tabs.indexOf(self.analysis), bool(doc.header.get("analysis")))
        error = None
        if self._job is not None and self._job.error_code:
            error = {"code": self._job.error_code, "message": self._job.error_message}
        self.warnings.set_problems(error, list(doc.header.get("warnings") or []))
        if doc.folder is not None:
            self.markdown.setSearchPaths([str(doc.folder)])
        self._update_counts()
        self.show_page(min(max(1, self._pending_page), max(1, doc.page_count)), force=True)

    def _on_document_failed(self, request: int, exc: object) -> None:
        if request != self._request:
            return
        log.warning("Results of %s could not be opened: %s", self.job_id, exc)
        self.placeholder.setText(self.tr("The results could not be opened: {error}").format(
            error=exc))  # fmt: skip

    # -- pages ------------------------------------------------------------------------------

    def show_page(self, number: int, force: bool = False) -> None:
        """Load and show page ``number`` (1-based) of the open document."""
        doc = self.document
        if doc is None or not 1 <= number <= doc.page_count:
            return
        if number == self._page and not force:
            return
        self._page = number
        self._request += 1
        request = self._request
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(number)
        self.page_spin.blockSignals(False)
        self.thumbs.select_page(number)
        self.tables.select_on_page(number)
        self._tasks.run(
            load_page, doc, number,
            on_success=lambda result: self._on_page_loaded(request, result),
            on_failure=lambda exc: self._on_document_failed(request, exc),
        )  # fmt: skip

    def _on_page_loaded(self, request: int, result: tuple[int, dict[str, Any], Any]) -> None:
        if request != self._request or self.document is None:
            return
        number, page, image = result
        self.page_view.set_page(page, image, self._highlight)
        self.stack.setCurrentWidget(self.page_view)
        self.text.setPlainText(str(page.get("text") or ""))
        section = self.document.markdown.get(number)
        if section is None:
            from ...pipeline.markdown import page_markdown

            section = page_markdown(page)
        self.markdown.setMarkdown(section)
        self.page_shown.emit(number)

    @property
    def current_page(self) -> int:
        """The page shown (0 when none)."""
        return self._page if self.document is not None else 0

    # -- slots ------------------------------------------------------------------------------

    def _on_page_spin_value_changed(self, value: int) -> None:
        self.show_page(value)

    def _on_page_view_text_copied(self, text: str) -> None:
        preview = text if len(text) <= 60 else text[:60] + "…"
        self.message_posted.emit(self.tr("Copied: {text}").format(text=preview.replace("\n", " ")))

    def _on_tables_exported(self, path: str) -> None:
        self.message_posted.emit(self.tr("Table saved to {path}").format(path=path))

    def _on_report_button_clicked(self) -> None:
        path = self.document.local_file("report.html") if self.document else None
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path))))


__all__ = ["ViewerWidget", "load_page"]
