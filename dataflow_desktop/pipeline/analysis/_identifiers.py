"""Identifiers in a row of text: bank, company and tax numbers, references, contacts.

Order matters: bank and company numbers are found first and their characters are
taken, so a SIRET is not also read as a phone number. IBAN, SIREN, SIRET and French
VAT numbers are reported only when their check digits are right (:mod:`.checksums`);
SIREN, SIRET and BIC also need their label on the row, since a random 9- or 14-digit
number passes Luhn one time in ten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from ._text import has_digit
from .checksums import (
    IBAN_LENGTHS,
    bic_is_valid,
    fr_vat_is_valid,
    iban_is_valid,
    siren_is_valid,
    siret_is_valid,
)

__all__ = ["IdMatch", "find_identifiers"]


class IdMatch(NamedTuple):
    """An identifier: field name, normalised value, character range, optional kind."""

    field: str
    value: str
    start: int
    end: int
    kind: str | None = None


_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_BIC_LABEL = re.compile(r"\b(?:BIC|SWIFT)\b", re.IGNORECASE)
_BIC = re.compile(r"(?<![A-Z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Z0-9])")
_SIRET = re.compile(r"(?<!\d)\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{5}(?!\d)")
_SIREN = re.compile(r"(?<!\d)\d{3}[ .]?\d{3}[ .]?\d{3}(?![ .]?\d)")
_SIRET_LABEL = re.compile(r"\bSIRET\b", re.IGNORECASE)
_SIREN_LABEL = re.compile(r"\bSIREN\b|\bR\.?C\.?S\.?\b", re.IGNORECASE)
_FR_VAT = re.compile(r"\bFR[ ]?[0-9A-Z]{2}[ ]?\d{3}[ ]?\d{3}[ ]?\d{3}\b")
# Other EU VAT numbers: shape only (their check digits differ per country).
_EU_VAT = re.compile(
    r"\b(?:DE\d{9}|BE[01]\d{9}|IT\d{11}|ES[A-Z0-9]\d{7}[A-Z0-9]|NL\d{9}B\d{2}|LU\d{8}|"
    r"PT\d{9}|ATU\d{8}|IE\d{7}[A-W][A-I]?|DK\d{8}|FI\d{8}|SE\d{12}|PL\d{10}|CZ\d{8,10})\b"
)
_VAT_LABEL = re.compile(r"\b(?:TVA|VAT|USt|IVA|BTW|MwSt)\b", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
_PHONE_FR = re.compile(
    r"(?<![\d+])(?:\+33[ .]?\(?0?\)?[ .]?|0033[ .]?|0)([1-9])((?:[ .-]?\d{2}){4})(?![\d])"
)
_PHONE_INTL = re.compile(
    r"(?<![\w+])\+(?!33)(\d{1,3})[ .-]?(\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4})(?!\d)"
)
_PHONE_NANP = re.compile(r"(?<![\d+])\(?([2-9]\d{2})\)?[ .-](\d{3})[ .-](\d{4})(?!\d)")
_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
_PHONE_LABEL = re.compile(r"\b(?:t[ée]l|phone|tel|fax|mobile|portable|gsm|call)\b", re.IGNORECASE)

_NUMBER_WORD = r"(?:n[°ºo]\.?|no\.?|num(?:[ée]ro|ber)?\.?|#|nr\.?)"
_REF_VALUE = r"[:#\s]*(?P<v>(?=[A-Z0-9/_.-]*\d)[A-Z0-9][A-Z0-9/_.-]{2,30}[A-Z0-9])"
_N = _NUMBER_WORD
_REFERENCES = (
    (
        "invoice_number",
        rf"(?:facture|invoice|inv\.?)\s*{_N}?|{_N}\s*(?:de\s+)?facture|invoice\s+id",
    ),
    ("quote_number", rf"(?:devis|quot(?:e|ation)|estimate)\s*{_N}?|{_N}\s*(?:de\s+)?devis"),
    (
        "order_number",
        rf"(?:bon\s+de\s+)?commande\s*{_N}|(?:purchase\s+)?order\s*{_N}|\bP\.?O\.?\s*{_N}?",
    ),
    ("contract_number", rf"(?:contrat|contract|police|policy)\s*{_N}"),
    ("receipt_number", rf"(?:re[çc]u|ticket(?:\s+de\s+caisse)?|receipt|transaction)\s*{_N}"),
    ("customer_number", rf"(?:client|customer|account|compte\s+client)\s*(?:{_N}|id\b)"),
    ("reference", r"r[ée]f[ée]rence|\br[ée]f\.?|\breference|\bref\.?|dossier\s*(?:n[°o])?"),
)
_REFERENCE_PATTERNS = tuple(
    (kind, re.compile(rf"(?<!\w)(?:{label}){_REF_VALUE}(?![\w-])", re.IGNORECASE))
    for kind, label in _REFERENCES
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(start < e and end > s for s, e in taken)


def find_identifiers(text: str) -> Iterator[IdMatch]:
    """Yield the identifiers of one row of text (see the module docstring)."""
    taken: list[tuple[int, int]] = []
    found: list[IdMatch] = []

    def take(match: IdMatch) -> None:
        taken.append((match.start, match.end))
        found.append(match)

    digits = has_digit(text)  # only e-mails and BICs can be written without one
    if digits:
        _bank_and_company(text, taken, take)
    if _BIC_LABEL.search(text) or any(f.field == "ibans" for f in found):
        for m in _BIC.finditer(text):
            if _free(taken, m.start(), m.end()) and bic_is_valid(m.group(0)):
                take(IdMatch("bics", m.group(0), m.start(), m.end()))
    if "@" in text:
        for m in _EMAIL.finditer(text):
            take(IdMatch("emails", m.group(0).lower(), m.start(), m.end()))
    yield from found
    if digits:
        yield from _phones(text, taken)
        yield from _references(text, taken)


def _bank_and_company(
    text: str, taken: list[tuple[int, int]], take: Callable[[IdMatch], None]
) -> None:
    for m in _IBAN.finditer(text):
        compact = m.group(0).replace(" ", "")
        # The pattern may run on into the next word ("… 189 BIC"): trim to the length.
        size = IBAN_LENGTHS.get(compact[:2])
        if size is None or len(compact) < size:
            continue
        value = compact[:size]
        end = m.start()
        count = 0
        while count < size:  # find where the size-th non-space character ends
            count += text[end] != " "
            end += 1
        if iban_is_valid(value):
            take(IdMatch("ibans", value, m.start(), end))
    for m in _FR_VAT.finditer(text):
        if _free(taken, m.start(), m.end()) and fr_vat_is_valid(m.group(0)):
            take(IdMatch("vat_numbers", m.group(0).replace(" ", ""), m.start(), m.end(), "FR"))
    for m in _EU_VAT.finditer(text):
        if _free(taken, m.start(), m.end()):
            take(IdMatch("vat_numbers", m.group(0), m.start(), m.end(), m.group(0)[:2]))
    if _SIRET_LABEL.search(text):
        for m in _SIRET.finditer(text):
            if _free(taken, m.start(), m.end()) and siret_is_valid(m.group(0)):
                take(IdMatch("sirets", _digits(m.group(0)), m.start(), m.end()))
    if _SIREN_LABEL.search(text):
        for m in _SIREN.finditer(text):
            if _free(taken, m.start(), m.end()) and siren_is_valid(m.group(0)):
                take(IdMatch("sirens", _digits(m.group(0)), m.start(), m.end()))


def _phones(text: str, taken: list[tuple[int, int]]) -> Iterator[IdMatch]:
    for m in _PHONE_FR.finditer(text):
        if _free(taken, m.start(), m.end()):
            taken.append((m.start(), m.end()))
            yield IdMatch("phones", "+33" + m.group(1) + _digits(m.group(2)), m.start(), m.end())
    for m in _PHONE_INTL.finditer(text):
        digits = _digits(m.group(2))
        if _free(taken, m.start(), m.end()) and 6 <= len(digits) <= 13:
            taken.append((m.start(), m.end()))
            yield IdMatch("phones", "+" + m.group(1) + digits, m.start(), m.end())
    if _PHONE_LABEL.search(text):
        for m in _PHONE_NANP.finditer(text):
            if _free(taken, m.start(), m.end()):
                taken.append((m.start(), m.end()))
                yield IdMatch(
                    "phones", "+1" + m.group(1) + m.group(2) + m.group(3), m.start(), m.end()
                )


def _references(text: str, taken: list[tuple[int, int]]) -> Iterator[IdMatch]:
    for kind, pattern in _REFERENCE_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start("v"), m.end("v")
            if _free(taken, start, end) and not _DATE_LIKE.fullmatch(m["v"]):
                taken.append((start, end))
                yield IdMatch("references", m["v"], start, end, kind)
