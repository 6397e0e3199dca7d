"""extract_pages() on the real corpus: text, reading order, rotation, images, links, contract."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pymupdf
import pytest

from dataflow_desktop.errors import Cancelled
from dataflow_desktop.events import CancelFlag, StepProgress
from dataflow_desktop.pipeline.extraction import extract_pages
from dataflow_desktop.pipeline.options import Limits, PipelineOptions
from dataflow_desktop.pipeline.preflight import inspect
from dataflow_desktop.pipeline.raster import render_pages
from dataflow_desktop.pipeline.schemas import load_schema

pytestmark = pytest.mark.corpus

PAGE_KEYS = [
    "number",
    "width",
    "height",
    "rotation",
    "text_source",
    "text",
    "blocks",
    "tables",
    "images",
    "links",
]


def _extract(
    corpus: Path, name: str, out: Path, pages: list[int] | None = None, **kw: Any
) -> list[dict[str, Any]]:
    options = kw.pop("options", PipelineOptions())
    return extract_pages(corpus / name, pages or [0], options=options, out_dir=out, **kw)


def _words(text: str) -> list[str]:
    return text.split()


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(
        None, " ".join(a.split()), " ".join(b.split()), autojunk=False
    ).ratio()


def test_crazyones_text(corpus_dir: Path, tmp_path: Path) -> None:
    page = _extract(corpus_dir, "text-en-pypdf-crazyones.pdf", tmp_path)[0]
    expected = (corpus_dir / "text-en-pypdf-crazyones.txt").read_text(encoding="utf-8")
    assert _similarity(page["text"], expected) >= 0.95
    assert page["text_source"] == "native"
    assert page["blocks"][0]["role"] == "heading"  # "The Crazy Ones"


def test_french_accents(corpus_dir: Path, tmp_path: Path) -> None:
    pages = _extract(
        corpus_dir, "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf", tmp_path, [0, 1]
    )
    text = "\n".join(p["text"] for p in pages)
    for word in (
        "PROCÈS-VERBAL",
        "COMITÉ DE DÉMOLITION",
        "démolition",
        "Séance",
        "Gaëtan",
        "greffière",
    ):
        assert word in text
    assert [p["number"] for p in pages] == [1, 2]


def test_six_scripts(corpus_dir: Path, tmp_path: Path) -> None:
    text = _extract(corpus_dir, "multilingual-pypdf-multilang.pdf", tmp_path)[0]["text"]
    for hello in (
        "Hello World",
        "مرحبا بالعالم",
        "Привет, мир",
        "你好世界",
        "สวัสดีชาวโลก",
        "こんにちは世界",
    ):
        assert hello in text


def test_truncated_file_text(corpus_dir: Path, tmp_path: Path) -> None:
    page = _extract(corpus_dir, "broken-pypdf-truncated-zero-padded.pdf", tmp_path)[0]
    assert "Hello World" in page["text"]


def _layout_order(path: Path) -> list[str]:
    """Words of the pypdf layout-mode ground truth, read column by column."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Abstract"))
    last = max(i for i, line in enumerate(lines) if line[70:].strip())
    top = [w for line in lines[:first] for w in line.split()]
    left = [w for line in lines[first : last + 1] for w in line[:70].split()]
    right = [w for line in lines[first : last + 1] for w in line[70:].split()]
    bottom = [w for line in lines[last + 1 :] for w in line.split()]
    return top + left + right + bottom


def test_two_column_reading_order(corpus_dir: Path, tmp_path: Path) -> None:
    page = _extract(corpus_dir, "multicolumn-sample-files-latex-2col.pdf", tmp_path)[0]
    expected = _layout_order(corpus_dir / "multicolumn-sample-files-latex-2col.layout-p1.txt")
    got = _words(page["text"])
    ratio = difflib.SequenceMatcher(None, expected, got, autojunk=False).ratio()
    assert ratio >= 0.98
    assert {b["column"] for b in page["blocks"] if b["role"] == "paragraph"} == {0, 1}
    assert page["blocks"][-1]["role"] == "footer"  # the page number


