"""Typed shapes of the result.json document model (schema 1, docs/ARCHITECTURE.md).

The producers (preflight, extraction, raster) build plain dicts; these TypedDicts name
their fields for type checkers and readers. The writers accept any ``Mapping`` so a
producer's ``dict[str, Any]`` type-checks too; ``schemas/result.schema.json`` is the
executable version of the same contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict

__all__ = [
    "Analysis",
    "Block",
    "DocumentInfo",
    "EmbeddedFile",
    "FormField",
    "Image",
    "Line",
    "Link",
    "Metadata",
    "Page",
    "PageLike",
    "PageSource",
    "Raster",
    "ResultHeader",
    "Role",
    "Source",
    "Span",
    "Table",
    "TextSource",
    "TocEntry",
    "WarningEntry",
    "iter_pages",
]

BBox: TypeAlias = list[float]
Role = Literal["heading", "paragraph", "list_item", "caption", "header", "footer"]
TextSource = Literal["native", "ocr", "none"]


class Span(TypedDict):
    """A run of text in one font."""

    text: str
    bbox: BBox
    font: str
    size: float
    bold: bool
    italic: bool
    color: str


class Line(TypedDict):
    """A line of spans; ``dir`` is the writing direction vector."""

    bbox: BBox
    dir: list[float]
    spans: list[Span]


class Block(TypedDict):
    """A text block, classified by the layout step."""

    id: str
    kind: Literal["text"]
    bbox: BBox
    column: int
    role: Role
    lines: list[Line]


class Table(TypedDict):
    """A detected table; ``csv`` is relative to the job folder."""

    id: str
    bbox: BBox
    rows: int
    cols: int
    header: list[str] | None
    cells: list[list[str]]
    csv: str


class Image(TypedDict):
    """An image placed on the page; ``file`` is None when it was not extracted."""

    id: str
    bbox: BBox
    width: int
    height: int
    xref: int
    file: str | None
    skipped: Literal["too_large"] | None


class Link(TypedDict):
    """A link area: ``uri`` for external links, ``page`` (1-based) for internal ones."""

    bbox: BBox
    uri: NotRequired[str]
    page: NotRequired[int]


class Raster(TypedDict):
    """The rendered page and its thumbnail, relative to the job folder."""

    file: str
    thumb: str
    dpi: int
    width: int
    height: int
    downscaled: bool


class Page(TypedDict):
    """One PAGE of result.json."""

    number: int
    width: float
    height: float
    rotation: int
    text_source: TextSource
    text: str
    blocks: list[Block]
    tables: list[Table]
    images: list[Image]
    links: list[Link]
    raster: Raster


class Source(TypedDict):
    """The input file."""

    name: str
    sha256: str
    bytes: int


class Metadata(TypedDict):
    """Document information dictionary; dates are ISO 8601 or None."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    creation_date: str | None
    modification_date: str | None


class TocEntry(TypedDict):
    """An outline entry."""

    level: int
    title: str
    page: int


class FormField(TypedDict):
    """An AcroForm field."""

    name: str
    type: str
    value: Any
    page: int


class EmbeddedFile(TypedDict):
    """A file attached to the PDF."""

    name: str
    size: int
    description: str


class DocumentInfo(TypedDict):
    """The ``document`` section."""

    pages: int
    pdf_version: str
    encrypted: bool
    repaired: bool
    metadata: Metadata
    toc: list[TocEntry]
    form_fields: list[FormField]
    embedded_files: list[EmbeddedFile]
    text_layer: list[bool]


class WarningEntry(TypedDict):
    """A non-fatal problem; ``page`` is 1-based or None for the whole document."""

    code: str
    message: str
    page: int | None


class Analysis(TypedDict, total=False):
    """Filled by the analysis step; every key is optional and more may be added."""

    language: str
    doc_type: str
    fields: dict[str, Any]
    keywords: list[str]
    summary: str


class ResultHeader(TypedDict):
    """Everything of result.json but ``pages`` (what the writers take as ``header``)."""

    schema: Literal[1]
    source: Source
    options: dict[str, Any]
    document: DocumentInfo
    warnings: NotRequired[list[WarningEntry]]
    analysis: NotRequired[Analysis | None]


PageLike: TypeAlias = Mapping[str, Any]
# Writers take pages lazily: an iterable, or a zero-argument callable returning a fresh
# one, so a 1,000-page document is never held in memory at once.
PageSource: TypeAlias = Iterable[PageLike] | Callable[[], Iterable[PageLike]]


def iter_pages(pages: PageSource) -> Iterator[PageLike]:
    """Iterate a :data:`PageSource`, calling it first when it is a callable.

    Args:
        pages: an iterable of PAGE mappings, or a zero-argument callable returning one.

    Returns:
        An iterator over the PAGE mappings.
    """
    return iter(pages() if callable(pages) else pages)
