"""Write and read result.json (schema 1): streamed, canonical, byte-identical.

Layout on disk (valid JSON; one page per physical line so readers can stream)::

    {"schema":1,"source":{…},"options":{…},"document":{…},"pages":[
    {PAGE 1},
    {PAGE 2}
    ],"warnings":[…],"analysis":null}

Canonical means: keys in the field order of docs/ARCHITECTURE.md whatever order the
producer inserted them in (keys the contract does not name follow, sorted), floats
rounded to 2 decimals with ``-0.0`` folded into ``0.0``, tuples written as lists,
``ensure_ascii=False`` and no spaces. So two equal inputs give identical bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from ..events import CancelToken, ProgressCallback, StepProgress
from ._jsonio import atomic_text, dumps
from .model import PageSource, iter_pages

__all__ = ["canonicalize_page", "iter_result_pages", "read_result_header", "write_result_json"]

_REQUIRED = ("schema", "source", "options", "document")
_TRAILER = ("warnings", "analysis")
_FIRST_LINE_END = b',"pages":[\n'
_CHUNK = 64 * 1024


class _Shape:
    """Field order of one kind of object, and the shapes of its nested objects."""

    __slots__ = ("children", "keys", "order")

    def __init__(self, fields: str, **children: _Shape) -> None:
        self.order = tuple(fields.split())
        self.keys = frozenset(self.order)
        self.children: dict[str, _Shape] = children


_SPAN = _Shape("text bbox font size bold italic color")
_BLOCK = _Shape("id kind bbox column role lines", lines=_Shape("bbox dir spans", spans=_SPAN))
_PAGE = _Shape(
    "number width height rotation text_source text blocks tables images links raster",
    blocks=_BLOCK,
    tables=_Shape("id bbox rows cols header cells csv"),
    images=_Shape("id bbox width height xref file skipped"),
    links=_Shape("bbox uri page"),
    raster=_Shape("file thumb dpi width height downscaled"),
)
_METADATA = _Shape("title author subject keywords creator producer creation_date modification_date")
_DOCUMENT = _Shape(
    "pages pdf_version encrypted repaired metadata toc form_fields embedded_files text_layer",
    metadata=_METADATA,
    toc=_Shape("level title page"),
    form_fields=_Shape("name type value page"),
    embedded_files=_Shape("name size description"),
)
_HEADER = _Shape(
    "schema source options document pages warnings analysis",
    source=_Shape("name sha256 bytes"),
    document=_DOCUMENT,
    warnings=_Shape("code message page"),
    analysis=_Shape("language doc_type fields keywords summary"),
)


def _canon(value: Any, shape: _Shape | None) -> Any:
    """Return ``value`` in canonical form (see the module docstring)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        # ``+ 0.0`` turns -0.0 into 0.0: they compare equal, so they must print equal.
        return round(value, 2) + 0.0
    if kind is list or kind is tuple:
        return [_canon(item, shape) for item in value]
    if isinstance(value, Mapping):
        if shape is None:
            # Open objects (options, analysis.fields): sorted, as no order is contracted.
            return {key: _canon(value[key], None) for key in sorted(value)}
        keys = [key for key in shape.order if key in value]
        if len(keys) != len(value):
            keys += sorted(key for key in value if key not in shape.keys)
        children = shape.children
        return {key: _canon(value[key], children.get(key)) for key in keys}
    # Subclasses (numpy floats, StrEnum / IntEnum codes) are written as the plain type.
    if isinstance(value, float):
        return round(float(value), 2) + 0.0
    if isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not JSON data: {kind.__name__}")


