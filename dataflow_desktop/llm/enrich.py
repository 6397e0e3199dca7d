"""Enrich the offline analysis with an LLM's answer, never at the cost of the job.

The offline analysis stays the base. The model's answer adds what it lacks: fields
it did not find (``source: "llm"``, no page or bbox), a summary written by the model,
and the document type when the offline one is unsure. A value both found is kept
once, as the offline item (it has a bbox) marked ``llm_confirmed``. IBAN, SIREN,
SIRET, BIC and French VAT numbers from the model must pass the same checks as the
offline ones, or they are dropped. When the provider fails, the offline analysis is
returned with a warning ``{"code": "llm_failed", …}``; nothing is sent unless the
profile's LLM settings say ``enabled``.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from ..pipeline.analysis import (
    DOC_TYPES,
    bic_is_valid,
    fr_vat_is_valid,
    iban_is_valid,
    siren_is_valid,
    siret_is_valid,
)
from .client import ChatClient, LlmError, LlmSettings
from .prompt import RESPONSE_SCHEMA, chunk_pages, messages_for

__all__ = ["enrich_analysis"]

log = logging.getLogger(__name__)

_REFERENCE_KINDS = frozenset(
    {"invoice_number", "quote_number", "order_number", "contract_number", "customer_number",
     "receipt_number", "reference"}
)  # fmt: skip
_DATE_LABELS = {"issue_date": "issue", "due_date": "due", "date": None}
_TOTALS = frozenset({"total", "subtotal", "vat", "amount_due"})
_LISTS = {
    "email": "emails", "phone": "phones", "iban": "ibans", "bic": "bics", "siren": "sirens",
    "siret": "sirets", "vat_number": "vat_numbers", "address": "addresses",
}  # fmt: skip
_CONFIDENT_TYPE = 0.5  # below this offline confidence, the model's type is taken


def enrich_analysis(
    analysis: Mapping[str, Any],
    pages: Iterable[tuple[int, str]],
    *,
    settings: LlmSettings,
    api_key: str | None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """Return ``analysis`` merged with the LLM's answer (or unchanged, with a warning).

    Args:
        analysis: the offline ``analysis`` object (not modified).
        pages: ``(page number, text)`` in page order; only what fits
            ``settings.context_chars x settings.max_chunks`` is read and sent.
        settings: the profile's provider settings; when not ``enabled`` nothing is
            sent and a copy of ``analysis`` is returned as it is.
        api_key: the provider's key (from the OS keyring), or None for servers
            without authentication.
        transport: an httpx transport, for tests.

    Returns:
        A new analysis dict. On provider failure its ``warnings`` end with
        ``{"code": "llm_failed", "message", "page": None, "kind"}``.
    """
    result = copy.deepcopy(dict(analysis))
    if not settings.enabled:
        return result
    result.setdefault("warnings", [])
    try:
        chunks = list(chunk_pages(pages, settings.context_chars, settings.max_chunks))
        if not chunks:
            return result
        with ChatClient(settings, api_key, transport=transport) as client:
            answers = [
                client.complete_json(
                    messages_for(chunk, i, len(chunks)), RESPONSE_SCHEMA, "document_analysis"
                )
                for i, chunk in enumerate(chunks, start=1)
            ]
    except LlmError as exc:
        log.warning("LLM enrichment failed (%s): %s", exc.kind, exc.message)
        result["warnings"].append(
            {"code": "llm_failed", "message": exc.message, "page": None, "kind": exc.kind}
        )
        return result
    except ValueError as exc:  # settings without base URL or model
        result["warnings"].append(
            {
                "code": "llm_failed",
                "message": f"The AI provider is not set up: {exc}.",
                "page": None,
                "kind": "config",
            }
        )
        return result
    _merge(result, answers, settings.model, len(chunks))
    return result


def _vote(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if isinstance(v, str) and v)
    return counted.most_common(1)[0][0] if counted else None


def _merge(result: dict[str, Any], answers: list[dict[str, Any]], model: str, chunks: int) -> None:
    doc_type = _vote(a.get("doc_type") for a in answers)
    if doc_type not in DOC_TYPES:
        doc_type = None
    language = _vote(a.get("language") for a in answers)
    summaries = [
        str(a.get("summary", "")).strip() for a in answers if str(a.get("summary", "")).strip()
    ]
    offline_sure = (
        result.get("doc_type") != "other"
        and float(result.get("doc_type_confidence") or 0) >= _CONFIDENT_TYPE
    )
    result["doc_type_source"] = "offline"
    if doc_type and not offline_sure:
        result["doc_type"] = doc_type
        result["doc_type_source"] = "llm"
    if summaries:
        # One chunk: its summary; several: the opening sentence of each, in order.
        result["summary"] = (
            summaries[0]
            if len(summaries) == 1
            else " ".join(re.split(r"(?<=[.!?])\s", s, maxsplit=1)[0] for s in summaries[:3])
        )
        result["summary_source"] = "llm"
    fields = result.setdefault("fields", {})
    currency = _vote(
        f.get("value") for a in answers for f in _fields(a) if f.get("name") == "currency"
    )
    added = dropped = 0
    for answer in answers:
        for item in _fields(answer):
            outcome = _merge_field(
                fields, str(item.get("name", "")), str(item.get("value", "")).strip(), currency
            )
            added += outcome == "added"
            dropped += outcome == "dropped"
    result["llm"] = {
        "model": model,
        "chunks": chunks,
        "doc_type": doc_type,
        "language": language,
        "fields_added": added,
        "fields_dropped": dropped,
    }


def _fields(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = answer.get("fields")
    return [f for f in raw if isinstance(f, dict)] if isinstance(raw, list) else []


def _normalise(name: str, value: str) -> Any:
    """The value in the offline analysis' normal form, or None when it is not valid."""
    compact = re.sub(r"[\s.-]", "", value).upper()
    checks: dict[str, Callable[[str], bool]] = {
        "iban": iban_is_valid,
        "bic": bic_is_valid,
        "siren": siren_is_valid,
        "siret": siret_is_valid,
    }
    if name in checks:
        return compact if checks[name](compact) else None
    if name == "vat_number":
        return (
            compact
            if (not compact.startswith("FR") or fr_vat_is_valid(compact)) and len(compact) > 6
            else None
        )
    if name == "email":
        return value.lower() if "@" in value else None
    if name == "phone":
        digits = re.sub(r"[^\d+]", "", value)
        return digits if len(digits.lstrip("+")) >= 6 else None
    if name in _DATE_LABELS:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    if name in _TOTALS:
        try:
            return round(float(value.replace(",", ".").replace(" ", "")), 2)
        except ValueError:
            return None
    return value or None


