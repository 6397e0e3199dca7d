"""Full-text search over every page of every job (SQLite FTS5 table ``page_text``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from ._schema import SearchHit


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 MATCH expression (every word must occur).

    Each word becomes a quoted string (quotes doubled), so FTS5 operators, column
    filters and stray punctuation in user input are matched literally instead of
    raising a syntax error. A trailing ``*`` keeps its prefix-search meaning.
    """
    terms: list[str] = []
    for word in text.split():
        prefix = word.endswith("*") and len(word.rstrip("*")) > 0
        core = word.rstrip("*") if prefix else word
        if not core.strip('"'):
            continue
        quoted = '"' + core.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    return " ".join(terms)


class PageIndex:
    """The page-text half of :class:`~.store.JobStore` (which provides the connection)."""

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def index_pages(self, job_id: str, pages: Iterable[tuple[int, str]]) -> int:
        """Replace the job's indexed page texts; returns how many pages were indexed."""
        count = 0
        with self._write() as conn:
            conn.execute("DELETE FROM page_text WHERE job_id = ?", [job_id])
            for number, text in pages:
                conn.execute(
                    "INSERT INTO page_text (text, job_id, page) VALUES (?, ?, ?)",
                    [text, job_id, number],
                )
                count += 1
        return count

    def search(
        self, query: str, *, limit: int = 50, markers: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        """Pages whose text has every word of ``query`` (best first), with a snippet.

        Args:
            query: free text; every word must occur (``word*`` for a prefix).
            limit: most hits returned.
            markers: put around each matching word in the snippet.
        """
        expression = fts_query(query)
        if not expression:
            return []
        rows = self._query(
            "SELECT page_text.job_id AS job_id, page_text.page AS page, jobs.source_name AS "
            "source_name, snippet(page_text, 0, ?, ?, '…', 12) AS snippet FROM page_text "
            "JOIN jobs ON jobs.id = page_text.job_id WHERE page_text MATCH ? "
            "ORDER BY rank LIMIT ?",
            [markers[0], markers[1], expression, limit],
        )
        return list(_hits(rows))


def _hits(rows: list[dict[str, Any]]) -> Iterator[SearchHit]:
    for row in rows:
        yield SearchHit(
            job_id=str(row["job_id"]),
            source_name=str(row["source_name"]),
            page=int(row["page"]),
            snippet=str(row["snippet"]),
        )


__all__ = ["PageIndex", "fts_query"]
