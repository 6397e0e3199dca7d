"""Small questions the window asks about jobs: which PDFs to add, confirm removal and
quitting, where to export bundles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .store_reader import JobRow


def ask_pdf_files(parent: QWidget) -> list[Path]:
    """The PDF files the user picks to add (none when cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("JobDialogs", "Add PDF files"),
        "",
        QCoreApplication.translate("JobDialogs", "PDF documents (*.pdf);;All files (*)"),
    )
    return [Path(f) for f in files]


def ask_pdf_folder(parent: QWidget) -> Path | None:
    """The folder the user picks to add every PDF of, or None when cancelled."""
    folder = QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("JobDialogs", "Add every PDF of a folder")
    )
    return Path(folder) if folder else None


def confirm_quit(parent: QWidget, running: int) -> bool:
    """Ask (blocking: the window is closing) whether to quit and cancel ``running`` jobs."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("JobDialogs", "Quit DataFlow Desktop"),
        QCoreApplication.translate(
            "JobDialogs", "%n job(s) are still running. Quit and cancel them?", None, running
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


def confirm_remove(parent: QWidget, count: int, on_confirmed: Callable[[], None]) -> QMessageBox:
    """Ask (window-modal, non-blocking) before deleting ``count`` jobs and their files."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("JobDialogs", "Remove jobs"),
        QCoreApplication.translate(
            "JobDialogs",
            "Remove %n job(s) and delete their result files? This cannot be undone.",
            None,
            count,
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName("removeConfirmation")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            on_confirmed()

    box.finished.connect(finished)
    box.open()
    return box


def ask_bundle_targets(
    parent: QWidget, rows: Sequence[JobRow], bundle_of: Callable[[str], Path | None]
) -> list[tuple[Path, Path]]:
    """``(bundle.zip, destination)`` pairs for finished ``rows``, chosen by the user.

    One job: a "Save as" dialog; several: a folder, with one ``<name>-<id>.zip`` each.
    """
    done = [r for r in rows if r.status == "success"]
    pairs: list[tuple[Path, Path]] = []
    if len(done) == 1:
        row = done[0]
        target, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("JobDialogs", "Export the results bundle"),
            f"{Path(row.name).stem}-results.zip",
            QCoreApplication.translate("JobDialogs", "ZIP archives (*.zip)"),
        )
        bundle = bundle_of(row.id)
        if target and bundle is not None:
            pairs.append((bundle, Path(target)))
    elif done:
        folder = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("JobDialogs", "Export the bundles to")
        )
        for row in done if folder else []:
            bundle = bundle_of(row.id)
            if bundle is not None:
                pairs.append((bundle, Path(folder) / f"{Path(row.name).stem}-{row.id}.zip"))
    return pairs


__all__ = [
    "ask_bundle_targets",
    "ask_pdf_files",
    "ask_pdf_folder",
    "confirm_quit",
    "confirm_remove",
]
