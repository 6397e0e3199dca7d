"""The ``analysis`` step: language, document type, key fields, keywords and summary.

Pure and offline: PAGE dicts in, the ``analysis`` object of result.json out
(``dataflow_desktop/schemas/analysis.schema.json``). Pages are read once, in order,
one at a time, and what is kept between pages is bounded (capped field lists, a
pruned vocabulary, the first few hundred sentences), so a 1,000-page document can be
analysed from a streamed result.json. Measured accuracy: docs/ANALYSIS.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...events import CancelToken, ProgressCallback, StepProgress, no_progress
from ._doctype import DOC_TYPES, TypeScorer
from ._fields import FieldCollector
from ._keywords import KeywordCounter
from ._language import LanguageCounter
from ._text import PageView, tokens
from .checksums import (
    bic_is_valid,
    fr_vat_is_valid,
    fr_vat_key,
    iban_is_valid,
    luhn_is_valid,
    siren_is_valid,
    siret_is_valid,
)

__all__ = [
    "ANALYSIS_VERSION",
    "DOC_TYPES",
    "analyze",
    "bic_is_valid",
    "fr_vat_is_valid",
    "fr_vat_key",
    "iban_is_valid",
    "luhn_is_valid",
    "siren_is_valid",
    "siret_is_valid",
]

ANALYSIS_VERSION = 1
_MAX_TABLES = 200
_TITLE_ROWS = 3
# Types whose first line is usually the issuer's name (letterhead).
_HEADED_TYPES = frozenset(
    {"invoice", "receipt", "quote", "contract", "payslip", "bank_statement", "letter"}
)


def analyze(
    document: Mapping[str, Any],
    pages: Iterable[Mapping[str, Any]],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Analyse a document from its ``document`` section and its PAGE dicts.

    Args:
        document: the ``document`` section of result.json (``pages`` and
            ``form_fields`` are used; may be empty).
        pages: PAGE dicts in page order (native or OCR text), iterated once.
        progress: receives ``StepProgress("analysis", done, total, ...)`` per page.
        cancel: checked before each page.

    Returns:
        The ``analysis`` object: ``version``, ``language``, ``language_confidence``,
        ``page_languages``, ``doc_type``, ``doc_type_confidence``, ``doc_type_scores``,
        ``fields``, ``keywords``, ``summary``, ``summary_sentences``, ``tables``,
        ``warnings`` (see analysis.schema.json). Every field item has ``source``
        ``"offline"``.

    Raises:
        Cancelled: cancellation was requested.
    """
    total = int(document.get("pages") or 0)
    language = LanguageCounter()
    types = TypeScorer()
    fields = FieldCollector()
    keywords = KeywordCounter()
    page_languages: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    table_count = 0
    for done, page in enumerate(pages, start=1):
        if cancel is not None:
            cancel.check()
        view = PageView(page)
        page_counter = LanguageCounter()
        words = tokens(view.text)
        page_counter.add(words, view.text)
        language.merge(page_counter)
        code, confidence = page_counter.best()
        page_languages.append({"page": view.number, "language": code, "confidence": confidence})
        # US month/day order on a page priced in dollars, unless it is in a language
        # that writes the day first (label-only pages often identify as "und").
        month_first = "$" in view.text and code in ("en", "und")
        fields.add_page(view, month_first=month_first)
        title = "\n".join(view.headings)
        if view.number == 1:
            title += "\n" + "\n".join(row.text for row in view.rows[:_TITLE_ROWS])
        types.add_page(view.number, view.text, title)
        keywords.add_page(view.number, view.text, words)
        for table in page.get("tables", ()):
            table_count += 1
            if len(tables) < _MAX_TABLES:
                tables.append(
                    {
                        "page": view.number,
                        "id": table.get("id"),
                        "rows": table.get("rows"),
                        "cols": table.get("cols"),
                        "header": table.get("header"),
                    }
                )
        progress(StepProgress("analysis", done, max(total, done), f"Analysing page {done}"))
    found = fields.result()
    types.add_fields(found, list(document.get("form_fields") or ()))
    doc_type, type_confidence, type_scores = types.result()
    issuer = found["parties"].get("issuer")
    if issuer is not None and issuer.pop("guessed", False) and doc_type not in _HEADED_TYPES:
        # The head of a paper or a form is its title, not who issued it.
        del found["parties"]["issuer"]
    lang, lang_confidence = language.best()
    summary = keywords.summary()
    return {
        "version": ANALYSIS_VERSION,
        "language": lang,
        "language_confidence": lang_confidence,
        "page_languages": page_languages,
        "doc_type": doc_type,
        "doc_type_confidence": type_confidence,
        "doc_type_scores": type_scores,
        "fields": found,
        "keywords": keywords.keywords(),
        "summary": KeywordCounter.join(summary),
        "summary_sentences": [{"page": p, "text": s} for p, s in summary],
        "tables": {"count": table_count, "items": tables},
        "warnings": [],
    }