def _merge_field(fields: dict[str, Any], name: str, raw: str, currency: str | None) -> str:
    """Merge one model field into ``fields``.

    Returns:
        ``"added"``, ``"confirmed"``, ``"dropped"`` (invalid value) or ``"ignored"``.
    """
    value = _normalise(name, raw)
    if value is None:
        return "dropped"
    llm_item: dict[str, Any] = {
        "value": value,
        "text": raw,
        "page": None,
        "bbox": None,
        "source": "llm",
        "count": 1,
    }
    if name in _TOTALS:
        totals = fields.setdefault("totals", {})
        if name in totals:
            if totals[name].get("value") == value:
                totals[name]["llm_confirmed"] = True
                return "confirmed"
            return "ignored"  # the offline value has a place on the page: it wins
        totals[name] = {**llm_item, "currency": currency, "label": name}
        return "added"
    if name in ("issuer", "recipient"):
        parties = fields.setdefault("parties", {})
        if name in parties:
            return "ignored"
        parties[name] = {"name": value, "page": None, "bbox": None, "source": "llm"}
        return "added"
    extra: dict[str, str | None]
    if name in _REFERENCE_KINDS:
        target, extra = "references", {"kind": name}
    elif name in _DATE_LABELS:
        target, extra = "dates", {"label": _DATE_LABELS[name]}
    elif name in _LISTS:
        target, extra = _LISTS[name], {}
    else:
        return "ignored"  # "currency" only qualifies totals
    items = fields.setdefault(target, [])
    for item in items:
        if item.get("value") == value:
            item["llm_confirmed"] = True
            return "confirmed"
    items.append({**llm_item, **extra})
    return "added"
