"""Text facts of blocks and lines: styled runs, de-hyphenation, list markers, code,
body size, heading level, page labels.

Shared by the Markdown writer and the HTML report (through :mod:`._reading`). Pure
string work; regexes are compiled once here, never per call.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

__all__ = [
    "BULLETS",
    "Run",
    "block_spans",
    "body_size",
    "code_text",
    "has_leaders",
    "heading_level",
    "is_mono",
    "is_open",
    "is_page_number",
    "join_paragraphs",
    "line_runs",
    "line_text",
    "list_marker",
    "plain_text",
    "safe_uri",
    "unligature",
]

# Bullet glyphs, including the private-use code points Symbol/Wingdings bullets map to.
BULLETS = frozenset("•◦▪▫‣⁃∙·●○■□►▶➢➤✓✔❖♦◆" + "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0de")
_DASH_MARKERS = ("- ", "– ", "— ", "* ")
_NUMBERED = re.compile(r"(?:(\d{1,3})([.)])|\(?([a-zA-Z]|[ivxlcIVXLC]{1,6})[.)])\s")
_LEADERS = (". . .", "....", "……", "_____")
# Spans carry a font name, not MuPDF's monospace flag: these name parts mark code fonts
# (Courier, TeX's CMTT / Latin Modern Mono, Consolas, Menlo, DejaVu Sans Mono...).
_MONO_HINTS = ("mono", "courier", "cmtt", "lmtt", "consol", "menlo", "typewriter", "code")
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|pag\.?|p\.|seite|página|pagina)\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"\s*[-–—)\]]?(?:\s*(?:/|of|sur|de|von)\s*\d{1,4})?",
    re.IGNORECASE,
)
_MARGIN = 0.12  # top and bottom share of the page height where page numbers live
_MONO_SHARE = 0.9  # a block this much in a code font is a code listing
_MONO_ADVANCE = 0.55  # average glyph width of code fonts, in em, to rebuild indentation
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SENTENCE_END = frozenset('.!?:;…"”»)')
# Typographic ligatures as single code points: readers and search want the letters.
# (re.sub with a dict lookup per match: str.translate walks every character.)
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


class Run(NamedTuple):
    """A piece of a paragraph in one style; ``space``: a space precedes it."""

    text: str
    bold: bool
    italic: bool
    mono: bool
    uri: str | None
    space: bool


def safe_uri(uri: object) -> str | None:
    """``uri`` if it is an http(s) or mailto link, else None (no ``javascript:``)."""
    if isinstance(uri, str) and uri.lower().startswith(_SAFE_SCHEMES):
        return uri
    return None


def plain_text(runs: Sequence[Run]) -> str:
    """The runs' text without styling."""
    return "".join((" " + run.text) if run.space else run.text for run in runs)


@functools.lru_cache(maxsize=512)
def is_mono(font: str) -> bool:
    """Whether ``font`` (a PDF font name) is a monospace, code font."""
    name = font.lower()
    return any(hint in name for hint in _MONO_HINTS)


def line_text(line: Mapping[str, Any]) -> str:
    """The raw text of one line."""
    return "".join(span.get("text") or "" for span in line.get("spans", ()))


def has_leaders(text: str) -> bool:
    """Whether ``text`` holds dot leaders, as table-of-contents lines do."""
    return any(leader in text for leader in _LEADERS)


