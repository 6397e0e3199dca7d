"""The settings dialog: data folder, concurrency, raster, OCR, watched folder, look;
team sync and where jobs run (``settings_team.py``); the AI provider (``settings_llm.py``).

It edits a :class:`~dataflow_desktop.config.Settings` copy; the caller persists it
with ``config.save_settings`` and applies what can change without a restart (theme,
language, raster and OCR options of new jobs, the watched folder). Secrets never pass
through it: remote profiles store theirs when their editor is confirmed, and a typed
LLM API key goes to the OS keyring (in a task) before the dialog is accepted.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from .form_helpers import fill_combo, select_data
from .remote_profiles import error_text
from .settings_llm import LlmPage, store_key
from .settings_team import TeamSyncPage
from .tasks import TaskManager
from .theme import THEMES

OCR_MODES = ("auto", "always", "never")
LANGUAGES = ("system", "en", "fr")
# Language names are shown in their own language, whatever the interface language.
_NATIVE_NAMES = {"en": "English", "fr": "Français"}


class _PathEdit(QWidget):
    """A line edit with a "Browse…" button that picks a folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.button = QPushButton(self)
        self.button.clicked.connect(self._on_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _on_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.button.toolTip(), self.edit.text())
        if folder:
            self.edit.setText(folder)


