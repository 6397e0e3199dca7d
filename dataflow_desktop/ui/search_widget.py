"""Full-text search over every processed document; a hit opens its page in the viewer."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QEvent, QTimer, QUrl, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from .tasks import TaskManager

if TYPE_CHECKING:
    from ..jobs import SearchHit  # the jobs package is heavy to import at start-up

# Control characters cannot occur in indexed page text, unlike "[" and "]".
_OPEN, _CLOSE = "\x02", "\x03"
DEBOUNCE_MS = 300

Searcher: TypeAlias = "Callable[[str], list[SearchHit]]"


def snippet_html(snippet: str) -> str:
    """The FTS snippet as HTML with the matched words in bold."""
    return html.escape(snippet).replace(_OPEN, "<b>").replace(_CLOSE, "</b>")


class SearchWidget(QWidget):
    """A query box and its hits, best first.

    Args:
        search: runs a query and returns hits whose snippets mark matches with
            ``\\x02``/``\\x03`` (called on a task thread).

    Signals:
        hit_activated(str, int, str): open job ``id`` at ``page`` (1-based), marking
            the words of ``query``.
    """

    hit_activated = Signal(str, int, str)

    def __init__(self, tasks: TaskManager, search: Searcher, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._search = search
        self._request = 0
        self._hits: list[SearchHit] = []
        self._query = ""
        self.query = QLineEdit(self)
        self.query.setClearButtonEnabled(True)
        self.query.setAcceptDrops(False)  # dropped files go to the window (new jobs)
        self.query.textChanged.connect(self._on_query_text_changed)
        self.query.returnPressed.connect(self.run_search)
        self.summary = QLabel(self)
        self.results = QTextBrowser(self)
        self.results.setOpenLinks(False)
        self.results.anchorClicked.connect(self._on_results_anchor_clicked)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.query.setPlaceholderText(self.tr("Search in every document…"))
        self.query.setAccessibleName(self.tr("Search text in documents"))
        self.results.setAccessibleName(self.tr("Search results"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def hits(self) -> list[SearchHit]:
        """The hits shown."""
        return list(self._hits)

    def focus_query(self) -> None:
        """Put the cursor in the query box, selecting its text."""
        self.query.setFocus()
        self.query.selectAll()

    def _on_query_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def run_search(self) -> None:
        """Search for the query now (on a task thread)."""
        self._debounce.stop()
        query = self.query.text().strip()
        self._request += 1
        request = self._request
        if not query:
            self._hits, self._query = [], ""
            self._render()
            return
        self._tasks.run(
            self._search, query,
            on_success=lambda hits: self._on_search_done(request, query, hits),
        )  # fmt: skip

    def _on_search_done(self, request: int, query: str, hits: list[SearchHit]) -> None:
        if request != self._request:
            return  # a newer query was typed meanwhile
        self._hits, self._query = list(hits), query
        self._render()

    def _render(self) -> None:
        if not self._query:
            self.summary.setText(self.tr("Type words to find them in processed documents."))
            self.results.clear()
            return
        self.summary.setText(self.tr("%n page(s) found", "", len(self._hits)))
        page_word = self.tr("page {page}")
        rows = []
        for index, hit in enumerate(self._hits):
            where = page_word.format(page=hit.page)
            rows.append(
                f'<p><a href="hit:{index}"><b>{html.escape(hit.source_name)}</b></a> — {where}'
                f"<br/>{snippet_html(hit.snippet)}</p>"
            )
        self.results.setHtml("".join(rows))

    def open_hit(self, index: int) -> None:
        """Open hit number ``index`` (0-based)."""
        if 0 <= index < len(self._hits):
            hit = self._hits[index]
            self.hit_activated.emit(hit.job_id, hit.page, self._query)

    def _on_results_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("hit:") and text[4:].isdigit():
            self.open_hit(int(text[4:]))


__all__ = ["SearchWidget", "snippet_html"]
