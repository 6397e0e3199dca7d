"""The Tables tab: every table of the document as a grid, with copy and CSV/XLSX export."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..tasks import TaskManager
from .document import TableRef

Index = QModelIndex | QPersistentModelIndex


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """Write ``rows`` as UTF-8 CSV with a BOM (so spreadsheet apps detect the encoding)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[str]], sheet: str = "Table") -> Path:
    """Write ``rows`` to a one-sheet XLSX; numeric-looking cells become numbers."""
    import xlsxwriter  # only on export: it adds ~50 ms to the window's start-up

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": True})
    worksheet = workbook.add_worksheet(sheet[:31])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            worksheet.write(r, c, value)
    workbook.close()
    return path


class TableGridModel(QAbstractTableModel):
    """The cells of one table; the detected header row becomes the column headers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._header: list[str] | None = None
        self._rows: list[list[str]] = []

    def set_table(self, table: dict[str, Any] | None) -> None:
        """Show ``table`` (or nothing)."""
        self.beginResetModel()
        cells = [[str(c) for c in row] for row in (table or {}).get("cells") or ()]
        header = (table or {}).get("header")
        if header and cells and [str(h) for h in header] == cells[0]:
            self._header, self._rows = cells[0], cells[1:]
        else:
            self._header, self._rows = None, cells
        self.endResetModel()

    def all_rows(self) -> list[list[str]]:
        """Header (if any) and body rows, as exported."""
        return ([self._header] if self._header else []) + self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Body rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns of the widest row."""
        if parent.isValid():
            return 0
        widths = [len(r) for r in self._rows] + [len(self._header or [])]
        return max(widths, default=0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        """Detected header cells, else column numbers."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and self._header:
            return self._header[section] if section < len(self._header) else ""
        return section + 1


class TablesWidget(QWidget):
    """Picks a table of the document and shows it.

    Signals:
        page_requested(int): the user picked a table; show its page.
        exported(str): a table was written to this path.
    """

    page_requested = Signal(int)
    exported = Signal(str)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._tables: list[TableRef] = []
        self.picker = QComboBox(self)
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker.currentIndexChanged.connect(self._on_picker_changed)
        self.model = TableGridModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.empty = QLabel(self)
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_selection)
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(self._on_csv_clicked)
        self.xlsx_button = QPushButton(self)
        self.xlsx_button.clicked.connect(self._on_xlsx_clicked)
        shortcut = QShortcut(QKeySequence.StandardKey.Copy, self.view)
        shortcut.activated.connect(self.copy_selection)
        bar = QHBoxLayout()
        bar.addWidget(self.picker, 1)
        for button in (self.copy_button, self.csv_button, self.xlsx_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.retranslate()
        self.set_tables([])

    def retranslate(self) -> None:
        """Apply the current language."""
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the selected cells (or the whole table)"))
        self.csv_button.setText(self.tr("Export CSV…"))
        self.xlsx_button.setText(self.tr("Export XLSX…"))
        self.picker.setAccessibleName(self.tr("Table"))
        self.view.setAccessibleName(self.tr("Table cells"))
        self.empty.setText(self.tr("No table was found in this document."))
        self._fill_picker()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_tables(self, tables: list[TableRef]) -> None:
        """Show the document's tables (the first one selected)."""
        self._tables = list(tables)
        self._fill_picker()
        has = bool(self._tables)
        for widget in (self.picker, self.view, self.copy_button, self.csv_button, self.xlsx_button):
            widget.setEnabled(has)
        self.empty.setVisible(not has)
        self.model.set_table(self._tables[0].table if has else None)

    def select_on_page(self, page: int) -> None:
        """Select the first table of ``page``, if it has one (without changing page)."""
        for i, ref in enumerate(self._tables):
            if ref.page == page:
                self.picker.blockSignals(True)
                self.picker.setCurrentIndex(i)
                self.picker.blockSignals(False)
                self.model.set_table(ref.table)
                return

    def _fill_picker(self) -> None:
        current = max(self.picker.currentIndex(), 0)
        self.picker.blockSignals(True)
        self.picker.clear()
        for ref in self._tables:
            rows, cols = ref.table.get("rows", 0), ref.table.get("cols", 0)
            self.picker.addItem(
                self.tr("Page {page}, table {n} ({rows} × {cols})").format(
                    page=ref.page, n=ref.index + 1, rows=rows, cols=cols
                )
            )
        if self._tables:
            self.picker.setCurrentIndex(min(current, len(self._tables) - 1))
        self.picker.blockSignals(False)

    def _on_picker_changed(self, index: int) -> None:
        if 0 <= index < len(self._tables):
            self.model.set_table(self._tables[index].table)
            self.page_requested.emit(self._tables[index].page)

    def copy_selection(self) -> None:
        """Copy the selected cells (or the whole table) as tab-separated text."""
        indexes = self.view.selectionModel().selectedIndexes()
        if indexes:
            rows = sorted({i.row() for i in indexes})
            cols = sorted({i.column() for i in indexes})
            chosen = {(i.row(), i.column()) for i in indexes}
            lines = [
                "\t".join(
                    str(self.model.index(r, c).data() or "") if (r, c) in chosen else ""
                    for c in cols
                )
                for r in rows
            ]
        else:
            lines = ["\t".join(row) for row in self.model.all_rows()]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def _export(self, suffix: str, title: str, file_filter: str) -> None:
        index = self.picker.currentIndex()
        if not 0 <= index < len(self._tables):
            return
        ref = self._tables[index]
        name = f"table-p{ref.page:04d}-{ref.index + 1}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, title, name, file_filter)
        if not path:
            return
        rows = self.model.all_rows()
        writer = write_csv if suffix == "csv" else write_xlsx
        self._tasks.run(writer, Path(path), rows, on_success=lambda p: self.exported.emit(str(p)))

    def _on_csv_clicked(self) -> None:
        self._export("csv", self.tr("Export the table as CSV"), self.tr("CSV files (*.csv)"))

    def _on_xlsx_clicked(self) -> None:
        self._export(
            "xlsx", self.tr("Export the table as XLSX"), self.tr("Excel workbooks (*.xlsx)")
        )


__all__ = ["TableGridModel", "TablesWidget", "write_csv", "write_xlsx"]
