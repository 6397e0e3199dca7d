"""Options and limits that drive the pipeline (plain, picklable, hashable)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

OcrMode = Literal["auto", "always", "never"]
# "tesseract": the tesseract program (word confidences, orientation detection);
# "mupdf": MuPDF's built-in Tesseract (only .traineddata needed); "auto": the program
# when installed, else MuPDF (docs/OCR.md).
OcrEngineName = Literal["auto", "tesseract", "mupdf"]
ImageFormat = Literal["png", "jpeg", "webp"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Input limits checked by pre-flight and raster (a bad input must not exhaust memory)."""

    max_bytes: int = 512 * 1024 * 1024
    max_pages: int = 10_000
    # Pixel budget for one rendered page (and for one extracted image): above it the
    # page is rendered at a lower dpi and the downscale is recorded.
    max_page_pixels: int = 40_000_000
    max_image_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    """What a job computes. Two jobs with equal options on the same bytes give equal results.

    ``password`` is deliberately not an option: it is a secret passed separately and
    never written anywhere.
    """

    dpi: int = 150
    thumb_px: int = 200
    image_format: ImageFormat = "png"
    # zlib level for PNG: 1 is ~3x faster than the default 6 for ~15% larger files
    # (measured in benchmarks/raster_encoding.py).
    png_compress_level: int = 1
    jpeg_quality: int = 85
    extract_images: bool = True
    extract_tables: bool = True
    ocr: OcrMode = "auto"
    ocr_languages: str = "eng+fra"
    ocr_engine: OcrEngineName = "auto"
    # Tesseract reads best at 300 dpi; 200 dpi costs ~0.3 % accuracy for ~20 % speed
    # (benchmarks/ocr_engines.py).
    ocr_dpi: int = 300
    limits: Limits = field(default_factory=Limits)

    def to_dict(self) -> dict[str, Any]:
        """The options as plain JSON data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PipelineOptions:
        """Inverse of :meth:`to_dict` (unknown keys are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if isinstance(known.get("limits"), dict):
            known["limits"] = Limits(**known["limits"])
        return cls(**known)

    def fingerprint(self) -> str:
        """A stable hash of the options, for duplicate detection (sha256 + options)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
