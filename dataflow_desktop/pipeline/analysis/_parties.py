"""Postal addresses (France, United States) and the parties of a document.

Addresses: a French postal code with its city (``69003 Lyon``, ``75008 PARIS CEDEX 08``)
or a US ``City, ST 12345`` line, accepted when a street line (``12 rue …``,
``1200 Main Street``) is on the same line or just above in the same column, which
keeps "15000 Euros" and table figures out.

Parties: the text after an issuer or recipient label (``Facturé à``, ``Bill to``,
``Client``, ``Fournisseur``, ``From``…), on the same line or the line below in the
same column; else the issuer is the first line of the first page when it reads like a
name (company names head letters, invoices and quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ._text import Row

__all__ = ["AddressMatch", "find_addresses", "find_parties"]


def _words(text: str) -> list[str]:
    return text.split()


_FR_STREET = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter|b))?,?\s+(?:rue|avenue|av\.?|boulevard|bd|place|pl\.|chemin|"
    r"all[ée]e|impasse|route|quai|cours|square|passage|rond-point|voie|faubourg|fbg|"
    r"lieu-dit|parvis|esplanade|promenade|hameau|r[ée]sidence|zone|za|zi|zac)\b",
    re.IGNORECASE,
)
_FR_POSTAL = re.compile(
    r"(?<![\d,.])(?P<pc>(?:0[1-9]|[1-8]\d|9[0-5])\d{3}|9[78][0-8]\d{2})\s+"
    r"(?P<city>[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]*(?:[ -][A-Za-zÀ-ÿ'’-]+){0,4}?)"
    r"(?P<cedex>\s+cedex(?:\s+\d{1,2})?)?\s*(?=$|,|\t)",
)
_US_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Z0-9][\w.' -]*?\s(?:Street|St|Avenue|Ave|Road|Rd|"
    r"Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Parkway|Pkwy|Highway|Hwy|"
    r"Square|Sq|Terrace|Circle|Cir)\b\.?"
)
_US_CITY = re.compile(
    r"(?P<city>[A-Z][A-Za-z.' -]{1,40}),\s*(?P<st>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)(?!\d)"
)
_US_STATES = frozenset(
    _words(
        """
        AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE
        NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR
        """
    )
)
_HEAD_ROWS = 3  # the issuer's name heads the first page, at most under a title line
_NAME_END = re.compile(
    r"\s+[—–-]\s+|,\s*(?=\d)|\s{2,}|,?\s+(?:ci-apr[èe]s|hereinafter|repr[ée]sent[ée]e?|represented)\b"
    r"|,\s*$",
    re.IGNORECASE,
)
_COLUMN = 25.0  # points: "same column" for a line below

_RECIPIENT = re.compile(
    r"(?:factur[ée]e?\s+[àa]|adress[ée]e?\s+[àa]|destinataire|client|bill(?:ed)?\s+to|"
    r"sold\s+to|customer|[àa]\s+l'attention\s+de|attn\.?|salari[ée]e?|employee|locataire|"
    r"tenant|acheteur|buyer|titulaire(?:\s+du\s+compte)?|account\s+holder|to)\s*(?::\s*|(?=\t|$))",
    re.IGNORECASE,
)
_ISSUER = re.compile(
    r"(?:[ée]metteur|vendeur|fournisseur|prestataire|employeur|bailleur|from|seller|"
    r"supplier|vendor|issued\s+by|employer|landlord|entre\s+les\s+soussign[ée]s|"
    r"(?:made\s+)?by\s+and\s+between)\s*(?::\s*|(?=\t|$))",
    re.IGNORECASE,
)
_NAME = re.compile(r"[^\W\d_]{2,}")
_TITLE_WORDS = re.compile(
    r"\b(?:factures?|invoices?|devis|quotes?|quotation|re[çc]us?|receipts?|tickets?|contrats?|"
    r"contracts?|agreements?|bulletin|payslips?|pay\s+slip|relev[ée]s?|statements?|formulaires?|"
    r"forms?|rapports?|reports?|avis|attestations?|certifica\w*|page)\b",
    re.IGNORECASE,
)


class AddressMatch(NamedTuple):
    """A postal address: one line of text, its parts, and where its rows are."""

    value: str
    postal_code: str
    city: str
    country: str
    row: int  # index of the row holding the postal code
    start: int
    end: int
    street_row: int | None  # index of the row holding the street, if another row


def _street_above(
    rows: Sequence[Row], index: int, left: float | None, street: re.Pattern[str]
) -> tuple[int, str] | None:
    """A street in the same column on one of the two rows above ``rows[index]``."""
    for above in (index - 1, index - 2):
        if above < 0:
            return None
        row = rows[above]
        for start, end in row.segments():
            x0 = row.left(start, end)
            close = left is None or x0 is None or abs(x0 - left) <= _COLUMN
            match = street.search(row.text, start, end)
            if close and match:
                return above, row.text[match.start() : end].strip()
    return None


def find_addresses(rows: Sequence[Row]) -> Iterator[AddressMatch]:
    """Yield the French and US postal addresses of a page's rows."""
    for index, row in enumerate(rows):
        for m in _FR_POSTAL.finditer(row.text):
            city = m["city"].strip() + (m["cedex"] or "").upper()
            yield from _address(rows, index, m, (m["pc"], city, "FR"), _FR_STREET)
        for m in _US_CITY.finditer(row.text):
            if m["st"] in _US_STATES:
                city = m["city"].strip()
                yield from _address(rows, index, m, (m["zip"], city, "US"), _US_STREET)


