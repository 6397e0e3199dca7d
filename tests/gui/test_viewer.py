"""The viewer on a result folder built with PyMuPDF directly (no jobs/ involved)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _gui_results import DPI, build_job_folder, make_pdf
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGraphicsPixmapItem

from dataflow_desktop.storage import LocalStorage
from dataflow_desktop.ui.store_reader import JobRow
from dataflow_desktop.ui.tasks import TaskManager
from dataflow_desktop.ui.viewer.document import JobDocument
from dataflow_desktop.ui.viewer.page_view import block_text
from dataflow_desktop.ui.viewer.tables import write_csv, write_xlsx
from dataflow_desktop.ui.viewer.viewer_widget import ViewerWidget


@pytest.fixture
def job_folder(tmp_path: Path) -> tuple[LocalStorage, str, Path]:
    pdf = make_pdf(tmp_path / "facture.pdf")
    job_id, folder = build_job_folder(pdf, tmp_path / "storage")
    return LocalStorage(tmp_path / "storage"), job_id, folder


def _row(job_id: str, status: str = "success") -> JobRow:
    return JobRow(id=job_id, name="facture.pdf", source_path=None, pages=2, env="dev",
                  status=status, step=status, percent=100.0, message="", error_code=None,
                  error_message=None, created_at="", started_at=None, ended_at=None,
                  updated_at="")  # fmt: skip


@pytest.fixture
def viewer(qtbot, job_folder):  # type: ignore[no-untyped-def]
    storage, _, _ = job_folder
    tasks = TaskManager()
    widget = ViewerWidget(tasks, storage)
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    tasks.shutdown()


def test_document_index_reads_pages_by_offset(job_folder) -> None:  # type: ignore[no-untyped-def]
    storage, job_id, _ = job_folder
    doc = JobDocument.open(storage, "dev", job_id)
    assert doc.page_count == 2
    assert doc.page(2)["number"] == 2
    assert doc.page(1)["number"] == 1
    assert [ref.page for ref in doc.tables] == [1]
    assert set(doc.markdown) == {1, 2}
    assert doc.header["warnings"][0]["code"] == "repaired"


def test_viewer_shows_page_with_one_box_per_block(qtbot, viewer, job_folder) -> None:  # type: ignore[no-untyped-def]
    _, job_id, folder = job_folder
    with qtbot.waitSignal(viewer.page_shown, timeout=10_000) as shown:
        viewer.show_job(_row(job_id))
    assert shown.args == [1]
    page = JobDocument.open(LocalStorage(folder.parents[2]), "dev", job_id).page(1)
    boxes = viewer.page_view.boxes("text")
    assert len(boxes) == len(page["blocks"]) > 0
    assert len(viewer.page_view.boxes("table")) == len(page["tables"]) == 1
    # The image is the rendered page and boxes are scaled from points to its pixels.
    pixmaps = [i for i in viewer.page_view.scene().items() if isinstance(i, QGraphicsPixmapItem)]
    assert len(pixmaps) == 1
    assert pixmaps[0].pixmap().width() == page["raster"]["width"]
    scale = DPI / 72
    first = page["blocks"][0]
    rect = boxes[0].rect()
    assert rect.x() == pytest.approx(first["bbox"][0] * scale, abs=1.5)
    assert rect.y() == pytest.approx(first["bbox"][1] * scale, abs=1.5)
    assert boxes[0].toolTip() == block_text(first)
    assert "Facture" in viewer.text.toPlainText()
    assert "Page 1" in viewer.markdown.toPlainText()


def test_click_on_a_box_copies_its_text(qtbot, viewer, job_folder) -> None:  # type: ignore[no-untyped-def]
    _, job_id, _ = job_folder
    with qtbot.waitSignal(viewer.page_shown, timeout=10_000):
        viewer.show_job(_row(job_id))
    box = viewer.page_view.boxes("text")[0]
    view = viewer.page_view
    point = view.mapFromScene(box.sceneBoundingRect().center())
    with qtbot.waitSignal(view.text_copied, timeout=5_000) as copied:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert copied.args == [box.text]
    assert QGuiApplication.clipboard().text() == box.text


def test_pages_tables_and_tabs(qtbot, viewer, job_folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, job_id, _ = job_folder
    with qtbot.waitSignal(viewer.page_shown, timeout=10_000):
        viewer.show_job(_row(job_id))
    with qtbot.waitSignal(viewer.page_shown, timeout=10_000) as shown:
        viewer.thumbs.setCurrentIndex(viewer.thumbs.thumbnails.index(1))
    assert shown.args == [2]
    assert viewer.page_view.boxes("table") == []
    assert "Conditions" in viewer.text.toPlainText()
    grid = viewer.tables.model
    assert grid.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Article"
    assert grid.index(0, 0).data() == "Stylo"
    rows = grid.all_rows()
    write_csv(tmp_path / "t.csv", rows)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[1] == 'Stylo,3,"4,50"'
    write_xlsx(tmp_path / "t.xlsx", rows)
    with zipfile.ZipFile(tmp_path / "t.xlsx") as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
        assert b"Cahier" in book.read("xl/sharedStrings.xml")
    assert viewer.metadata.topLevelItemCount() == 0  # built when its tab is first shown
    viewer.tabs.setCurrentWidget(viewer.metadata)
    assert viewer.metadata.topLevelItemCount() >= 3
    fields = viewer.metadata.topLevelItem(2)
    assert fields.child(0).text(0) == "nom"
    assert "Dupont" in fields.child(0).text(1)
    assert viewer.warnings.problem_count() == 1
    assert viewer.report_button.isEnabled()


def test_page_view_highlights_search_words(qtbot, viewer, job_folder) -> None:  # type: ignore[no-untyped-def]
    _, job_id, _ = job_folder
    with qtbot.waitSignal(viewer.page_shown, timeout=10_000):
        viewer.show_job(_row(job_id), highlight=["PARIS"])
    marked = [
        b for b in viewer.page_view.boxes("text") if b.brush().style() != Qt.BrushStyle.NoBrush
    ]
    assert len(marked) == 1
    assert "Paris" in marked[0].text


def test_failed_job_shows_its_error(qtbot, viewer) -> None:  # type: ignore[no-untyped-def]
    row = _row("20260101-000000-00000000", status="failed")
    from dataclasses import replace

    row = replace(row, error_code="corrupt_pdf", error_message="broken")
    viewer.show_job(row)
    assert viewer.stack.currentWidget() is viewer.placeholder
    assert viewer.tabs.currentWidget() is viewer.warnings
    assert viewer.warnings.problem_count() == 1
