"""Score the analysis step on the labelled set of ``make_labelled_set.py``.

Each PDF goes through the real pipeline steps (``preflight.inspect``,
``extraction.extract_pages``, ``analysis.analyze``); the result is compared with the
generator's truth: type and language accuracy, and per field micro-averaged
precision and recall (a value found that is not in the truth is a false positive, a
truth value not found a false negative).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dataflow_desktop.pipeline.analysis import analyze
from dataflow_desktop.pipeline.extraction import extract_pages
from dataflow_desktop.pipeline.ocr import apply_ocr, needs_ocr, ocr_pages
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.pipeline.preflight import inspect

__all__ = ["FIELDS", "predict", "predicted_sets", "scan", "score"]

FIELDS = (
    "dates", "totals", "references", "emails", "phones", "ibans", "bics", "sirens", "sirets",
    "vat_numbers", "postal_codes", "issuer", "recipient",
)  # fmt: skip


def predict(pdf: Path) -> dict[str, Any]:
    """Run inspect → extract_pages → analyze on every page of ``pdf``."""
    options = PipelineOptions(extract_images=False)
    document = inspect(pdf, password=None, limits=options.limits)
    with tempfile.TemporaryDirectory() as tmp:
        pages = extract_pages(pdf, list(range(document["pages"])), options=options, out_dir=tmp)
    return analyze(document, pages)


def scan(pdf: Path, out: Path, dpi: int = 300) -> Path:
    """Write an image-only copy of ``pdf`` (each page rendered at ``dpi``, grayscale)."""
    import pymupdf

    with pymupdf.open(pdf) as source, pymupdf.open() as target:
        for page in source:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            image_page = target.new_page(width=page.rect.width, height=page.rect.height)
            image_page.insert_image(image_page.rect, pixmap=pixmap)
        target.save(out, garbage=3, deflate=True)
    return out


def predict_with_ocr(pdf: Path, **ocr_options: Any) -> dict[str, Any]:
    """Like :func:`predict`, with the OCR step run on pages without a text layer."""
    options = PipelineOptions(extract_images=False, **ocr_options)
    document = inspect(pdf, password=None, limits=options.limits)
    with tempfile.TemporaryDirectory() as tmp:
        pages = extract_pages(pdf, list(range(document["pages"])), options=options, out_dir=tmp)
        wanted = [p["number"] - 1 for p in pages if needs_ocr(p, options.ocr)]
        by_number = {p["number"]: p for p in ocr_pages(pdf, wanted, options=options, out_dir=tmp)}
    pages = [apply_ocr(p, by_number[p["number"]]) if p["number"] in by_number else p for p in pages]
    return analyze(document, pages)


def predicted_sets(analysis: dict[str, Any]) -> dict[str, set[Any]]:
    """The analysis fields as comparable sets, keyed like the truth."""
    fields = analysis["fields"]
    out: dict[str, set[Any]] = {
        name: {item["value"] for item in fields[name]}
        for name in (
            "dates",
            "emails",
            "phones",
            "ibans",
            "bics",
            "sirens",
            "sirets",
            "vat_numbers",
        )
    }
    out["totals"] = {(key, item["value"]) for key, item in fields["totals"].items()}
    out["references"] = {(item["kind"], item["value"]) for item in fields["references"]}
    out["postal_codes"] = {item["postal_code"] for item in fields["addresses"]}
    for role in ("issuer", "recipient"):
        party = fields["parties"].get(role)
        out[role] = {party["name"].lower()} if party else set()
    return out


def truth_sets(truth: dict[str, Any]) -> dict[str, set[Any]]:
    """The generator's truth as comparable sets."""
    out = {
        name: set(truth.get(name, ()))
        for name in FIELDS
        if name not in ("totals", "references", "issuer", "recipient")
    }
    out["totals"] = set(truth.get("totals", {}).items())
    out["references"] = {tuple(ref) for ref in truth.get("references", ())}
    for role in ("issuer", "recipient"):
        out[role] = {truth[role].lower()} if truth.get(role) else set()
    return out


def score(results: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Aggregate ``(truth, analysis)`` pairs into accuracy, precision and recall figures.

    Returns:
        ``{"documents", "type_accuracy", "language_accuracy", "confusion",
        "fields": {name: {"tp", "fp", "fn", "precision", "recall"}}, "errors"}``.
    """
    counts = {name: Counter() for name in FIELDS}
    confusion: Counter[tuple[str, str]] = Counter()
    documents = types = languages = 0
    errors: list[str] = []
    for truth, analysis in results:
        documents += 1
        types += analysis["doc_type"] == truth["type"]
        languages += analysis["language"] == truth["language"]
        confusion[(truth["type"], analysis["doc_type"])] += 1
        predicted, expected = predicted_sets(analysis), truth_sets(truth)
        for name in FIELDS:
            counts[name]["tp"] += len(predicted[name] & expected[name])
            counts[name]["fp"] += len(predicted[name] - expected[name])
            counts[name]["fn"] += len(expected[name] - predicted[name])
            for wrong in predicted[name] - expected[name]:
                errors.append(f"{truth['name']}: {name} false positive {wrong!r}")
            for missed in expected[name] - predicted[name]:
                errors.append(f"{truth['name']}: {name} missed {missed!r}")
    fields = {}
    for name, c in counts.items():
        found, wanted = c["tp"] + c["fp"], c["tp"] + c["fn"]
        fields[name] = {
            **c,
            "precision": round(c["tp"] / found, 3) if found else 1.0,
            "recall": round(c["tp"] / wanted, 3) if wanted else 1.0,
        }
    return {
        "documents": documents,
        "type_accuracy": round(types / max(1, documents), 3),
        "language_accuracy": round(languages / max(1, documents), 3),
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items()) if a != b},
        "fields": fields,
        "errors": errors,
    }
