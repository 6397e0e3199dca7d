"""Settings dialog, persistence across a restart, live language and theme switches."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from dataflow_desktop.config import load_settings
from dataflow_desktop.ui.i18n import resolve_language
from dataflow_desktop.ui.settings_dialog import SettingsDialog


def test_settings_survive_a_restart_of_the_window(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(760, 560)  # within the offscreen screen (800×600): restore clamps to it
    window.splitter.setSizes([200, 400])
    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    assert dialog.isVisible()
    dialog.dpi.setValue(200)
    dialog.concurrent_jobs.setValue(3)
    dialog.ocr.setCurrentIndex(dialog.ocr.findData("never"))
    dialog.ocr_languages.setCurrentText("fra")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    with qtbot.waitSignal(window.settings_applied, timeout=5_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    config = Path(os.environ["DATAFLOW_CONFIG_DIR"]) / "config.json"
    qtbot.waitUntil(lambda: json.loads(config.read_text()).get("dpi") == 200, timeout=5_000)
    assert window.pipeline_options().dpi == 200
    assert window.pipeline_options().ocr == "never"
    sizes = window.splitter.sizes()
    window.setProperty("force_close", True)
    window.close()

    reopened = make_window()
    settings = reopened.context.settings
    assert (settings.dpi, settings.concurrent_jobs, settings.ocr) == (200, 3, "never")
    assert (settings.ocr_languages, settings.theme, settings.language) == ("fra", "dark", "fr")
    assert (reopened.size().width(), reopened.size().height()) == (760, 560)
    assert reopened.splitter.sizes() == sizes
    assert reopened.context.translations.language == "fr"
    assert reopened.commands.file_menu.title() == "&Fichier"
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    # Back to English and light for the tests that follow in this process.
    reopened.apply_settings(replace(settings, language="en", theme="system"))
    # Qt posts LanguageChange to each window: it arrives on the next event-loop turn.
    qtbot.waitUntil(lambda: reopened.commands.file_menu.title() == "&File", timeout=5_000)


def test_switching_to_french_changes_the_window_strings_live(qtbot, window):  # type: ignore[no-untyped-def]
    assert window.commands.open_files.text() == "&Open files…"
    english_hint = window.jobs.hint.text()
    window.apply_settings(replace(window.settings(), language="fr"))
    try:
        qtbot.waitUntil(lambda: window.commands.file_menu.title() == "&Fichier", timeout=5_000)
        assert window.commands.open_files.text() == "&Ouvrir des fichiers…"
        assert window.jobs.hint.text() != english_hint
        assert "Déposez" in window.jobs.hint.text()
        assert window.jobs.filter_status.itemText(0) == "Toutes les tâches"
        header = window.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        assert header == "Fichier"
        assert window.viewer.tabs.tabText(0) == "Texte"
        # The unselected "Équipe" tab shows its accent (Fusion used to clip it off).
        bar, team = window.tabs.tabBar(), window.tabs.indexOf(window.team)
        assert (window.tabs.currentIndex(), bar.tabText(team)) == (0, "Équipe")
        accented = bar.grab(bar.tabRect(team)).toImage()
        bar.setTabText(team, "Equipe")
        assert bar.grab(bar.tabRect(team)).toImage() != accented
        # Qt's own strings (standard buttons) are French too.
        dialog = SettingsDialog(window.settings(), window)
        qtbot.addWidget(dialog)
        assert (
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
            == "Annuler"
        )
        label = dialog.findChildren(QLabel)
        assert any(lbl.text() == "Dossier de données\u00a0:" for lbl in label)
    finally:
        window.apply_settings(replace(window.settings(), language="en"))
    qtbot.waitUntil(lambda: window.commands.file_menu.title() == "&File", timeout=5_000)


def test_settings_dialog_round_trips_every_field(qtbot, data_home, tmp_path):  # type: ignore[no-untyped-def]
    settings = replace(load_settings(), watch_folder=tmp_path, workers=3, dpi=96, ocr="always")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.settings() == settings
    assert not dialog.home.isEnabled()  # DATAFLOW_HOME is set by the fixture
    dialog.watch_enabled.setChecked(False)
    assert dialog.settings().watch_folder is None


def test_language_follows_the_system_locale() -> None:
    assert (
        resolve_language("system", QLocale(QLocale.Language.French, QLocale.Country.Canada)) == "fr"
    )
    assert resolve_language("system", QLocale(QLocale.Language.German)) == "en"
    assert resolve_language("fr", QLocale(QLocale.Language.English)) == "fr"
