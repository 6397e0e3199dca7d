"""Read one job's results (result.json, document.md, page images) through ``FileStorage``.

No Qt here: :meth:`JobDocument.open` runs on a task thread. result.json keeps one page
per line, so opening records each page line's byte offset and later page reads seek
straight to it: a 1,000-page document is never parsed at once on the GUI thread.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...storage.base import FileStorage
from ...storage.keys import job_key, job_prefix

_PAGE_MARK = re.compile(r"^<!-- page (\d+) -->\n", re.MULTILINE)
_CACHE_PAGES = 8


@dataclass(frozen=True, slots=True)
class TableRef:
    """A table of the document: its page (1-based), index on that page and data."""

    page: int
    index: int
    table: dict[str, Any]


@dataclass
class JobDocument:
    """A finished job's results, opened for reading.

    Attributes:
        job_id: the job.
        header: result.json without ``pages`` (source, options, document, warnings,
            analysis).
        tables: every table of the document, in page order.
        folder: the job's local folder when the storage is local, else ``None``.
    """

    storage: FileStorage
    env: str
    job_id: str
    header: dict[str, Any]
    result_path: Path
    offsets: list[int]
    tables: list[TableRef]
    markdown: dict[int, str]
    folder: Path | None
    _cache: OrderedDict[int, dict[str, Any]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, storage: FileStorage, env: str, job_id: str) -> JobDocument:
        """Index result.json and read document.md (``FileNotFoundError`` if no result)."""
        key = job_key(env, job_id, "result.json")
        path = storage.local_path(key)
        if path is None or not path.is_file():
            # A remote-only backend: fetch a private copy (pages are read by offset).
            cache = Path(tempfile.mkdtemp(prefix="dataflow-view-")) / "result.json"
            storage.get(key, cache)
            path = cache
        header, offsets, tables = _index(path)
        folder_key = job_prefix(env, job_id) + "progress.json"
        local = storage.local_path(folder_key)
        return cls(
            storage=storage,
            env=env,
            job_id=job_id,
            header=header,
            result_path=path,
            offsets=offsets,
            tables=tables,
            markdown=_markdown_sections(storage, env, job_id),
            folder=local.parent if local is not None else None,
        )

    @property
    def page_count(self) -> int:
        """How many pages result.json holds."""
        return len(self.offsets)

    @property
    def name(self) -> str:
        """The source file name."""
        return str((self.header.get("source") or {}).get("name") or self.job_id)

    def page(self, number: int) -> dict[str, Any]:
        """PAGE ``number`` (1-based), read from its line (thread-safe, small LRU cache)."""
        with self._lock:
            cached = self._cache.get(number)
            if cached is not None:
                self._cache.move_to_end(number)
                return cached
        with self.result_path.open("rb") as handle:
            handle.seek(self.offsets[number - 1])
            line = handle.readline().rstrip(b"\n")
        page: dict[str, Any] = json.loads(line[:-1] if line.endswith(b",") else line)
        with self._lock:
            self._cache[number] = page
            while len(self._cache) > _CACHE_PAGES:
                self._cache.popitem(last=False)
        return page

    def read_file(self, name: str) -> bytes | None:
        """The bytes of the job file ``name`` (``pages/0001.png``...), or ``None``."""
        try:
            with self.storage.open_read(job_key(self.env, self.job_id, name)) as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def local_file(self, name: str) -> Path | None:
        """A local path to job file ``name`` when it exists on disk."""
        path = self.storage.local_path(job_key(self.env, self.job_id, name))
        return path if path is not None and path.is_file() else None


def _index(path: Path) -> tuple[dict[str, Any], list[int], list[TableRef]]:
    """Header, page line offsets and tables of a result.json (one pass, no page kept)."""
    offsets: list[int] = []
    tables: list[TableRef] = []
    with path.open("rb") as handle:
        first = handle.readline()
        if not first.startswith(b'{"schema":') or not first.endswith(b',"pages":[\n'):
            raise ValueError(f"{path} is not a result.json in the one-page-per-line layout")
        header: dict[str, Any] = json.loads(first + b"]}")
        position = handle.tell()
        tail = b""
        for line in handle:
            if line.startswith(b"]"):
                tail = line
                break
            offsets.append(position)
            position += len(line)
            # Only pages with tables are parsed here, to collect them for the Tables tab.
            if b'"tables":[{' in line:
                body = line.rstrip(b"\n")
                page = json.loads(body[:-1] if body.endswith(b",") else body)
                for index, table in enumerate(page.get("tables") or ()):
                    tables.append(TableRef(int(page["number"]), index, table))
    if tail:
        trailer = json.loads(b'{"pages":[' + tail)
        header["warnings"] = trailer.get("warnings") or []
        header["analysis"] = trailer.get("analysis")
    del header["pages"]
    return header, offsets, tables


def _markdown_sections(storage: FileStorage, env: str, job_id: str) -> dict[int, str]:
    """document.md split at its ``<!-- page N -->`` markers (empty if absent)."""
    try:
        with storage.open_read(job_key(env, job_id, "document.md")) as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    marks = list(_PAGE_MARK.finditer(text))
    sections: dict[int, str] = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        sections[int(mark.group(1))] = text[mark.end() : end].strip() + "\n"
    return sections


__all__ = ["JobDocument", "TableRef"]
