"""The two ways we run Tesseract on a page image, behind one small interface.

* ``tesseract``: the ``tesseract`` program, fed a PNG on stdin, answering TSV on stdout.
  It gives a confidence per word and can detect page orientation (OSD). Needs the
  program installed (Linux packages, Homebrew, the Windows installer). Several pages
  go to one process (:meth:`TesseractCliEngine.recognize_many`): it loads the
  language data once instead of once per page.
* ``mupdf``: the Tesseract built into MuPDF (``Page.get_textpage_ocr``). Needs only the
  ``.traineddata`` files, so it works in the frozen app on every OS, but MuPDF reports
  no word confidence and no orientation.

Both recognise the same Tesseract LSTM models and measured the same accuracy and speed
(docs/OCR.md, benchmarks/ocr_engines.py). Engines see a straightened grayscale image
and answer word boxes in that image's pixels; mapping back to page space is the
caller's business.
"""

# PyMuPDF ships no types for its callables (same as extraction.py).
# mypy: disallow-untyped-calls=False
from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import pymupdf
from PIL import Image

from ..errors import DataflowError, ErrorCode

__all__ = ["MupdfEngine", "OcrEngine", "TesseractCliEngine", "Word", "regroup_paragraphs"]

log = logging.getLogger(__name__)

_TSV_COLUMNS = 12
_WORD_LEVEL = "5"
_OSD_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_OSD_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)
# A page that takes longer than this is a pathological image, not a slow machine
# (a dense 300 dpi A4 page takes 1-2 s).
_PAGE_TIMEOUT_S = 180.0


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word.

    Attributes:
        text: the word.
        box: ``(x0, y0, x1, y1)`` in pixels of the image given to the engine.
        confidence: 0-1, or None when the engine reports none.
        block: index of the paragraph the engine put it in (reading order).
        line: index of its line within the page (reading order).
    """

    text: str
    box: tuple[float, float, float, float]
    confidence: float | None
    block: int
    line: int


class OcrEngine(Protocol):
    """Recognises words on a grayscale page image."""

    name: str

    def recognize(self, image: Image.Image, dpi: int) -> list[Word]:
        """Return the words of ``image`` (rendered at ``dpi``) in reading order."""
        ...

    def recognize_many(self, images: Sequence[Image.Image], dpi: int) -> list[list[Word]]:
        """Return the words of each of ``images`` (all rendered at ``dpi``), in order."""
        ...


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Level 1: the pipe carries ~130 KB for an A4 page and encoding costs ~40 ms.
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


class TesseractCliEngine:
    """The ``tesseract`` program (word confidences, orientation detection)."""

    name = "tesseract"

    def __init__(self, binary: str, tessdata: Path, languages: Sequence[str]) -> None:
        self._binary = binary
        self._tessdata = tessdata
        self._languages = "+".join(languages)
        # Pages are already spread over worker processes; Tesseract's own OpenMP
        # threads would only fight them for the same cores.
        self._env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    @property
    def has_osd(self) -> bool:
        """Whether orientation detection data (``osd.traineddata``) is installed."""
        return (self._tessdata / "osd.traineddata").is_file()

    def _run(
        self, data: bytes, args: list[str], pages: int = 1
    ) -> subprocess.CompletedProcess[bytes]:
        """Run tesseract on ``data`` given on stdin: an image, or a list of image files."""
        command = [self._binary, "stdin", "stdout", "--tessdata-dir", str(self._tessdata), *args]
        try:
            return subprocess.run(
                command,
                input=data,
                capture_output=True,
                timeout=_PAGE_TIMEOUT_S * pages,
                env=self._env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise DataflowError(
                code=ErrorCode.WORKER_TIMEOUT, detail="tesseract took too long on a page"
            ) from exc
        except OSError as exc:
            raise DataflowError(
                "The tesseract program could not be started. Reinstall it, or choose the "
                "built-in OCR engine in the settings.",
                code=ErrorCode.OCR_UNAVAILABLE,
                detail=str(exc),
            ) from exc

    def _tsv(self, data: bytes, dpi: int, pages: int = 1) -> str:
        """Tesseract's TSV for ``data`` (see :meth:`_run`).

        Raises:
            DataflowError: ``PAGE_FAILED`` when tesseract fails.
        """
        args = ["-l", self._languages, "--dpi", str(dpi), "--psm", "3", "tsv"]
        done = self._run(data, args, pages)
        if done.returncode != 0:
            raise DataflowError(
                code=ErrorCode.PAGE_FAILED,
                detail="tesseract: " + done.stderr.decode("utf-8", "replace").strip()[-300:],
            )
        return done.stdout.decode("utf-8", "replace")

    def recognize(self, image: Image.Image, dpi: int) -> list[Word]:
        """Run ``tesseract … tsv`` on ``image`` and parse its word rows.

        Raises:
            DataflowError: ``PAGE_FAILED`` when tesseract fails on the image.
        """
        return _parse_tsv(self._tsv(_png(image), dpi))

    def recognize_many(self, images: Sequence[Image.Image], dpi: int) -> list[list[Word]]:
        """Recognise several images with one tesseract process, each as :meth:`recognize`.

        Starting tesseract loads the language data (~0.3-0.6 CPU-s for eng+fra, a
        quarter of a page's reading): one process per batch pays it once. Tesseract
        reads a list of image files on stdin and numbers the pages of its TSV; the
        words of each page are the same as a reading of that page alone.

        Raises:
            DataflowError: ``PAGE_FAILED`` when tesseract fails on one of the images.
        """
        if len(images) <= 1:
            return [self.recognize(image, dpi) for image in images]
        with tempfile.TemporaryDirectory(prefix="dataflow-ocr-") as folder:
            paths = []
            for number, image in enumerate(images, start=1):
                path = Path(folder) / f"{number:04d}.png"
                path.write_bytes(_png(image))
                paths.append(str(path))
            listing = "\n".join(paths) + "\n"
            tsv = self._tsv(listing.encode("utf-8"), dpi, len(images))
        return [_parse_tsv(page) for page in _split_pages(tsv, len(images))]

    def detect_orientation(self, image: Image.Image, dpi: int) -> tuple[int, float] | None:
        """Tesseract OSD: the clockwise turn that makes the page upright, and its confidence.

        Returns:
            ``(degrees, confidence)`` or None when OSD found too little text to decide.
        """
        done = self._run(_png(image), ["--psm", "0", "--dpi", str(dpi)])
        out = done.stdout.decode("utf-8", "replace")
        rotate = _OSD_ROTATE.search(out)
        confidence = _OSD_CONFIDENCE.search(out)
        if done.returncode != 0 or rotate is None or confidence is None:
            return None
        return int(rotate.group(1)) % 360, float(confidence.group(1))


def _split_pages(tsv: str, count: int) -> list[str]:
    """A multi-page TSV cut into ``count`` single-page TSVs (``page_num`` from 1)."""
    lines = tsv.splitlines()
    header = lines[:1]
    pages: list[list[str]] = [[] for _ in range(count)]
    for row in lines[1:]:
        number = row.split("\t", 2)[1] if "\t" in row else ""
        if number.isdigit() and 1 <= int(number) <= count:
            pages[int(number) - 1].append(row)
    return ["\n".join(header + rows) for rows in pages]


def _parse_tsv(tsv: str) -> list[Word]:
    """Words of Tesseract's TSV (level 5 rows), grouped by paragraph and line."""
    words: list[Word] = []
    blocks: dict[tuple[str, str, str], int] = {}
    lines: dict[tuple[str, str, str, str], int] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != _TSV_COLUMNS or cells[0] != _WORD_LEVEL:
            continue
        text = cells[11].strip()
        if not text:
            continue
        _, page, block, par, line, _, left, top, width, height, conf, _ = cells
        block_index = blocks.setdefault((page, block, par), len(blocks))
        line_index = lines.setdefault((page, block, par, line), len(lines))
        x0, y0 = float(left), float(top)
        words.append(
            Word(
                text=text,
                box=(x0, y0, x0 + float(width), y0 + float(height)),
                confidence=max(0.0, min(1.0, float(conf) / 100.0)),
                block=block_index,
                line=line_index,
            )
        )
    return words


class MupdfEngine:
    """The Tesseract built into MuPDF: only ``.traineddata`` files needed, no confidences."""

    name = "mupdf"

    def __init__(self, tessdata: Path, languages: Sequence[str]) -> None:
        self._tessdata = str(tessdata)
        self._languages = "+".join(languages)

    def recognize_many(self, images: Sequence[Image.Image], dpi: int) -> list[list[Word]]:
        """Each image in turn: MuPDF starts its Tesseract for every page anyway."""
        return [self.recognize(image, dpi) for image in images]

    def recognize(self, image: Image.Image, dpi: int) -> list[Word]:
        """Place ``image`` on a page of its own size and OCR that page.

        Raises:
            DataflowError: ``PAGE_FAILED`` when MuPDF's OCR fails.
        """
        zoom = dpi / 72.0
        gray = image.convert("L")
        pixmap = pymupdf.Pixmap(pymupdf.csGRAY, gray.width, gray.height, gray.tobytes(), False)
        with pymupdf.open() as scratch:
            page = scratch.new_page(width=gray.width / zoom, height=gray.height / zoom)
            page.insert_image(page.rect, pixmap=pixmap)
            try:
                textpage = page.get_textpage_ocr(
                    language=self._languages, dpi=dpi, full=True, tessdata=self._tessdata
                )
            except pymupdf.mupdf.FzErrorBase as exc:
                raise DataflowError(code=ErrorCode.PAGE_FAILED, detail=f"MuPDF OCR: {exc}") from exc
            raw = page.get_text("words", textpage=textpage)
        words: list[Word] = []
        lines: dict[tuple[int, int], int] = {}
        for x0, y0, x1, y1, text, block, line, _ in raw:
            if not text.strip():
                continue
            words.append(
                Word(
                    text=text,
                    box=(x0 * zoom, y0 * zoom, x1 * zoom, y1 * zoom),
                    confidence=None,
                    block=int(block),
                    line=lines.setdefault((block, line), len(lines)),
                )
            )
        return regroup_paragraphs(words)


def regroup_paragraphs(words: list[Word]) -> list[Word]:
    """Re-form paragraphs from lines: MuPDF's OCR blocks mix the lines of two columns.

    On the two-column corpus brochure one MuPDF block held the left and right column's
    lines alternately (sorted by height), which made the text unreadable (character
    accuracy 0.62 against 0.99 for the same recognition grouped by Tesseract). A line
    joins the paragraph above it when they overlap horizontally and the gap between
    them is under 0.8 line height; columns and reading order are then layout's job.
    """
    by_line = _merge_split_lines(words)
    paragraphs: list[tuple[float, float, float, float]] = []  # x0, x1, bottom, height
    block_of: dict[int, int] = {}
    for line, members in by_line.items():
        x0 = min(w.box[0] for w in members)
        x1 = max(w.box[2] for w in members)
        top = min(w.box[1] for w in members)
        bottom = max(w.box[3] for w in members)
        height = bottom - top
        found = None
        for index in range(len(paragraphs) - 1, max(-1, len(paragraphs) - 8), -1):
            px0, px1, pbottom, pheight = paragraphs[index]
            overlap = min(x1, px1) - max(x0, px0)
            gap = top - pbottom
            # Lines of a paragraph are < 0.8 line apart; a blank line starts another.
            close = -0.5 * height < gap < 0.8 * min(height, pheight)
            if close and overlap > 0.5 * min(x1 - x0, px1 - px0):
                found = index
                break
        if found is None:
            paragraphs.append((x0, x1, bottom, height))
            found = len(paragraphs) - 1
        else:
            px0, px1, _, _ = paragraphs[found]
            paragraphs[found] = (min(x0, px0), max(x1, px1), bottom, height)
        block_of[line] = found
    return [
        replace(word, block=block_of[line], line=line)
        for line, members in by_line.items()
        for word in members
    ]


def _merge_split_lines(words: list[Word]) -> dict[int, list[Word]]:
    """Words per line, with MuPDF's pieces of one printed line joined, left to right.

    MuPDF cuts a line where a wide space comes (French "comptes : les …" became two
    lines, the colon a third), which would make separate paragraphs of the pieces.
    """
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    boxes: dict[int, tuple[float, float, float, float]] = {}
    merged: dict[int, list[Word]] = {}
    for line, members in lines.items():
        box = (
            min(w.box[0] for w in members),
            min(w.box[1] for w in members),
            max(w.box[2] for w in members),
            max(w.box[3] for w in members),
        )
        target = None
        for other in list(boxes)[-4:]:
            ox0, oy0, ox1, oy1 = boxes[other]
            height = min(box[3] - box[1], oy1 - oy0)
            overlap = min(box[3], oy1) - max(box[1], oy0)
            gap = box[0] - ox1
            # Up to one line height apart: a wide space, not the gutter between columns.
            if height > 0 and overlap >= 0.5 * height and -height < gap < height:
                target = other
                break
        if target is None:
            boxes[line] = box
            merged[line] = list(members)
        else:
            ox0, oy0, ox1, oy1 = boxes[target]
            boxes[target] = (min(ox0, box[0]), min(oy0, box[1]), max(ox1, box[2]), max(oy1, box[3]))
            merged[target] = sorted([*merged[target], *members], key=lambda w: w.box[0])
    return merged
