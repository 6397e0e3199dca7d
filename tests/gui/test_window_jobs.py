"""Jobs through the window: drops, live progress, cancel, passwords, CLI jobs, search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from _gui_helpers import JOB_TIMEOUT_MS, ROOT, job_named, wait_status
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from dataflow_desktop.jobs import STEPS
from dataflow_desktop.ui.main_window import MainWindowWidget

BOOK = "manypages-pymupdf-mupdf-explored.pdf"
SMALL = "text-en-pypdf-crazyones.pdf"
TABLES = "tables-camelot-twotables-2.pdf"
ENCRYPTED = "encrypted-pypdf-r6-aes256-user-password.pdf"


def drop(window: MainWindowWidget, paths: list[Path]) -> None:
    """Drag ``paths`` over the window and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = window.rect().center()
    enter = QDragEnterEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, event)
    assert event.isAccepted()


def test_drop_of_files_and_folder_creates_the_right_jobs(qtbot, window, corpus, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(corpus / SMALL, folder / SMALL)
    shutil.copy(corpus / TABLES, folder / "sub" / TABLES)
    (folder / "sub" / "notes.txt").write_text("not a pdf", encoding="utf-8")
    invalid = corpus / "broken-ocrmypdf-invalid.pdf"
    drop(window, [folder, invalid, corpus / "MANIFEST.tsv"])

    assert wait_status(qtbot, window, SMALL, {"success"}).pages == 1
    assert wait_status(qtbot, window, TABLES, {"success"}).pages == 1
    failed = wait_status(qtbot, window, invalid.name, {"failed"})
    assert failed.error_code == "corrupt_pdf"
    assert len(window.model.jobs()) == 3
    notices = window.jobs.notices.entries()
    assert window.jobs.notices.isVisible()
    assert any(e.startswith("notes.txt — ") and "not a PDF" in e for e in notices)
    assert any(e.startswith("MANIFEST.tsv — ") for e in notices)
    assert window.jobs.stack.currentWidget() is window.jobs.view


def test_progress_rises_monotonically_and_follows_progress_json(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    name = "multicolumn-pdfjs-tracemonkey.pdf"
    seen: list[tuple[float, str, str]] = []

    def record() -> None:
        row = job_named(window, name)
        if row is not None and (not seen or seen[-1] != (row.percent, row.step, row.status)):
            seen.append((row.percent, row.step, row.status))

    window.changes_applied.connect(record)
    window.controller.submit([corpus / name])
    row = wait_status(qtbot, window, name, {"success"})
    percents = [p for p, _, _ in seen]
    assert percents[0] == 0.0
    assert percents[-1] == 100.0
    assert percents == sorted(percents), percents
    progress = window.service.progress(row.id)
    assert progress is not None
    recorded = [s["name"] for s in progress["steps"]] + ["success"]
    steps = [s for _, s, _ in seen]
    shown = [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]
    assert set(shown) <= set(recorded)
    order = [recorded.index(s) for s in shown]
    assert order == sorted(order), shown
    assert {"extraction", "raster", "success"} <= set(shown) | {"extraction", "raster"}
    assert set(recorded) <= {*STEPS, "success"}


def test_cancel_stops_a_running_job(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    window.controller.submit([corpus / BOOK])

    def running() -> None:
        row = job_named(window, BOOK)
        assert row is not None
        assert row.status == "running"
        assert row.step in ("extraction", "raster")

    qtbot.waitUntil(running, timeout=JOB_TIMEOUT_MS)
    row = job_named(window, BOOK)
    assert row is not None
    window.jobs.select_ids([row.id])
    assert window.commands.cancel.isEnabled()
    window.commands.cancel.trigger()
    cancelled = wait_status(qtbot, window, BOOK, {"cancelled", "success"}, timeout=60_000)
    assert cancelled.status == "cancelled"
    assert cancelled.percent < 100


def test_password_dialog_asks_again_until_right(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    window.controller.submit([corpus / ENCRYPTED])
    qtbot.waitUntil(lambda: window.controller.password_dialog is not None, timeout=JOB_TIMEOUT_MS)
    dialog = window.controller.password_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not dialog.error.isVisibleTo(dialog)
    assert dialog.remember.isHidden() != window.controller.keyring.available
    qtbot.keyClicks(dialog.password, "wrong-one")
    dialog.accept()

    def asked_again() -> None:
        again = window.controller.password_dialog
        assert again is not None
        assert again is not dialog
        assert again.error.isVisibleTo(again)

    qtbot.waitUntil(asked_again, timeout=JOB_TIMEOUT_MS)
    again = window.controller.password_dialog
    assert again is not None
    qtbot.keyClicks(again.password, "asdfzxcv")
    qtbot.keyClick(again.password, Qt.Key.Key_Return)
    row = wait_status(qtbot, window, ENCRYPTED, {"success"})
    assert row.error_code is None
    assert window.controller.password_dialog is None


def test_job_started_by_the_cli_appears_in_the_open_window(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "dataflow_desktop.cli", "process", "--workers", "1",
               str(corpus / TABLES)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: job_named(window, TABLES) is not None, timeout=JOB_TIMEOUT_MS)
        row = wait_status(qtbot, window, TABLES, {"success"})
    finally:
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert row.pages == 1


def test_search_opens_the_page_of_the_hit(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    window.controller.submit([corpus / SMALL])
    row = wait_status(qtbot, window, SMALL, {"success"})
    window.commands.find.trigger()
    assert window.search_dock.isVisible()
    window.search.query.setText("rebels")
    qtbot.waitUntil(lambda: len(window.search.hits) == 1, timeout=10_000)
    assert "rebels" in window.search.results.toPlainText()
    with qtbot.waitSignal(window.viewer.page_shown, timeout=20_000) as shown:
        window.search.open_hit(0)
    assert shown.args == [1]
    assert window.viewer.job_id == row.id
    assert any(b.brush().style() != Qt.BrushStyle.NoBrush for b in window.viewer.page_view.boxes())


def test_remove_asks_then_deletes_the_job_and_its_files(qtbot, window, corpus):  # type: ignore[no-untyped-def]
    window.controller.submit([corpus / SMALL])
    row = wait_status(qtbot, window, SMALL, {"success"})
    folder = window.controller.job_folder(row.id)
    assert folder is not None
    assert folder.is_dir()
    window.jobs.select_ids([row.id])
    window.commands.remove.trigger()
    box = window.findChild(QMessageBox, "removeConfirmation")
    assert box is not None
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: job_named(window, SMALL) is None, timeout=30_000)
    assert not folder.exists()
    assert window.jobs.stack.currentWidget() is window.jobs.hint


def test_paste_and_watched_folder_add_jobs(qtbot, window, corpus, tmp_path):  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText(str(corpus / SMALL))
    window.commands.paste.trigger()
    wait_status(qtbot, window, SMALL, {"success"})
    watched = tmp_path / "watched"
    watched.mkdir()
    with qtbot.waitSignal(window.watcher.watching_started, timeout=5_000) as started:
        window.apply_settings(replace(window.settings(), watch_folder=watched))
    assert started.args == [watched]
    shutil.copy(corpus / TABLES, watched / TABLES)
    wait_status(qtbot, window, TABLES, {"success"})
    saved = json.loads((Path(os.environ["DATAFLOW_CONFIG_DIR"]) / "config.json").read_text())
    assert saved["watch_folder"] == str(watched)


def test_export_bundle_and_open_results_folder(qtbot, window, corpus, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    window.controller.submit([corpus / SMALL])
    row = wait_status(qtbot, window, SMALL, {"success"})
    window.jobs.select_ids([row.id])
    target = tmp_path / "out.zip"
    monkeypatch.setattr("dataflow_desktop.ui.job_dialogs.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))  # fmt: skip
    window.commands.export.trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    import zipfile

    with zipfile.ZipFile(target) as bundle:
        assert "result.json" in bundle.namelist()
    opened: list[QUrl] = []
    monkeypatch.setattr("dataflow_desktop.ui.main_window.QDesktopServices.openUrl", opened.append)
    window.commands.results_folder.trigger()
    assert opened
    assert Path(opened[0].toLocalFile()) == window.controller.job_folder(row.id)


@pytest.mark.parametrize("count", [1])
def test_batch_end_is_notified(qtbot, window, corpus, count):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    window.notifier.fallback_used.connect(messages.append)
    if window.notifier.tray is not None:
        pytest.skip("a system tray is available; its balloons are not observable here")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=JOB_TIMEOUT_MS) as finished:
        window.controller.submit([corpus / SMALL])
    assert finished.args == [count, 0, 0]
    assert messages
    assert "1 succeeded" in messages[0]
    assert window.windowTitle() == "DataFlow Desktop — dev"  # the environment (issue #4)
