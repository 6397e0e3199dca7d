"""What is asked of the language model: the answer's JSON Schema, the prompt, the chunks.

The model answers ``{"doc_type", "language", "summary", "fields": [{"name", "value"}]}``
for a chunk of the document's text. Long documents are cut into chunks that fit the
context budget, at page boundaries where possible; each chunk is asked separately
and the answers are merged (:mod:`.enrich`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["FIELD_NAMES", "RESPONSE_SCHEMA", "chunk_pages", "messages_for"]

DOC_TYPES = (
    "invoice", "receipt", "quote", "contract", "payslip", "bank_statement", "report",
    "scientific_paper", "form", "letter", "administrative", "other",
)  # fmt: skip

FIELD_NAMES = (
    "invoice_number", "quote_number", "order_number", "contract_number", "customer_number",
    "receipt_number", "reference", "issue_date", "due_date", "date", "total", "subtotal",
    "vat", "amount_due", "currency", "email", "phone", "iban", "bic", "siren", "siret",
    "vat_number", "address", "issuer", "recipient",
)  # fmt: skip

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["doc_type", "language", "summary", "fields"],
    "properties": {
        "doc_type": {"type": "string", "enum": list(DOC_TYPES)},
        "language": {"type": "string", "description": "ISO 639-1 code of the main language"},
        "summary": {"type": "string", "description": "two or three sentences"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "value"],
                "properties": {
                    "name": {"type": "string", "enum": list(FIELD_NAMES)},
                    "value": {"type": "string"},
                },
            },
        },
    },
}

_SYSTEM = (
    "You analyse business documents extracted from PDF files. Answer with one JSON object "
    "and nothing else, with exactly these keys: doc_type (one of: {types}), language "
    "(ISO 639-1 code), summary (two or three sentences in the document's language), and "
    'fields (a list of {{"name", "value"}} objects; name is one of: {fields}). Dates as '
    "YYYY-MM-DD, amounts as plain numbers with a dot as decimal mark (currency separately "
    "as an ISO 4217 code), phone numbers in E.164 form, IBANs without spaces. Report only "
    "values written in the text; never invent one."
)


def messages_for(text: str, part: int, parts: int) -> list[dict[str, str]]:
    """The chat messages for one chunk of ``parts``."""
    system = _SYSTEM.format(types=", ".join(DOC_TYPES), fields=", ".join(FIELD_NAMES))
    where = f" (part {part} of {parts})" if parts > 1 else ""
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Document text{where}:\n\n{text}"},
    ]


def chunk_pages(pages: Iterable[tuple[int, str]], budget: int, max_chunks: int) -> Iterator[str]:
    """Join page texts into chunks of at most ``budget`` characters.

    Pages are kept whole when they fit; a page longer than the budget is cut. At most
    ``max_chunks`` chunks are produced: the rest of the document is not read (the
    pages iterable is not consumed further).
    """
    current: list[str] = []
    size = 0
    produced = 0
    for number, text in pages:
        piece = f"--- page {number} ---\n{text.strip()}\n"
        while piece:
            room = budget - size
            if len(piece) <= room:
                current.append(piece)
                size += len(piece)
                piece = ""
            elif current:
                yield "".join(current)
                produced += 1
                if produced >= max_chunks:
                    return
                current, size = [], 0
            else:
                current.append(piece[:room])
                piece = piece[room:]
                size = budget
    if current and produced < max_chunks:
        yield "".join(current)
