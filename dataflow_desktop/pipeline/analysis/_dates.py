"""Dates in French and English writing, to ISO 8601.

Numeric forms (``12/03/2024``, ``12.03.24``, ``2024-03-12``) and written ones
(``12 mars 2024``, ``1er mars 2024``, ``lundi 12 mars 2024``, ``March 12, 2024``,
``12th March 2024``, ``12-Mar-2024``). Day and month order of numeric dates: a part
over 12 decides; otherwise US order (month first) only on an English page priced in
dollars, day first everywhere else. Impossible dates (31/02) are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import NamedTuple

from ._text import has_digit

__all__ = ["DateMatch", "find_dates"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "janvier janv jan january",
        "février fevrier févr fevr fév fev feb february",
        "mars mar march",
        "avril avr apr april",
        "mai may",
        "juin jun june",
        "juillet juil jul july",
        "août aout aoû aou aug august",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "décembre decembre déc dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_WEEKDAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
)

_D = r"(?P<d>3[01]|[12]\d|0?[1-9])"
_M = r"(?P<m>1[0-2]|0?[1-9])"
_END = r"(?![\d/-]|[.,]\d)"  # a full stop may end the sentence, not start decimals
_PATTERNS = (
    # 2024-03-12 (ISO), 2024/03/12
    ("ymd", re.compile(rf"(?<![\d/.-])(?P<y>(?:19|20)\d{{2}})[-/.]{_M}[-/.]{_D}{_END}")),
    # 12/03/2024, 12-03-2024, 12.03.2024, 12/03/24
    (
        "num",
        re.compile(
            rf"(?<![\d/.,-])(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)"
            rf"(?P<y>(?:19|20)?\d{{2}}){_END}"
        ),
    ),
    # (lundi) 12 mars 2024, 1er mars 2024, 12 Mar. 2024, 12th March 2024, 12-Mar-2024
    (
        "dmy",
        re.compile(
            rf"(?<!\w){_WEEKDAY}{_DAY}[\s-]+(?P<m>{_MONTH})\.?[\s-]+{_YEAR}(?!\d)", re.IGNORECASE
        ),
    ),
    # March 12, 2024; Mar 12th 2024; Monday, March 12, 2024
    (
        "mdy",
        re.compile(
            rf"(?<!\w){_WEEKDAY}(?P<m>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}(?!\d)", re.IGNORECASE
        ),
    ),
)


class DateMatch(NamedTuple):
    """A date found in a row: ISO value and the character range of its text."""

    iso: str
    start: int
    end: int


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(a: int, b: int, year: int, month_first: bool) -> str | None:
    if a > 12 >= b:
        return _make(year, b, a)
    if b > 12 >= a:
        return _make(year, a, b)
    return _make(year, a, b) if month_first else _make(year, b, a)


def find_dates(text: str, *, month_first: bool = False) -> Iterator[DateMatch]:
    """Yield the valid dates of ``text`` in order of position, without overlaps.

    Args:
        text: a row of text.
        month_first: read ambiguous numeric dates as month/day (US usage).
    """
    if not has_digit(text):  # every form holds a day or a year
        return
    found: list[DateMatch] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < f.end and m.end() > f.start for f in found):
                continue
            if kind == "ymd":
                iso = _make(int(m["y"]), int(m["m"]), int(m["d"]))
            elif kind == "num":
                year = int(m["y"])
                if year < 100:
                    year += 2000 if year < 70 else 1900
                iso = _numeric(int(m["a"]), int(m["b"]), year, month_first)
            else:
                iso = _make(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"]))
            if iso is not None:
                found.append(DateMatch(iso, m.start(), m.end()))
    yield from sorted(found, key=lambda f: f.start)
