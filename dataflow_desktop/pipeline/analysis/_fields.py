"""Key fields of a document, collected page by page with their page and bbox.

Every item is ``{"value", "text", "page", "bbox", "source": "offline", "count", …}``:
``text`` is what the page says, ``value`` its normal form (ISO date, number, compact
IBAN, E.164 phone), ``bbox`` the union of the spans the text covers (None for pages
without geometry), ``count`` how often the same value was seen. A value is listed once,
at its first occurrence; lists are capped so a 1,000-page statement stays small.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ._dates import find_dates
from ._identifiers import find_identifiers
from ._money import find_amounts, total_labels
from ._parties import find_addresses, find_parties, parties_to_dict
from ._text import PageView, Row, has_digit

__all__ = ["FIELD_LISTS", "FieldCollector"]

FIELD_LISTS = (
    "dates", "amounts", "references", "emails", "phones", "ibans", "bics", "sirens",
    "sirets", "vat_numbers", "addresses",
)  # fmt: skip
_MAX_ITEMS = 200
_DUE = re.compile(
    r"[ée]ch[ée]ance|\bdue\b|payable|date\s+limite|deadline|avant\s+le", re.IGNORECASE
)
_ISSUE = re.compile(
    r"factur|invoice|[ée]mis|[ée]mission|issued?|date\s+du\s+devis|quote\s+date|date\s*:?\s*$",
    re.IGNORECASE,
)
_LABEL_WINDOW = 40  # characters before a date that may hold its label


class FieldCollector:
    """Accumulates the fields of the pages it is given."""

    def __init__(self) -> None:
        self.lists: dict[str, dict[Any, dict[str, Any]]] = {name: {} for name in FIELD_LISTS}
        self.totals: dict[str, dict[str, Any]] = {}
        self.parties: dict[str, Any] = {}
        self.currencies: Counter[str] = Counter()

    def _add(self, name: str, key: Any, item: dict[str, Any]) -> None:
        bucket = self.lists[name]
        if key in bucket:
            bucket[key]["count"] += 1
        elif len(bucket) < _MAX_ITEMS:
            item.setdefault("source", "offline")
            item["count"] = 1
            bucket[key] = item

    def add_page(self, view: PageView, *, month_first: bool) -> None:
        """Collect the fields of one page."""
        page = view.number
        for row in view.rows:
            self._row(row, page, month_first)
        for address in find_addresses(view.rows):
            row = view.rows[address.row]
            box = row.bbox(address.start, address.end)
            if address.street_row is not None:
                above = view.rows[address.street_row].bbox(
                    0, len(view.rows[address.street_row].text)
                )
                box = _union(box, above)
            item = {
                "value": address.value,
                "text": address.value,
                "postal_code": address.postal_code,
                "city": address.city,
                "country": address.country,
                "page": page,
                "bbox": box,
            }
            self._add("addresses", (address.postal_code, address.value.lower()), item)
        if len(self.parties) < 2 and page <= 3:
            found = find_parties(view.rows, first_page=page == 1)
            for role, item in parties_to_dict(view.rows, page, found).items():
                self.parties.setdefault(role, item)

    def _item(self, row: Row, page: int, value: Any, start: int, end: int) -> dict[str, Any]:
        return {
            "value": value,
            "text": row.text[start:end].strip(),
            "page": page,
            "bbox": row.bbox(start, end),
        }

    def _row(self, row: Row, page: int, month_first: bool) -> None:
        text = row.text
        for match in find_identifiers(text):
            item = self._item(row, page, match.value, match.start, match.end)
            if match.field == "references":
                item["kind"] = match.kind
            elif match.field == "vat_numbers":
                item["country"] = match.kind
            self._add(match.field, (match.kind, match.value), item)
        for date in find_dates(text, month_first=month_first):
            item = self._item(row, page, date.iso, date.start, date.end)
            before = _label_before(text, date.start)
            item["label"] = (
                "due" if _DUE.search(before) else ("issue" if _ISSUE.search(before) else None)
            )
            self._add("dates", (date.iso, item["label"]), item)
        if has_digit(text):  # a row without digits holds no amount
            self._amounts(row, page)

    def _amounts(self, row: Row, page: int) -> None:
        text = row.text
        labels = total_labels(text)
        amounts = list(find_amounts(text, labelled=bool(labels)))
        named: dict[int, str] = {}
        for position, (key, _, label_end) in enumerate(labels):
            limit = labels[position + 1][1] if position + 1 < len(labels) else len(text)
            for index, amount in enumerate(amounts):
                if label_end <= amount.start < limit and index not in named:
                    named[index] = key
                    break
        for index, amount in enumerate(amounts):
            if amount.currency:
                self.currencies[amount.currency] += 1
            item = self._item(row, page, amount.value, amount.start, amount.end)
            item["currency"] = amount.currency
            item["label"] = named.get(index)
            if item["label"] is None and amount.currency is None:
                continue  # a bare number that no total names is not reported
            if item["label"] is not None:
                # The last occurrence wins: totals carried over page breaks end with the real one.
                self.totals[item["label"]] = {**item, "source": "offline"}
            self._add("amounts", (amount.value, amount.currency, item["label"]), item)

    def result(self) -> dict[str, Any]:
        """The ``fields`` object (currencies filled in from the document's main currency)."""
        main = self.currencies.most_common(1)[0][0] if self.currencies else None
        fields: dict[str, Any] = {name: list(self.lists[name].values()) for name in FIELD_LISTS}
        for item in [*fields["amounts"], *self.totals.values()]:
            if item.get("currency") is None:
                item["currency"] = main
        fields["totals"] = dict(sorted(self.totals.items()))
        fields["parties"] = dict(sorted(self.parties.items()))
        return fields


def _label_before(text: str, start: int) -> str:
    """The label of a value at ``start``: its segment's text before it, else the previous one."""
    segment = text.rfind("\t", 0, start) + 1
    before = text[segment:start]
    if not before.strip() and segment > 0:
        before = text[text.rfind("\t", 0, segment - 1) + 1 : segment - 1]
    return before[-_LABEL_WINDOW:]


def _union(a: list[float] | None, b: list[float] | None) -> list[float] | None:
    if a is None or b is None:
        return a or b
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