def _address(
    rows: Sequence[Row],
    index: int,
    m: re.Match[str],
    place: tuple[str, str, str],
    street: re.Pattern[str],
) -> Iterator[AddressMatch]:
    code, city, country = place
    row = rows[index]
    segment_start = max(row.text.rfind("\t", 0, m.start()) + 1, 0)
    same = street.search(row.text, segment_start, m.start())
    tail = row.text[m.start() : m.end()].strip()
    if same:
        value = row.text[same.start() : m.end()].strip().rstrip(",")
        yield AddressMatch(value, code, city, country, index, same.start(), m.end(), None)
        return
    found = _street_above(rows, index, row.left(m.start(), m.end()), street)
    if found is not None:
        above, line = found
        yield AddressMatch(
            f"{line.rstrip(',')}, {tail}", code, city, country, index, m.start(), m.end(), above
        )


def _after_label(
    rows: Sequence[Row], index: int, label: re.Match[str]
) -> tuple[int, int, int] | None:
    """(row, start, end) of the name following a label: same segment, else line below."""
    row = rows[index]
    seg_end = row.text.find("\t", label.end())
    seg_end = len(row.text) if seg_end < 0 else seg_end
    rest = row.text[label.end() : seg_end].strip()
    if rest and _NAME.search(rest):
        start = row.text.index(rest, label.end())
        return index, start, start + len(rest)
    segment = row.text.rfind("\t", 0, label.start()) + 1
    left = row.left(segment, label.end())  # the line's left edge, where a name below starts
    for below in (index + 1, index + 2):
        if below >= len(rows):
            break
        nxt = rows[below]
        for start, end in nxt.segments():
            x0 = nxt.left(start, end)
            text = nxt.text[start:end].strip()
            if (
                text
                and _NAME.search(text)
                and (left is None or x0 is None or abs(x0 - left) <= _COLUMN)
            ):
                return below, start, end
    return None


def _looks_like_name(text: str) -> bool:
    """A short line that is neither a title, a label, an address nor a sentence."""
    words = text.split()
    # "Corp." and "S.A." end names; a longer last word ending in a full stop ends a sentence.
    sentence = text.endswith((".", "!", "?")) and len(words[-1]) > 5
    return (
        bool(_NAME.search(text))
        and len(words) <= 8
        and not sentence
        and not text.endswith(":")
        and not text[0].isdigit()
        and not _TITLE_WORDS.search(text)
    )


def find_parties(rows: Sequence[Row], *, first_page: bool) -> dict[str, tuple[Any, ...]]:
    """Where the issuer and recipient names are.

    Returns:
        ``{"issuer"|"recipient": (row, start, end[, "guessed"])}``; ``"guessed"`` marks
        an issuer taken from the head of page 1 without a label.
    """
    found: dict[str, tuple[Any, ...]] = {}
    for index, row in enumerate(rows):
        for role, pattern in (("recipient", _RECIPIENT), ("issuer", _ISSUER)):
            if role in found:
                continue
            for start, end in row.segments():
                label = pattern.match(row.text, start)
                if label is None and row.text[start:end].rstrip().endswith(":"):
                    # "This agreement is made by and between:" — the label ends the line.
                    label = pattern.search(row.text, start, end)
                if label is not None:
                    where = _after_label(rows, index, label)
                    if where is not None:
                        found[role] = where
                    break
    if first_page and "issuer" not in found:
        for index, row in enumerate(rows[:_HEAD_ROWS]):
            start, end = row.segments()[0]
            text = row.text[start:end].strip()
            if _looks_like_name(text):
                found["issuer"] = (index, start, end, "guessed")
                break
    return found


def parties_to_dict(rows: Sequence[Row], page: int, found: dict[str, Any]) -> dict[str, Any]:
    """Turn :func:`find_parties` positions into ``{"name", "page", "bbox", "source"}`` items."""
    out: dict[str, Any] = {}
    for role, (index, seg_start, seg_end, *how) in found.items():
        row = rows[index]
        cut = _NAME_END.search(row.text, seg_start, seg_end)
        # "Atelier SARL — 12 rue …" / "Dupont SA, 4 place …": the name ends there.
        end = cut.start() if cut is not None else seg_end
        raw = row.text[seg_start:end]
        name = raw.strip()
        start = seg_start + len(raw) - len(raw.lstrip())
        out[role] = {
            "name": name,
            "page": page,
            "bbox": row.bbox(start, start + len(name)),
            "source": "offline",
        }
        if how:
            out[role]["guessed"] = True  # no label: analyze keeps it for business types only
    return out
