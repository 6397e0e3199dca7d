"""Amounts of money and the totals they are labelled as.

An amount is a number with a currency (``2 460,00 €``, ``€2,460.00``, ``$1,234.56``,
``1 234,56 EUR``, ``CHF 99.90``), or a two-decimal number on a row whose label names
a total (``Total TTC   2 460,00``), which then takes the document's currency. French
and English separators are told apart by their position: the last separator followed
by exactly two digits is the decimal mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["AmountMatch", "find_amounts", "parse_number", "total_labels"]

_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₣": "CHF"}
_CODES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN")
_CUR = r"(?:€|\$|£|¥|\b(?:EUR|USD|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN)\b|euros?\b)"
# 2 460,00 / 2.460,00 / 2,460.00 / 2460.00 / 2460,00 / 2 460 / 12,5 — group separators
# are a space (also no-break and narrow no-break), a dot, a comma or an apostrophe.
_NUMBER = r"(?P<num>\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_SIGN = r"(?P<neg>-\s?)?"
_AFTER = re.compile(rf"(?<![\w.,]){_SIGN}{_NUMBER}\s?(?P<cur>{_CUR})", re.IGNORECASE)
_BEFORE = re.compile(rf"(?P<cur>{_CUR})\s?{_SIGN}{_NUMBER}(?![\d])", re.IGNORECASE)
_BARE = re.compile(
    rf"(?<![\w.,/-]){_SIGN}(?P<num>\d{{1,3}}(?:[ \u00a0\u202f.,']\d{{3}})*[.,]\d{{2}})"
    r"(?![\d.,/]|\s?%)"
)

# Labels, most specific first; each maps to a key of ``fields.totals``.
_LABELS = (
    ("amount_due", re.compile(
        r"net\s+[àa]\s+payer|reste\s+[àa]\s+payer|montant\s+d[ûu]|solde\s+d[ûu]|[àa]\s+r[ée]gler|"
        r"amount\s+due|balance\s+due|total\s+due|amount\s+payable|net\s+pay", re.IGNORECASE)),
    ("subtotal", re.compile(
        r"total\s+h\.?t\.?\b|montant\s+h\.?t\.?\b|total\s+hors\s+taxes?|sous[-\s]?total|"
        r"sub[-\s]?total|total\s+excl|net\s+amount|total\s+before\s+tax", re.IGNORECASE)),
    ("vat", re.compile(
        r"\bt\.?v\.?a\.?\b|montant\s+tva|\bvat\b|sales\s+tax|\btax\b|\bgst\b", re.IGNORECASE)),
    ("total", re.compile(
        r"total\s+t\.?t\.?c\.?|montant\s+t\.?t\.?c\.?|total\s+[àa]\s+payer|grand\s+total|"
        r"total\s+amount|montant\s+total|\btotal\b", re.IGNORECASE)),
)  # fmt: skip


class AmountMatch(NamedTuple):
    """An amount in a row: value, ISO currency (None if unknown) and character range."""

    value: float
    currency: str | None
    start: int
    end: int


def _currency(token: str) -> str:
    token = token.strip()
    upper = token.upper()
    if upper in _CODES:
        return upper
    if upper.startswith("EURO"):
        return "EUR"
    return _SYMBOLS.get(token, "EUR")


def parse_number(raw: str) -> float | None:
    """``"2 460,00"`` → 2460.0, ``"2,460.00"`` → 2460.0, ``"12,5"`` → 12.5."""
    text = raw.replace("\u00a0", " ").replace("\u202f", " ")
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and len(text) - last - 1 in (1, 2):
        whole, decimals = text[:last], text[last + 1 :]
    else:
        whole, decimals = text, ""
    digits = re.sub(r"[ .,']", "", whole)
    if not digits.isdigit():
        return None
    return float(f"{digits}.{decimals or '0'}")


def find_amounts(text: str, *, labelled: bool = False) -> Iterator[AmountMatch]:
    """Yield amounts of ``text`` in order of position.

    Args:
        text: a row of text.
        labelled: the row names a total: two-decimal numbers without a currency count
            as amounts too (currency None).
    """
    found: list[AmountMatch] = []
    patterns = (_AFTER, _BEFORE, _BARE) if labelled else (_AFTER, _BEFORE)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(m.start() < f.end and m.end() > f.start for f in found):
                continue
            value = parse_number(m["num"])
            if value is None:
                continue
            if m["neg"]:
                value = -value
            currency = _currency(m["cur"]) if "cur" in m.groupdict() and m["cur"] else None
            found.append(AmountMatch(round(value, 2), currency, m.start(), m.end()))
    yield from sorted(found, key=lambda f: f.start)


def total_labels(text: str) -> list[tuple[str, int, int]]:
    """The totals named in ``text``: ``"total"``, ``"subtotal"``, ``"vat"``, ``"amount_due"``.

    A row may name several (``Total HT … TVA … Total TTC …``); where two labels overlap
    the more specific one wins (``Total TTC`` over ``Total``).

    Returns:
        ``(key, start, end)`` of each label, in order of position.
    """
    found: list[tuple[str, int, int]] = []
    for key, pattern in _LABELS:
        for match in pattern.finditer(text):
            if not any(match.start() < end and match.end() > start for _, start, end in found):
                found.append((key, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])
