"""Pre-flight: reject bad inputs by content, open PDFs safely, describe the document.

Everything here is cheap compared with extraction: :func:`sniff` reads at most
1 KiB, :func:`open_document` parses the xref only, and :func:`inspect` reads each
page's plain text once (the cheapest text extraction MuPDF has) to tell which pages
have a usable text layer.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

import logging
import os
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pymupdf
from pymupdf import mupdf

from ..errors import ErrorCode, InputError, PasswordError
from ._passwords import password_candidates, saslprep
from .options import Limits

__all__ = [
    "TEXT_FLAGS",
    "inspect",
    "open_document",
    "parse_pdf_date",
    "saslprep",
    "sniff",
    "text_is_usable",
]

log = logging.getLogger(__name__)

# The PDF spec wants "%PDF-" at offset 0, but readers (and MuPDF) accept junk before
# it, e.g. a Ghostscript banner written to the same stream (corpus file
# text-pdfplumber-junk-before-header-rotated-chars.pdf). Acrobat looks in 1024 bytes.
_HEADER_WINDOW = 1024
_PDF_MAGIC = b"%PDF-"

# Text-layer heuristics: a page needs a few real characters, and glyph soup (fonts
# without a ToUnicode map give U+FFFD, private-use or control characters) is not text.
_MIN_TEXT_CHARS = 3
_MAX_BAD_RATIO = 0.5  # "mostly" bad characters
_BAD_CATEGORIES = frozenset({"Cc", "Co", "Cs", "Cn"})

# Flags for every text extraction of the pipeline: ligatures and whitespace as in the
# file, text clipped to the page. Unknown glyphs come out as U+FFFD (no
# TEXT_CID_FOR_UNKNOWN_UNICODE), which :func:`text_is_usable` recognises as glyph soup;
# no TEXT_PRESERVE_IMAGES (image bytes make dict extraction ~30x slower on scans).
TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
)

_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?"
)

_FIELD_TYPES = {
    "Button": "button",
    "CheckBox": "checkbox",
    "ComboBox": "combobox",
    "ListBox": "listbox",
    "RadioButton": "radio",
    "Signature": "signature",
    "Text": "text",
}


def sniff(path: str | os.PathLike[str], limits: Limits) -> int:
    """Check that ``path`` holds a PDF by its content, not its name.

    Args:
        path: the file to check.
        limits: ``max_bytes`` is enforced here.

    Returns:
        The file size in bytes.

    Raises:
        InputError: ``FILE_NOT_FOUND``, ``EMPTY_FILE``, ``FILE_TOO_LARGE`` or ``NOT_A_PDF``.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        with file.open("rb") as stream:
            head = stream.read(_HEADER_WINDOW)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise InputError(code=ErrorCode.FILE_NOT_FOUND, detail=file.name) from exc
    if size == 0:
        raise InputError(code=ErrorCode.EMPTY_FILE, detail=file.name)
    if size > limits.max_bytes:
        raise InputError(code=ErrorCode.FILE_TOO_LARGE, detail=f"{size} bytes > {limits.max_bytes}")
    if _PDF_MAGIC not in head:
        raise InputError(code=ErrorCode.NOT_A_PDF, detail=file.name)
    return size


def _authenticate(doc: pymupdf.Document, password: str | None) -> None:
    """Unlock ``doc`` if it needs a user password, or raise :class:`PasswordError`."""
    if not doc.needs_pass:
        return
    if not password:
        raise PasswordError(code=ErrorCode.PASSWORD_REQUIRED)
    for candidate in password_candidates(password):
        if doc.authenticate(candidate):
            if candidate != password:
                log.info("PDF opened with the normalised form of the password")
            return
    raise PasswordError(code=ErrorCode.WRONG_PASSWORD)


def open_document(
    path: str | os.PathLike[str],
    password: str | None = None,
    *,
    limits: Limits | None = None,
) -> tuple[pymupdf.Document, list[dict[str, Any]]]:
    """Open a PDF after :func:`sniff`, unlock it and check its page count.

    Args:
        path: the PDF file.
        password: user or owner password, if the file needs one (never logged).
        limits: size and page limits; defaults to :class:`Limits()`.

    Returns:
        The open document (the caller closes it) and a list of warnings
        (``{"code", "message", "page"}``), e.g. ``repaired``.

    Raises:
        InputError: any pre-flight code, ``CORRUPT_PDF``, ``NO_PAGES``, ``TOO_MANY_PAGES``.
        PasswordError: ``PASSWORD_REQUIRED`` or ``WRONG_PASSWORD``.
    """
    limits = limits or Limits()
    sniff(path, limits)
    try:
        # filetype="pdf": the content was sniffed, so the name must not pick the parser.
        doc = pymupdf.open(os.fspath(path), filetype="pdf")
    except RuntimeError as exc:  # pymupdf.FileDataError and MuPDF's own errors
        raise InputError(code=ErrorCode.CORRUPT_PDF, detail=str(exc)) from exc
    try:
        _authenticate(doc, password)
        try:
            pages = doc.page_count
        except (RuntimeError, mupdf.FzErrorBase) as exc:
            # A page tree MuPDF cannot count (a /Count of millions over one kid, a
            # truncated tree): "Invalid number of pages".
            raise InputError(code=ErrorCode.CORRUPT_PDF, detail=str(exc)) from exc
        if pages == 0:
            raise InputError(code=ErrorCode.NO_PAGES)
        if pages > limits.max_pages:
            raise InputError(
                code=ErrorCode.TOO_MANY_PAGES, detail=f"{pages} pages > {limits.max_pages}"
            )
    except InputError:
        doc.close()
        raise
    return doc, repair_warnings(doc)


