"""Simple tabs of the viewer: metadata and form fields, analysis, warnings and errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _TreeWidget(QTreeWidget):
    """A two-column (field, value) tree that rebuilds itself on language change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        # Not ResizeToContents: it measures every row, and an outline can have hundreds.
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.header().resizeSection(0, 220)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._data: Mapping[str, Any] | None = None
        self._stale = False

    def set_data(self, data: Mapping[str, Any] | None) -> None:
        """Show ``data``; the tree is built when the tab is first shown (lazily)."""
        self._data = data
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Build the tree now if the data changed since it was last built."""
        if self._stale:
            self._stale = False
            self.rebuild()

    def showEvent(self, event: QShowEvent) -> None:
        """Build the tree on first display."""
        self.refresh()
        super().showEvent(event)

    def rebuild(self) -> None:
        """Fill the tree from the data (subclasses)."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        """Rebuild with new labels on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self._stale = True
            if self.isVisible():
                self.refresh()
        super().changeEvent(event)

    def _section(self, title: str, rows: list[tuple[str, str]]) -> QTreeWidgetItem:
        section = QTreeWidgetItem(self, [title, ""])
        section.setFirstColumnSpanned(True)
        font = section.font(0)
        font.setBold(True)
        section.setFont(0, font)
        children = []
        for label, value in rows:
            child = QTreeWidgetItem([label, value])
            child.setToolTip(1, value)
            children.append(child)
        section.addChildren(children)  # one insertion, not one per row
        # A long section (an outline of hundreds of entries) starts collapsed.
        section.setExpanded(len(children) <= 40)
        return section


class MetadataWidget(_TreeWidget):
    """Document facts, the information dictionary, outline, form fields, attachments."""

    def rebuild(self) -> None:
        """Fill the tree from the ``document`` section of result.json."""
        self.clear()
        self.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.setAccessibleName(self.tr("Metadata and form fields"))
        doc = self._data or {}
        if not doc:
            return
        self._section(self.tr("Document"), [
            (self.tr("Pages"), _value(doc.get("pages"))),
            (self.tr("PDF version"), _value(doc.get("pdf_version"))),
            (self.tr("Encrypted"), _value(doc.get("encrypted"))),
            (self.tr("Repaired"), _value(doc.get("repaired"))),
        ])  # fmt: skip
        meta = doc.get("metadata") or {}
        labels = {
            "title": self.tr("Title"), "author": self.tr("Author"), "subject": self.tr("Subject"),
            "keywords": self.tr("Keywords"), "creator": self.tr("Creator"),
            "producer": self.tr("Producer"), "creation_date": self.tr("Created"),
            "modification_date": self.tr("Modified"),
        }  # fmt: skip
        self._section(self.tr("Metadata"), [(labels.get(k, k), _value(v)) for k, v in meta.items()])
        fields = doc.get("form_fields") or []
        self._section(
            self.tr("Form fields ({n})").format(n=len(fields)),
            [
                (str(f.get("name", "")), self.tr("{value} ({type}, page {page})").format(
                    value=_value(f.get("value")), type=f.get("type", ""), page=f.get("page", "?")))
                for f in fields
            ],
        )  # fmt: skip
        toc = doc.get("toc") or []
        self._section(
            self.tr("Outline ({n})").format(n=len(toc)),
            [("  " * (int(t.get("level", 1)) - 1) + str(t.get("title", "")),
              self.tr("page {page}").format(page=t.get("page", "?"))) for t in toc],
        )  # fmt: skip
        files = doc.get("embedded_files") or []
        self._section(
            self.tr("Attached files ({n})").format(n=len(files)),
            [(str(f.get("name", "")), self.tr("{size} bytes").format(size=f.get("size", 0)))
             for f in files],
        )  # fmt: skip


class AnalysisWidget(_TreeWidget):
    """The ``analysis`` object of result.json (language, type, fields, keywords, summary)."""

    def rebuild(self) -> None:
        """Fill the tree from the analysis object."""
        self.clear()
        self.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.setAccessibleName(self.tr("Analysis"))
        analysis = self._data or {}
        labels = {
            "language": self.tr("Language"), "doc_type": self.tr("Document type"),
            "keywords": self.tr("Keywords"), "summary": self.tr("Summary"),
        }  # fmt: skip
        rows = [(labels.get(k, k), _value(v)) for k, v in analysis.items() if k != "fields"]
        self._section(self.tr("Analysis"), rows)
        fields = analysis.get("fields") or {}
        if fields:
            self._section(self.tr("Fields"), [(str(k), _value(v)) for k, v in fields.items()])


class WarningsWidget(_TreeWidget):
    """The job's error (if any) and the document's warnings."""

    def set_problems(self, error: Mapping[str, Any] | None, warnings: list[Any]) -> None:
        """Show the job ``error`` and the result's ``warnings``."""
        self.set_data({"error": error, "warnings": warnings})

    def problem_count(self) -> int:  # counted from the data: the tree may not be built
        """How many problems are listed."""
        data = self._data or {}
        return len(data.get("warnings") or []) + (1 if data.get("error") else 0)

    def rebuild(self) -> None:
        """Fill the tree: the error first, then warnings by page."""
        self.clear()
        self.setHeaderLabels([self.tr("Where"), self.tr("Message")])
        self.setAccessibleName(self.tr("Warnings and errors"))
        data = self._data or {}
        error = data.get("error")
        if error:
            self._section(self.tr("Error"), [
                (self.tr("step {step}").format(step=error.get("step") or "?"),
                 f"{error.get('message', '')} [{error.get('code', '')}]"),
            ])  # fmt: skip
        warnings = data.get("warnings") or []
        whole = self.tr("document")
        rows = [
            (self.tr("page {page}").format(page=w["page"]) if w.get("page") else whole,
             f"{w.get('message', '')} [{w.get('code', '')}]")
            for w in warnings
        ]  # fmt: skip
        self._section(self.tr("Warnings ({n})").format(n=len(warnings)), rows)


__all__ = ["AnalysisWidget", "MetadataWidget", "WarningsWidget"]
