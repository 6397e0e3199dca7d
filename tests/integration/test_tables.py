"""Table detection on the real corpus, scored against ICDAR 2013 and camelot ground truth."""

from __future__ import annotations

import csv
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from dataflow_desktop.pipeline import extraction
from dataflow_desktop.pipeline.extraction import extract_pages
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.pipeline.tables import table_csv, table_markdown

pytestmark = pytest.mark.corpus


def _tables(
    corpus: Path, name: str, out: Path, pages: list[int] | None = None, password: str | None = None
) -> list[dict[str, Any]]:
    result = extract_pages(
        corpus / name, pages or [0], password=password, options=PipelineOptions(), out_dir=out
    )
    return [table for page in result for table in page["tables"]]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _recall(expected: Iterable[str], got: Iterable[str]) -> float:
    """Share of the non-empty expected cells found among the detected cells (multiset)."""
    want = Counter(_norm(c) for c in expected if _norm(c))
    have = Counter(_norm(c) for c in got if _norm(c))
    return sum((want & have).values()) / sum(want.values())


def _best_recall(expected: list[str], tables: list[dict[str, Any]]) -> float:
    return max(_recall(expected, [c for row in t["cells"] for c in row]) for t in tables)


def test_icdar_unruled_looking_table(corpus_dir: Path, tmp_path: Path) -> None:
    tables = _tables(corpus_dir, "tables-icdar2013-us-005.pdf", tmp_path)
    root = ET.parse(corpus_dir / "tables-icdar2013-us-005.str.xml").getroot()
    expected = [cell.findtext("content") or "" for cell in root.iter("cell")]
    assert len(tables) == 1
    table = tables[0]
    assert _best_recall(expected, tables) >= 0.9
    assert (table["rows"], table["cols"]) == (5, 2)
    # Cell positions too: start-row/start-col of the ground truth.
    for cell in root.iter("cell"):
        row, col = int(cell.get("start-row", "0")), int(cell.get("start-col", "0"))
        assert _norm(table["cells"][row][col]) == _norm(cell.findtext("content") or "")
    assert table["header"] == [
        "Income level of individual or geography",
        "% of the area median income",
    ]
    # ICDAR's region (PDF space, bottom-up) is the text's extent; ours is the rules' one.
    x0, y0, x1, y1 = table["bbox"]
    assert x0 == pytest.approx(77, abs=8)
    assert x1 == pytest.approx(482, abs=60)
    assert y0 == pytest.approx(792 - 458, abs=5)
    assert y1 == pytest.approx(792 - 389, abs=5)


@pytest.mark.parametrize(
    ("name", "csvs", "password"),
    [
        ("tables-camelot-twotables-2.pdf", ["table-1", "table-2"], None),
        ("tables-camelot-column-span-1.pdf", ["table-1"], None),
        ("encrypted-tables-camelot-health-protected.pdf", ["table-1"], "userpass"),
    ],
)
def test_camelot_tables(
    corpus_dir: Path, tmp_path: Path, name: str, csvs: list[str], password: str | None
) -> None:
    tables = _tables(corpus_dir, name, tmp_path, password=password)
    assert len(tables) == len(csvs)
    for suffix, table in zip(csvs, tables, strict=True):
        with (corpus_dir / name.replace(".pdf", f".{suffix}.csv")).open(encoding="utf-8") as stream:
            expected_rows = list(csv.reader(stream))
        expected = [cell for row in expected_rows for cell in row]
        assert _recall(expected, [c for row in table["cells"] for c in row]) >= 0.95, suffix
        with (tmp_path / table["csv"]).open(encoding="utf-8", newline="") as stream:
            assert list(csv.reader(stream)) == table["cells"]
        assert table["rows"] == len(table["cells"])
        assert table["cols"] == len(table["cells"][0])


def test_ruled_lattice_matches_camelot_rows(corpus_dir: Path, tmp_path: Path) -> None:
    """Merged header cells keep their text in the top-left cell, as camelot's lattice does."""
    (table, _) = _tables(corpus_dir, "tables-camelot-twotables-2.pdf", tmp_path)
    with (corpus_dir / "tables-camelot-twotables-2.table-1.csv").open(encoding="utf-8") as stream:
        expected = list(csv.reader(stream))
    assert table["cells"][: len(expected)] == expected
    assert table["header"] == expected[0]


def test_chinese_tables(corpus_dir: Path, tmp_path: Path) -> None:
    tables = _tables(corpus_dir, "tables-zh-pymupdf-chinese-tables.pdf", tmp_path)
    assert [(t["rows"], t["cols"]) for t in tables] == [(5, 5), (12, 5)]
    assert tables[1]["header"] == ["序号", "金融机构名称", "授信总额", "已使用情况", "剩余额度"]
    assert tables[1]["cells"][1] == ["1", "工商银行", "330,435.30", "234,850.00", "95,585.30"]


def test_booktabs_table(corpus_dir: Path, tmp_path: Path) -> None:
    (table,) = _tables(corpus_dir, "multicolumn-sample-files-latex-2col.pdf", tmp_path, [2])
    assert table["header"] == [
        "Country",
        "Population (millions)",
        "Area (km2)",
        "Capital",
        "Oﬃcial Language",
    ]
    assert table["cells"][1] == ["Austria", "8.9", "83,879", "Vienna", "German"]


@pytest.mark.parametrize(
    ("name", "pages"),
    [
        (
            "text-pdfplumber-junk-before-header-rotated-chars.pdf",
            [0, 4],
        ),  # white boxes behind lines
        ("form-pdfjs-irs-f1040-2010-prefilled.pdf", [0]),  # a form's grid is not a table
        ("nonlatin-ja-pdfminer-kampo-gazette.pdf", [0]),  # vertical CJK text on a grid of glyphs
        ("multicolumn-pdfjs-tracemonkey.pdf", [1, 5, 9, 10]),  # diagrams and bar charts
        ("manypages-pymupdf-mupdf-explored.pdf", list(range(10, 30))),
    ],
)
def test_no_false_tables(corpus_dir: Path, tmp_path: Path, name: str, pages: list[int]) -> None:
    assert _tables(corpus_dir, name, tmp_path, pages) == []


def test_text_page_cost_is_small(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table gates keep ordinary pages cheap: time detect_tables on 40 book pages."""
    spent: list[float] = []
    real = extraction.detect_tables

    def timed(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent.append(time.process_time() - start)

    monkeypatch.setattr(extraction, "detect_tables", timed)
    pages = list(range(20, 60))
    options = PipelineOptions(extract_images=False)
    result = extraction.extract_pages(
        corpus_dir / "manypages-pymupdf-mupdf-explored.pdf",
        pages,
        options=options,
        out_dir=tmp_path,
    )
    assert all(page["tables"] == [] for page in result)
    assert len(spent) == len(pages)
    assert sum(spent) / len(pages) < 0.003  # measured ~0.5 ms; find_tables costs 120+ ms


def test_csv_and_markdown() -> None:
    cells = [["Name", "Note"], ['a "quoted", value', "x|y"], ["", "last"]]
    assert table_csv(cells) == 'Name,Note\n"a ""quoted"", value",x|y\n,last\n'
    assert table_markdown(cells, cells[0]) == (
        '| Name | Note |\n|---|---|\n| a "quoted", value | x\\|y |\n|  | last |\n'
    )
    assert table_markdown(cells).startswith("|  |  |\n|---|---|\n| Name | Note |")
    assert table_markdown([]) == ""