def block_spans(block: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every span of ``block``, line by line."""
    for line in block.get("lines", ()):
        yield from line.get("spans", ())


def body_size(blocks: Sequence[Mapping[str, Any]]) -> float:
    """The font size carrying most characters outside headings, headers and footers."""
    weights: dict[float, int] = {}
    for block in blocks:
        if block.get("role") in ("heading", "header", "footer"):
            continue
        for line in block.get("lines", ()):
            for span in line.get("spans", ()):
                # Raw sizes as keys (few distinct values); rounded once at the end.
                size = span.get("size") or 0.0
                weights[size] = weights.get(size, 0) + len(span.get("text") or "")
    rounded: dict[float, int] = {}
    for size, count in weights.items():
        key = round(float(size), 1)
        rounded[key] = rounded.get(key, 0) + count
    return max(rounded, key=rounded.__getitem__) if rounded else 0.0


def heading_level(block: Mapping[str, Any], body: float) -> int:
    """1, 2 or 3 by the block's largest font size relative to ``body``."""
    size = max((float(s.get("size") or 0.0) for s in block_spans(block)), default=0.0)
    ratio = size / body if body > 0 else 1.0
    return 1 if ratio >= 1.5 else 2 if ratio >= 1.15 else 3


def is_page_number(block: Mapping[str, Any], height: float) -> bool:
    """A short page label ("12", "- 3 -", "Page 2 of 9", "iv") in the top or bottom margin."""
    y0, y1 = block["bbox"][1], block["bbox"][3]
    if height <= 0 or not (y1 <= _MARGIN * height or y0 >= (1 - _MARGIN) * height):
        return False
    text = "".join(line_text(line) for line in block.get("lines", ()))
    return len(text) <= 24 and _PAGE_NUMBER.fullmatch(text.strip()) is not None


def code_text(block: Mapping[str, Any]) -> str | None:
    """The block's text with its lines and indentation, if it is set in a code font."""
    mono = total = 0
    for span in block_spans(block):
        count = len((span.get("text") or "").strip())
        if is_mono(span.get("font") or ""):
            mono += count
        elif count and not total:
            return None  # starts in a text font: prose, possibly with inline code
        total += count
    if not total or mono < _MONO_SHARE * total:
        return None
    lines = [ln for ln in block.get("lines", ()) if line_text(ln).strip()]
    left = min(float(ln["bbox"][0]) for ln in lines)
    out = []
    for line in lines:
        spans: Sequence[Mapping[str, Any]] = line.get("spans") or ({},)
        size = float(spans[0].get("size") or 10.0)
        indent = min(round((float(line["bbox"][0]) - left) / (_MONO_ADVANCE * size)), 40)
        out.append(" " * indent + line_text(line).rstrip())
    return "\n".join(out)


def _link_for(bbox: Sequence[float], links: list[Any]) -> str | None:
    cx = (bbox[0] + bbox[2]) / 2
    cy = (bbox[1] + bbox[3]) / 2
    for x0, y0, x1, y1, uri in links:
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            return str(uri)
    return None


def _unligature(match: re.Match[str]) -> str:
    return _LIGATURES[match[0]]


def unligature(text: str) -> str:
    """``text`` with typographic ligature characters spelled out ("ﬁ" -> "fi")."""
    return _LIGATURE.sub(_unligature, text)


def line_runs(lines: Sequence[Mapping[str, Any]], links: list[Any]) -> list[Run]:
    """Join lines into runs: one space between lines, line-end hyphens removed.

    Args:
        lines: the lines of (part of) a block.
        links: ``(x0, y0, x1, y1, uri)`` areas of the page's safe links.

    Returns:
        Runs with whitespace collapsed; consecutive spans of one style are merged.
    """
    raw: list[list[Any]] = []  # [text, bold, italic, mono, uri] merged while the style holds
    hyphen = False
    for line in lines:
        first = True
        for span in line.get("spans", ()):
            text = span.get("text") or ""
            if first:
                if not text or text.isspace():
                    continue
                first = False
                if raw:
                    prev = raw[-1][0].rstrip()
                    if not hyphen:
                        prev += " "
                    elif prev.endswith("\xad") or text.lstrip()[:1].islower():
                        # "exam-" + "ple" -> "example"; "Jean-" + "Pierre" keeps its hyphen.
                        prev = prev[:-1]
                    raw[-1][0] = prev
            style = (
                bool(span.get("bold")),
                bool(span.get("italic")),
                is_mono(span.get("font") or ""),
                _link_for(span["bbox"], links) if links else None,
            )
            last = raw[-1] if raw else None
            if last is not None and (text.isspace() or tuple(last[1:]) == style):
                last[0] += text
            elif text:
                raw.append([text, *style])
        if not first:
            tail = raw[-1][0].rstrip()
            hyphen = len(tail) >= 2 and tail[-1] in "-\xad" and tail[-2].isalpha()
    runs: list[Run] = []
    space = False
    for text, bold, italic, mono, uri in raw:
        if text[:1].isspace():
            space = True
        core = _LIGATURE.sub(_unligature, " ".join(text.split()))
        if core:
            runs.append(Run(core, bold, italic, mono, uri, space and bool(runs)))
            space = text[-1].isspace()
    return runs


def _strip_marker(runs: list[Run], width: int) -> tuple[Run, ...]:
    first = runs[0]
    rest = first.text[width:].lstrip()
    if rest:
        return (first._replace(text=rest), *runs[1:])
    if len(runs) > 1:
        return (runs[1]._replace(space=False), *runs[2:])
    return ()


def list_marker(runs: list[Run], numbered: bool) -> tuple[str, tuple[Run, ...]] | None:
    """``(marker, runs without it)`` if the text starts like a list item, else None.

    Bullets and dashes give ``"-"``; ``"3."``/``"3)"`` are kept as ordinals when
    ``numbered``; letters and roman numerals stay in the text under a ``"-"``.
    """
    text = runs[0].text
    if text[0] in BULLETS:
        return "-", _strip_marker(runs, 1)
    if text.startswith(_DASH_MARKERS):
        return "-", _strip_marker(runs, 2)
    if numbered and (match := _NUMBERED.match(text + " ")):
        if match[1]:
            return match[1] + match[2], _strip_marker(runs, match.end() - 1)
        return "-", tuple(runs)
    return None


def is_open(runs: Sequence[Run]) -> bool:
    """Whether a paragraph stops mid-sentence (no closing punctuation)."""
    return bool(runs) and runs[-1].text[-1] not in _SENTENCE_END


def join_paragraphs(first: tuple[Run, ...], second: tuple[Run, ...]) -> tuple[Run, ...] | None:
    """One paragraph from two, if ``first`` stops mid-sentence and ``second`` goes on.

    A paragraph cut by a column or block break ends without sentence punctuation and
    its continuation starts in lower case.
    """
    if not is_open(first) or not second or not second[0].text[0].islower():
        return None
    end = first[-1].text
    if end[-1] in "-\xad" and len(end) >= 2 and end[-2].isalpha():
        return (
            *first[:-1],
            first[-1]._replace(text=end[:-1]),
            second[0]._replace(space=False),
            *second[1:],
        )
    return (*first, second[0]._replace(space=True), *second[1:])