def canonicalize_page(page: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``page`` as result.json stores it (field order, rounded floats).

    Args:
        page: a PAGE mapping.

    Returns:
        A new dict; ``page`` is not modified.
    """
    result: dict[str, Any] = _canon(page, _PAGE)
    return result


def _split_header(header: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    missing = [key for key in _REQUIRED if key not in header]
    if missing:
        raise ValueError(f"result header lacks {', '.join(missing)}")
    unknown = sorted(set(header) - set(_REQUIRED) - set(_TRAILER))
    if unknown:
        raise ValueError(f"result header has unknown keys: {', '.join(unknown)}")
    if header["schema"] != 1:
        raise ValueError(f"unsupported result schema {header['schema']!r}")
    head = {key: header[key] for key in _REQUIRED}
    tail = {"warnings": header.get("warnings", []), "analysis": header.get("analysis")}
    return _canon(head, _HEADER), _canon(tail, _HEADER)


def write_result_json(
    path: str | os.PathLike[str],
    header: Mapping[str, Any],
    pages: PageSource,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write result.json, one page at a time, atomically.

    Args:
        path: the result.json to write (its folder must exist).
        header: ``schema`` (1), ``source``, ``options``, ``document``, and optionally
            ``warnings`` (default ``[]``) and ``analysis`` (default ``None``), which are
            written after the pages.
        pages: PAGE mappings in increasing page order, as an iterable or a zero-argument
            callable returning one; only one page is serialized at a time.
        cancel: checked before each page; on cancellation the old file is kept.
        progress: told ``("report", pages written, document pages)`` after each page.

    Returns:
        The number of pages written.

    Raises:
        ValueError: the header is incomplete or has unknown keys, pages are out of
            order, or a number is NaN or infinite.
        TypeError: a value is not JSON data.
    """
    head, tail = _split_header(header)
    total = int(head["document"].get("pages", 0))
    count = 0
    previous = 0
    with atomic_text(path) as out:
        out.write(dumps(head)[:-1] + ',"pages":[\n')
        for page in iter_pages(pages):
            if cancel is not None:
                cancel.check()
            number = page.get("number")
            if not isinstance(number, int) or number <= previous:
                raise ValueError(f"page {number!r} is out of order (after page {previous})")
            previous = number
            out.write((",\n" if count else "") + dumps(_canon(page, _PAGE)))
            count += 1
            if progress is not None:
                progress(StepProgress("report", count, max(total, count), "Writing result.json"))
        out.write(("\n]," if count else "],") + dumps(tail)[1:] + "\n")
    return count


def _first_line(handle: BinaryIO) -> bytes:
    line = handle.readline()
    if not (line.startswith(b'{"schema":') and line.endswith(_FIRST_LINE_END)):
        raise ValueError("not a result.json written by write_result_json")
    return line


def iter_result_pages(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the pages of a result.json lazily, one line (one page) at a time.

    Args:
        path: a result.json written by :func:`write_result_json`.

    Yields:
        Each PAGE dict, in file order.

    Raises:
        ValueError: the file is not in the one-page-per-line layout, or is truncated.
    """
    # Binary mode: only b"\n" ends a line (text mode would also split on "\r").
    with open(path, "rb") as handle:
        _first_line(handle)
        for line in handle:
            if line.startswith(b"]"):
                return
            body = line.rstrip(b"\n")
            yield json.loads(body[:-1] if body.endswith(b",") else body)
    raise ValueError(f"{os.fspath(path)!r} is truncated: the pages array is not closed")


def _last_line(handle: BinaryIO) -> bytes:
    """Read the file's last line by walking back from the end in chunks."""
    end = handle.seek(0, os.SEEK_END)
    position = end
    data = b""
    while position > 0:
        step = min(_CHUNK, position)
        position -= step
        handle.seek(position)
        data = handle.read(step) + data
        cut = data.rfind(b"\n", 0, len(data) - 1)
        if cut >= 0:
            return data[cut + 1 :]
    return data


def read_result_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read everything of a result.json but its pages, without reading the pages.

    Args:
        path: a result.json written by :func:`write_result_json`.

    Returns:
        ``schema``, ``source``, ``options``, ``document``, ``warnings``, ``analysis``.

    Raises:
        ValueError: the file is not in the layout :func:`write_result_json` writes.
    """
    with open(path, "rb") as handle:
        head: dict[str, Any] = json.loads(_first_line(handle) + b"]}")
        last = _last_line(handle)
    if not last.startswith(b"],"):
        raise ValueError(f"{os.fspath(path)!r} is truncated: no warnings/analysis trailer")
    tail: dict[str, Any] = json.loads(b'{"pages":[' + last)
    del head["pages"]
    head.update((key, tail[key]) for key in _TRAILER)
    return head