def repair_warnings(doc: pymupdf.Document) -> list[dict[str, Any]]:
    """The ``repaired`` warning if MuPDF had to rebuild the file's cross-reference table."""
    if not doc.is_repaired:
        return []
    message = (
        "The PDF was damaged and has been repaired automatically; "
        "some content may be missing or out of place."
    )
    return [{"code": "repaired", "message": message, "page": None}]


def text_is_usable(text: str) -> bool:
    """Whether native text is real text rather than nothing or glyph soup."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < _MIN_TEXT_CHARS:
        return False
    bad = sum(1 for ch in chars if ch == "\ufffd" or unicodedata.category(ch) in _BAD_CATEGORIES)
    return bad / len(chars) <= _MAX_BAD_RATIO


def parse_pdf_date(value: str | None) -> str | None:
    """Convert a PDF date string (``D:YYYYMMDDHHmmSSOHH'mm'``) to ISO-8601, or ``None``."""
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    tzinfo: timezone | None = None
    if zulu:
        tzinfo = UTC
    elif sign:
        offset = timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
        tzinfo = timezone(-offset if sign == "-" else offset)
    try:
        stamp = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tzinfo,
        )
    except ValueError:  # out-of-range fields, e.g. month 13 or a ±24h offset
        return None
    return stamp.isoformat()


def _metadata(doc: pymupdf.Document) -> dict[str, Any]:
    meta = doc.metadata or {}
    fields = ("title", "author", "subject", "keywords", "creator", "producer")
    result: dict[str, Any] = {name: (meta.get(name) or "").strip() for name in fields}
    result["creation_date"] = parse_pdf_date(meta.get("creationDate"))
    result["modification_date"] = parse_pdf_date(meta.get("modDate"))
    return result


def _form_fields(page: pymupdf.Page) -> list[dict[str, Any]]:
    fields = []
    for widget in page.widgets():
        value = widget.field_value
        fields.append(
            {
                "name": widget.field_name or "",
                "type": _FIELD_TYPES.get(widget.field_type_string, "unknown"),
                "value": "" if value is None else str(value),
                "page": page.number + 1,
            }
        )
    return fields


def _embedded_files(doc: pymupdf.Document) -> list[dict[str, Any]]:
    files = []
    for name in doc.embfile_names():
        info = doc.embfile_info(name)
        files.append(
            {
                "name": info.get("filename") or name,
                "size": int(info.get("size") or 0),
                "description": info.get("description") or info.get("desc") or "",
            }
        )
    return files


def _has_text_layer(page: pymupdf.Page) -> bool:
    return text_is_usable(page.get_text("text", flags=TEXT_FLAGS))


def inspect(
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    limits: Limits | None = None,
    with_text_layer: bool = True,
) -> dict[str, Any]:
    """Describe a PDF: the ``document`` section of result.json, plus its warnings.

    Args:
        path: the PDF file.
        password: needed for files encrypted with a user password.
        limits: input limits; defaults to :class:`Limits()`.
        with_text_layer: ``False`` skips reading every page's text and leaves
            ``text_layer`` empty, for a caller that extracts the text anyway: a page has
            a usable text layer exactly when extraction gives it ``text_source: "native"``
            (the same characters go through :func:`text_is_usable`).

    Returns:
        ``pages, pdf_version, encrypted, repaired, metadata, toc, form_fields,
        embedded_files, text_layer`` (in the order of result.json) and ``warnings``,
        which belongs to the top level of result.json (the caller moves it).

    Raises:
        InputError: see :func:`open_document`.
        PasswordError: see :func:`open_document`.
    """
    doc, _ = open_document(path, password, limits=limits)
    try:
        layer: list[bool] = []
        form_fields: list[dict[str, Any]] = []
        is_form = bool(doc.is_form_pdf)
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)  # loaded even without the text: repairs show here
                if with_text_layer:
                    layer.append(_has_text_layer(page))
                if is_form:
                    form_fields.extend(_form_fields(page))
            except (RuntimeError, mupdf.FzErrorBase) as exc:  # e.g. "malformed page tree"
                raise InputError(
                    code=ErrorCode.CORRUPT_PDF, detail=f"page {index + 1}: {exc}"
                ) from exc
        meta = doc.metadata or {}
        version = (meta.get("format") or "").removeprefix("PDF").strip()
        # page is 1-based, or -1 when the entry points nowhere (as MuPDF says).
        toc = [
            {"level": level, "title": title, "page": page}
            for level, title, page, *_ in doc.get_toc(simple=True)
        ]
        # Repairs can happen lazily while pages load, so ask only after reading them.
        return {
            "pages": doc.page_count,
            "pdf_version": version,
            "encrypted": bool(meta.get("encryption")),
            "repaired": bool(doc.is_repaired),
            "metadata": _metadata(doc),
            "toc": toc,
            "form_fields": form_fields,
            "embedded_files": _embedded_files(doc),
            "text_layer": layer,
            "warnings": repair_warnings(doc),
        }
    finally:
        doc.close()