class SettingsDialog(QDialog):
    """Edits the settings; :meth:`settings` returns the edited copy after ``accept``.

    Three tabs: general settings, team sync (remote profiles, sync remote, "Run on")
    and AI analysis. ``accept`` refuses invalid team or AI settings, saying why on
    their tab. Keyring, file and network work runs on the dialog's own task pool.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original = settings
        self.setObjectName("settingsDialog")
        self.tasks = TaskManager(max_threads=2, parent=self)
        self.home = _PathEdit(self)
        self.home_note = QLabel(self)
        self.home_note.setWordWrap(True)
        self.workers = QSpinBox(self)
        self.workers.setRange(1, max(64, os.cpu_count() or 1))
        self.concurrent_jobs = QSpinBox(self)
        self.concurrent_jobs.setRange(1, 16)
        self.dpi = QSpinBox(self)
        self.dpi.setRange(36, 600)
        self.dpi.setSingleStep(25)
        self.ocr = QComboBox(self)
        self.ocr_languages = QComboBox(self)
        self.ocr_languages.setEditable(True)
        self.ocr_languages.addItems(["eng+fra", "eng", "fra", "fra+eng+deu"])
        self.watch_enabled = QCheckBox(self)
        self.watch_folder = _PathEdit(self)
        self.watch_enabled.toggled.connect(self.watch_folder.setEnabled)
        self.theme = QComboBox(self)
        self.language = QComboBox(self)
        self.restart_note = QLabel(self)
        self.restart_note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # QFormLayout.addRow("", w) makes no label at all: labels are ours, set later.
        self._labels: dict[QWidget, QLabel] = {}

        def row(form: QFormLayout, widget: QWidget) -> None:
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[widget] = label
            form.addRow(label, widget)

        self.storage_box = QGroupBox(self)
        storage_form = QFormLayout(self.storage_box)
        row(storage_form, self.home)
        storage_form.addRow(self.home_note)
        self.processing_box = QGroupBox(self)
        processing_form = QFormLayout(self.processing_box)
        for widget in (self.workers, self.concurrent_jobs, self.dpi, self.ocr, self.ocr_languages):
            row(processing_form, widget)
        self.watch_box = QGroupBox(self)
        watch_form = QFormLayout(self.watch_box)
        watch_form.addRow(self.watch_enabled)
        watch_form.addRow(self.watch_folder)
        self.look_box = QGroupBox(self)
        look_form = QFormLayout(self.look_box)
        row(look_form, self.theme)
        row(look_form, self.language)
        self.general_page = QWidget(self)
        general = QVBoxLayout(self.general_page)
        for box in (self.storage_box, self.processing_box, self.watch_box, self.look_box):
            general.addWidget(box)
        general.addWidget(self.restart_note)
        general.addStretch(1)
        self.team_page = TeamSyncPage(self.tasks, settings, self)
        self.llm_page = LlmPage(self.tasks, settings, self)
        self.tabs = QTabWidget(self)
        # On the tabs, not the dialog: a dialog with a minimum size of its own no longer
        # grows with its layout (e.g. when a connection verdict appears).
        self.tabs.setMinimumWidth(580)
        for page in (self.general_page, self.team_page, self.llm_page):
            self.tabs.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._load(settings)

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to every string of the dialog."""
        self.setWindowTitle(self.tr("Settings"))
        self.tabs.setTabText(0, self.tr("General"))
        self.tabs.setTabText(1, self.tr("Team sync"))
        self.tabs.setTabText(2, self.tr("AI analysis"))
        self.storage_box.setTitle(self.tr("Data"))
        self.processing_box.setTitle(self.tr("Processing"))
        self.watch_box.setTitle(self.tr("Watched folder"))
        self.look_box.setTitle(self.tr("Appearance"))
        self._labels[self.home].setText(self.tr("Data folder:"))
        self.home.button.setText(self.tr("Browse…"))
        self.home.button.setToolTip(self.tr("Choose the data folder"))
        self.home.edit.setAccessibleName(self.tr("Data folder"))
        if os.environ.get("DATAFLOW_HOME"):
            self.home_note.setText(
                self.tr("Set by the DATAFLOW_HOME environment variable; it cannot be changed here.")
            )
        else:
            self.home_note.setText(self.tr("Jobs, results and logs are kept in this folder."))
        rows = (
            (self.workers, self.tr("Worker processes:"), self.tr("Worker processes")),
            (self.concurrent_jobs, self.tr("Jobs at once:"), self.tr("Jobs at once")),
            (self.dpi, self.tr("Page image resolution:"), self.tr("Page image resolution")),
            (self.ocr, self.tr("Text recognition (OCR):"), self.tr("Text recognition mode")),
            (self.ocr_languages, self.tr("OCR languages:"), self.tr("OCR languages")),
            (self.theme, self.tr("Theme:"), self.tr("Theme")),
            (self.language, self.tr("Interface language:"), self.tr("Interface language")),
        )
        for widget, label, accessible in rows:
            self._labels[widget].setText(label)
            widget.setAccessibleName(accessible)
        self.dpi.setSuffix(self.tr(" dpi"))
        self.ocr_languages.setToolTip(
            self.tr("Tesseract language codes joined by +, for example eng+fra.")
        )
        fill_combo(self.ocr, OCR_MODES, [self.tr("Automatic (pages without text)"),
                                    self.tr("Always"), self.tr("Never")])  # fmt: skip
        fill_combo(self.theme, THEMES, [self.tr("System"), self.tr("Light"), self.tr("Dark")])
        fill_combo(
            self.language,
            LANGUAGES,
            [self.tr("System language"), _NATIVE_NAMES["en"], _NATIVE_NAMES["fr"]],
        )
        self.watch_enabled.setText(self.tr("Process new PDFs that appear in this folder"))
        self.watch_folder.button.setText(self.tr("Browse…"))
        self.watch_folder.button.setToolTip(self.tr("Choose the watched folder"))
        self.watch_folder.edit.setAccessibleName(self.tr("Watched folder"))
        self.restart_note.setText(
            self.tr(
                "Theme, language, resolution, OCR and the watched folder apply at once; "
                "the data folder and the number of worker processes apply at the next start."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate live when the application language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- values -------------------------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        self.home.edit.setText(str(settings.home))
        self.home.setEnabled(not os.environ.get("DATAFLOW_HOME"))
        self.workers.setValue(settings.workers)
        self.concurrent_jobs.setValue(settings.concurrent_jobs)
        self.dpi.setValue(settings.dpi)
        select_data(self.ocr, settings.ocr)
        self.ocr_languages.setCurrentText(settings.ocr_languages)
        self.watch_enabled.setChecked(settings.watch_folder is not None)
        self.watch_folder.setEnabled(settings.watch_folder is not None)
        self.watch_folder.edit.setText(str(settings.watch_folder or ""))
        select_data(self.theme, settings.theme)
        select_data(self.language, settings.language)

    def settings(self) -> Settings:
        """The edited settings (the original ones with the dialog's values)."""
        home_text = self.home.edit.text().strip()
        watch_text = self.watch_folder.edit.text().strip()
        languages = self.ocr_languages.currentText().strip().replace(" ", "")
        general = replace(
            self._original,
            home=Path(home_text).expanduser() if home_text else self._original.home,
            workers=self.workers.value(),
            concurrent_jobs=self.concurrent_jobs.value(),
            dpi=self.dpi.value(),
            ocr=str(self.ocr.currentData()),
            ocr_languages=languages or self._original.ocr_languages,
            watch_folder=(
                Path(watch_text).expanduser()
                if self.watch_enabled.isChecked() and watch_text
                else None
            ),
            theme=str(self.theme.currentData()),
            language=str(self.language.currentData()),
        )
        return self.llm_page.apply(self.team_page.apply(general))

    def accept(self) -> None:
        """Refuse invalid team or AI settings; store a typed API key, then accept."""
        for page in (self.team_page, self.llm_page):
            page.problem_label.clear_state()
            problem = page.problem()
            if problem is not None:
                widget, text = problem
                self.tabs.setCurrentWidget(page)
                page.problem_label.show_state("error", text)
                widget.setFocus()
                return
        key = self.llm_page.new_key()
        if key is None:
            super().accept()
            return
        self.buttons.setEnabled(False)
        self.tasks.run(store_key, key, on_success=self._on_key_stored,
                       on_failure=self._on_key_refused)  # fmt: skip

    def _on_key_stored(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.llm_page.api_key.clear()
        super().accept()

    def _on_key_refused(self, error: object) -> None:
        self.buttons.setEnabled(True)
        self.tabs.setCurrentWidget(self.llm_page)
        self.llm_page.problem_label.show_state("error", error_text(error))


__all__ = ["LANGUAGES", "OCR_MODES", "SettingsDialog"]