def test_tracemonkey_columns(corpus_dir: Path, tmp_path: Path) -> None:
    pages = _extract(corpus_dir, "multicolumn-pdfjs-tracemonkey.pdf", tmp_path, [0, 1])
    text = pages[0]["text"]
    order = [
        "Trace-based Just-in-Time",
        "Abstract",
        "Dynamic languages such as JavaScript are more difﬁcult",
        "Permission to make digital",  # bottom of the left column
        "and is used for the application logic",  # top of the right column
        "Each compiled trace covers one path",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    text = pages[1]["text"]
    # The bullet list protrudes into the gutter; the columns must still not interleave.
    assert text.index("We validate our tracing") < text.index("The remainder of this paper")
    assert text.index("The remainder of this paper") < text.index("Figure 1. Sample program")
    assert any(b["role"] == "caption" for b in pages[1]["blocks"])
    assert any(b["role"] == "list_item" for b in pages[1]["blocks"])


def test_rotated_pages(corpus_dir: Path, tmp_path: Path) -> None:
    pages = _extract(corpus_dir, "rotated-sample-files-habibi-rotated.pdf", tmp_path, [0, 1, 2, 3])
    assert [p["rotation"] for p in pages] == [90, 180, 270, 0]
    directions = {90: [0.0, 1.0], 180: [-1.0, 0.0], 270: [0.0, -1.0], 0: [1.0, 0.0]}
    for page in pages:
        assert "habibi" in page["text"]
        assert "حَبيبي" in page["text"]
        landscape = page["rotation"] in (90, 270)
        assert (page["width"] > page["height"]) == landscape
        line = page["blocks"][0]["lines"][0]
        assert line["dir"] == directions[page["rotation"]]
        x0, y0, x1, y1 = page["blocks"][0]["bbox"]
        assert 0 <= x0 < x1 <= page["width"]
        assert 0 <= y0 < y1 <= page["height"]
    # The same text sits in the same place of the *unrotated* page: check one corner.
    assert pages[3]["blocks"][0]["bbox"][:2] == [62.25, 62.25]
    assert pages[1]["blocks"][0]["bbox"][2:] == [
        round(pages[1]["width"] - 62.25, 2),
        round(pages[1]["height"] - 62.25, 2),
    ]


def test_rotated_broken_stream(corpus_dir: Path, tmp_path: Path) -> None:
    page = _extract(corpus_dir, "broken-pdfminer-corrupt-zlib.pdf", tmp_path)[0]
    assert (page["rotation"], page["width"], page["height"]) == (90, 842.0, 595.0)
    assert "Beautiful is better than ugly." in page["text"]
    assert "Namespaces are one honking great idea" in page["text"]
    body = next(b for b in page["blocks"] if "Beautiful" in b["lines"][0]["spans"][0]["text"])
    assert body["lines"][0]["dir"] == [1.0, 0.0]  # reads left to right once rotated


def test_page_contract_and_determinism(corpus_dir: Path, tmp_path: Path) -> None:
    name = "multicolumn-pdfjs-tracemonkey.pdf"
    first = _extract(corpus_dir, name, tmp_path / "a", [1, 11])
    second = _extract(corpus_dir, name, tmp_path / "b", [1, 11])
    dump = json.dumps(first, ensure_ascii=False, separators=(",", ":"))
    assert dump == json.dumps(second, ensure_ascii=False, separators=(",", ":"))
    # Every float has at most 2 decimals.
    assert not re.search(r"\d\.\d{3,}", dump)
    for page in first:
        assert list(page) == PAGE_KEYS
        for k, block in enumerate(page["blocks"]):
            assert list(block) == ["id", "kind", "bbox", "column", "role", "lines"]
            assert block["id"] == f"p{page['number']}-b{k}"
            span = block["lines"][0]["spans"][0]
            assert list(span) == ["text", "bbox", "font", "size", "bold", "italic", "color"]
            assert re.fullmatch(r"#[0-9a-f]{6}", span["color"])
        for image in page["images"]:
            assert list(image) == ["id", "bbox", "width", "height", "xref", "file", "skipped"]
    images = first[0]["images"]
    assert len(images) == 10
    assert all(image["file"] and (tmp_path / "a" / image["file"]).is_file() for image in images)
    # The same image drawn twice on a page is written once.
    by_xref: dict[int, set[str]] = {}
    for image in images:
        by_xref.setdefault(image["xref"], set()).add(image["file"])
    assert all(len(files) == 1 for files in by_xref.values())
    assert any(
        span["bold"] for b in first[1]["blocks"] for ln in b["lines"] for span in ln["spans"]
    )


def test_image_limits_and_switch(corpus_dir: Path, tmp_path: Path) -> None:
    huge = _extract(corpus_dir, "large-image-ocrmypdf-hugemono.pdf", tmp_path / "huge")[0]
    assert huge["text_source"] == "none"
    (image,) = huge["images"]
    assert (image["width"], image["height"], image["file"], image["skipped"]) == (
        35000,
        35000,
        None,
        "too_large",
    )
    jpeg = _extract(corpus_dir, "large-image-pdfjs-large-jpeg-downscale.pdf", tmp_path / "jpeg")[0]
    (image,) = jpeg["images"]
    assert image["file"] == "images/p0001-1.jpeg"
    assert (tmp_path / "jpeg" / image["file"]).read_bytes()[:2] == b"\xff\xd8"
    small = PipelineOptions(limits=Limits(max_image_bytes=1000))
    capped = _extract(
        corpus_dir, "large-image-pdfjs-large-jpeg-downscale.pdf", tmp_path / "cap", options=small
    )[0]
    assert capped["images"][0]["skipped"] == "too_large"
    off = PipelineOptions(extract_images=False, extract_tables=False)
    none = _extract(
        corpus_dir, "large-image-pdfjs-large-jpeg-downscale.pdf", tmp_path / "off", options=off
    )[0]
    assert none["images"][0]["file"] is None
    assert not (tmp_path / "off" / "images").exists()


def test_links(corpus_dir: Path, tmp_path: Path) -> None:
    toc_page = _extract(corpus_dir, "manypages-pymupdf-mupdf-explored.pdf", tmp_path, [3])[0]
    targets = [link["page"] for link in toc_page["links"] if "page" in link]
    assert len(targets) >= 20
    assert targets[:2] == [2, 3]  # Preface, Acknowledgements
    assert all(list(link) in (["bbox", "page"], ["bbox", "uri"]) for link in toc_page["links"])


def test_encrypted_extraction(corpus_dir: Path, tmp_path: Path) -> None:
    page = _extract(
        corpus_dir, "encrypted-pypdf-r6-aes256-user-password.pdf", tmp_path, password="asdfzxcv"
    )[0]
    assert "pdf encryption test" in page["text"]


def test_progress_and_cancel(corpus_dir: Path, tmp_path: Path) -> None:
    events: list[StepProgress] = []
    name = "multicolumn-sample-files-latex-2col.pdf"
    _extract(corpus_dir, name, tmp_path, [0, 1, 2], progress=events.append)
    assert [(e.step, e.done, e.total) for e in events] == [("extraction", n, 3) for n in (1, 2, 3)]
    assert events[0].message == "Extracting page 1 of 3"

    flag = CancelFlag()

    def cancel_after_first(event: StepProgress) -> None:
        flag.cancel()

    with pytest.raises(Cancelled):
        _extract(corpus_dir, name, tmp_path, [0, 1, 2], progress=cancel_after_first, cancel=flag)


def test_bad_page_index(corpus_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page index 5"):
        _extract(corpus_dir, "text-en-pypdf-crazyones.pdf", tmp_path, [5])


@pytest.mark.parametrize(
    ("name", "pages", "password"),
    [
        ("multicolumn-pdfjs-tracemonkey.pdf", [1, 11], None),  # images, a table
        ("manypages-pymupdf-mupdf-explored.pdf", [3], None),  # internal links
        ("tables-rotated-pdfplumber-nics-background-checks.pdf", [0], None),  # rotated table
        ("large-image-ocrmypdf-hugemono.pdf", [0], None),  # skipped image, no text
        ("encrypted-tables-camelot-health-protected.pdf", [0], "userpass"),
    ],
)
def test_output_matches_result_schema(
    corpus_dir: Path, tmp_path: Path, name: str, pages: list[int], password: str | None
) -> None:
    schema = load_schema("result.schema.json")
    page_schema = {"$ref": "#/$defs/page", "$defs": schema["$defs"]}
    options = PipelineOptions(dpi=36)
    extracted = extract_pages(
        corpus_dir / name, pages, password=password, options=options, out_dir=tmp_path
    )
    rasters = render_pages(
        corpus_dir / name, pages, password=password, options=options, out_dir=tmp_path
    )
    for page, raster in zip(extracted, rasters, strict=True):
        jsonschema.validate({**page, "raster": raster}, page_schema)
    document = inspect(corpus_dir / name, password=password)
    warnings = document.pop("warnings")
    jsonschema.validate(document, {"$ref": "#/$defs/document", "$defs": schema["$defs"]})
    assert isinstance(warnings, list)


def test_inline_image_is_listed(tmp_path: Path) -> None:
    """Inline images (BI ... EI in the content) have no xref and are not written."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 50), "An inline image follows.")
    xref = page.get_contents()[0]
    inline = b"\nq 50 0 0 50 100 100 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n"
    doc.update_stream(xref, doc.xref_stream(xref) + inline)
    pdf = tmp_path / "inline.pdf"
    doc.save(pdf)
    (result,) = extract_pages(pdf, [0], options=PipelineOptions(), out_dir=tmp_path / "out")
    (image,) = result["images"]
    assert (image["width"], image["height"], image["xref"]) == (2, 2, 0)
    assert (image["file"], image["skipped"]) == (None, None)
    assert image["bbox"] == [100.0, 692.0, 150.0, 742.0]


def _openable(corpus: Path) -> list[str]:
    names = []
    for path in sorted(corpus.glob("*.pdf")):
        try:
            with pymupdf.open(path) as doc:
                if not doc.needs_pass and doc.page_count:
                    names.append(path.name)
        except (RuntimeError, ValueError):
            continue  # the broken files have tests of their own
    return names


def test_text_source_is_preflight_text_layer(corpus_dir: Path, tmp_path: Path) -> None:
    """The job runner takes ``document.text_layer`` from extraction instead of reading
    every page's text twice: both must say the same of every page."""
    names = _openable(corpus_dir)
    assert len(names) >= 20
    for name in names:
        layer = inspect(corpus_dir / name)["text_layer"]
        pages = list(range(min(len(layer), 40)))
        items = _extract(corpus_dir, name, tmp_path / name, pages)
        assert [item["text_source"] == "native" for item in items] == layer[: len(pages)], name
