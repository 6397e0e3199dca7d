"""A job's work folder: the chunk plan and the chunk files that make a run resumable.

Layout under ``settings.work_root/<job_id>/``::

    plan.json                 {"pages": N, "chunk": C}: fixed at the first run
    inspect.json              pre-flight result (init is complete when it exists)
    extraction/c0003.json     {"first": 48, "count": 16, "items": [PAGE, ...]}
    raster/c0003.json         {"first": 48, "count": 16, "items": [RASTER, ...]}
    ocr/p0049.json            fields that replace those of page 49 after OCR
    document.body.md          document.md without its front matter, when written early
    out/                      files as stored: pages/, thumbs/, images/, tables/ (written
                              by the workers) and result.json, document.md, report.html,
                              bundle.zip (written by the report step)

A chunk file is written atomically after the chunk's files were stored, so a chunk
file that parses and has the expected pages is complete; anything else is redone.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..storage.local import atomic_write

log = logging.getLogger(__name__)

MAX_CHUNK = 16


def plan_chunks(pages: int, workers: int) -> int:
    """Pages per chunk: small documents spread over every worker, big ones in 16s."""
    return max(1, min(MAX_CHUNK, math.ceil(pages / (max(1, workers) * 2))))


class WorkDir:
    """The scratch folder of one job (see the module docstring for its layout)."""

    def __init__(self, root: Path, job_id: str) -> None:
        self.path = root / job_id
        self.out = self.path / "out"
        self.markdown_body = self.path / "document.body.md"

    def read_json(self, name: str) -> Any | None:
        """Parse ``name`` in the folder; ``None`` if missing or torn."""
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable work file %s: %s", self.path / name, exc)
            return None

    def write_json(self, name: str, data: Any) -> None:
        """Write ``name`` atomically."""
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        atomic_write(self.path / name, blob)

    def plan(self, pages: int, workers: int) -> list[range]:
        """The page ranges of the chunks; the chunk size is kept across restarts."""
        saved = self.read_json("plan.json")
        if isinstance(saved, dict) and saved.get("pages") == pages and saved.get("chunk", 0) > 0:
            size = int(saved["chunk"])
        else:
            size = plan_chunks(pages, workers)
            self.write_json("plan.json", {"pages": pages, "chunk": size})
        return [range(first, min(first + size, pages)) for first in range(0, pages, size)]

    @staticmethod
    def chunk_name(step: str, index: int) -> str:
        """Relative name of a chunk file."""
        return f"{step}/c{index:04d}.json"

    def load_chunk(self, step: str, index: int, pages: range) -> list[dict[str, Any]] | None:
        """The chunk's items if its file is complete and covers ``pages``, else ``None``."""
        data = self.read_json(self.chunk_name(step, index))
        if not isinstance(data, dict):
            return None
        items = data.get("items")
        if (
            data.get("first") != pages.start
            or data.get("count") != len(pages)
            or not isinstance(items, list)
            or len(items) != len(pages)
        ):
            return None
        if step == "extraction" and any(
            item.get("number") != number + 1 for item, number in zip(items, pages, strict=True)
        ):
            return None
        return items

    def save_chunk(self, step: str, index: int, pages: range, items: list[dict[str, Any]]) -> None:
        """Mark a chunk complete (call only after its files were stored)."""
        if len(items) != len(pages):
            raise ValueError(f"{step} chunk {index}: {len(items)} items for {len(pages)} pages")
        payload = {"first": pages.start, "count": len(pages), "items": items}
        self.write_json(self.chunk_name(step, index), payload)

    def save_ocr(self, number: int, fields: dict[str, Any]) -> None:
        """Store the OCR replacement fields of page ``number`` (1-based)."""
        self.write_json(f"ocr/p{number:04d}.json", fields)

    def iter_pages(self, plan: list[range], *, raster: bool = True) -> Iterator[dict[str, Any]]:
        """PAGE dicts in page order, one chunk in memory at a time.

        With ``raster=False`` the pages lack their ``raster`` entry, and the raster
        step need not have run (the analysis reads text only).
        """
        for index, pages in enumerate(plan):
            extracted = self.load_chunk("extraction", index, pages)
            rasters = self.load_chunk("raster", index, pages) if raster else [None] * len(pages)
            if extracted is None or rasters is None:
                raise FileNotFoundError(f"chunk {index} of {self.path} is incomplete")
            for page, image in zip(extracted, rasters, strict=True):
                if image is not None:
                    page["raster"] = image
                ocr = self.read_json(f"ocr/p{page['number']:04d}.json")
                if isinstance(ocr, dict):
                    from ..pipeline.ocr import apply_ocr

                    yield apply_ocr(page, ocr)
                else:
                    yield page

    def remove(self) -> None:
        """Delete the whole folder."""
        shutil.rmtree(self.path, ignore_errors=True)


def page_files(item: dict[str, Any]) -> list[str]:
    """Files a PAGE or RASTER dict refers to, relative to the job folder."""
    names: list[str] = []
    for image in item.get("images") or ():
        if image.get("file"):
            names.append(image["file"])
    for table in item.get("tables") or ():
        if table.get("csv"):
            names.append(table["csv"])
    for key in ("file", "thumb"):
        if isinstance(item.get(key), str):
            names.append(item[key])
    return names


def analyze_work(
    work_path: str,
    plan: list[tuple[int, int]],
    document: dict[str, Any],
    *,
    markdown_body: bool = False,
) -> dict[str, Any]:
    """Pool task: ``pipeline.analysis.analyze`` over a work folder's pages, streamed.

    With ``markdown_body``, the same reading of the pages also writes document.md
    without its front matter into ``markdown_body`` (the report step adds the front
    matter, which shows this analysis): the chunk files are parsed once for both.
    """
    from ..pipeline.analysis import analyze
    from ..pipeline.markdown import markdown_body_pages

    path = Path(work_path)
    work = WorkDir(path.parent, path.name)
    pages = work.iter_pages([range(a, b) for a, b in plan], raster=False)
    if markdown_body:
        return analyze(document, markdown_body_pages(work.markdown_body, pages))
    return analyze(document, pages)


__all__ = ["MAX_CHUNK", "WorkDir", "analyze_work", "page_files", "plan_chunks"]
