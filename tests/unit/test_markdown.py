"""document.md: headings, joined lines, lists, tables, dropped furniture, front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _synthetic import block, line, make_header, make_page, simple_block, span

from dataflow_desktop.pipeline.markdown import (
    front_matter,
    join_markdown,
    markdown_body_pages,
    page_markdown,
    write_markdown,
)


def _page(*blocks: dict[str, Any], tables: list[Any] | None = None) -> dict[str, Any]:
    page = make_page(1)
    page.update(blocks=list(blocks), tables=tables or [], images=[], links=[])
    return page


@pytest.fixture
def md() -> str:
    return page_markdown(make_page(3))


def test_headings_by_relative_size(md: str) -> None:
    assert "# 3. Introduction\n" in md  # 18 pt over 11 pt body
    assert "\n## Results\n" in md  # 13 pt: a smaller step
    same_size = _page(
        simple_block(1, 0, "heading", ["Bold run-in heading"], (72, 80), bold=True),
        simple_block(1, 1, "paragraph", ["Body text here."], (72, 100)),
    )
    assert page_markdown(same_size).startswith("### Bold run-in heading\n")


def test_paragraph_lines_joined_and_dehyphenated(md: str) -> None:
    assert "This is an example of text that wraps over lines.\n" in md
    page = _page(
        simple_block(
            1,
            0,
            "paragraph",
            ["Jean-", "Pierre met COVID-", "19 and a co\xad", "operative"],
            (72, 100),
        )
    )
    assert page_markdown(page) == "Jean-Pierre met COVID-19 and a cooperative\n"


def test_inline_styles_and_safe_links(md: str) -> None:
    assert "Some **bold** words and a [link](https://example.org/report?a=1&b=2)." in md
    assert "javascript:" not in md
    assert "Tricky \\<script>alert(1)\\</script> & co" in md


def test_lists_keep_nesting(md: str) -> None:
    assert "- First point\n  - Nested point\n- Second point\n" in md
    numbered = _page(
        simple_block(1, 0, "list_item", ["1. Alpha"], (72, 100)),
        simple_block(1, 1, "list_item", ["• inner"], (90, 115)),
        simple_block(1, 2, "list_item", ["2) Beta"], (72, 130)),
        simple_block(1, 3, "list_item", ["a) Gamma"], (72, 145)),
        simple_block(1, 4, "paragraph", ["– dash item"], (72, 160)),
    )
    assert page_markdown(numbered) == "1. Alpha\n   - inner\n2) Beta\n- a) Gamma\n- dash item\n"


def test_several_bullets_in_one_block_are_split() -> None:
    page = _page(simple_block(1, 0, "paragraph", ["• one", "continued", "• two"], (72, 100)))
    assert page_markdown(page) == "- one continued\n- two\n"


def test_table_rendered_once_with_escaped_pipes(md: str) -> None:
    assert "| Region | Revenue |\n| --- | --- |\n| North | 1\\|200 |\n" in md
    assert "Region Revenue" not in md
    assert "North 1|200" not in md
    assert md.index("## Results") < md.index("| Region") < md.index("Tricky")


def test_table_without_text_blocks_placed_by_position() -> None:
    table = {
        "id": "p1-t1",
        "bbox": [72.0, 150.0, 300.0, 200.0],
        "rows": 2,
        "cols": 2,
        "header": None,
        "cells": [["a", None], ["multi\nline", "x|y"]],
        "csv": "tables/p0001-t1.csv",
    }
    page = _page(
        simple_block(1, 0, "paragraph", ["Above."], (72, 100)),
        simple_block(1, 1, "paragraph", ["Below."], (72, 220)),
        tables=[table],
    )
    assert page_markdown(page) == (
        "Above.\n\n| a |  |\n| --- | --- |\n| multi line | x\\|y |\n\nBelow.\n"
    )


def test_headers_footers_and_page_numbers_dropped(md: str) -> None:
    assert "ACME" not in md
    assert "Confidential" not in md
    assert not any(ln.strip() == "3" for ln in md.splitlines())
    for label in ("- 12 -", "Page 4 of 9", "xiv", "12 / 40"):
        page = _page(
            simple_block(1, 0, "paragraph", ["Body."], (72, 100)),
            simple_block(1, 1, "paragraph", [label], (280, 810)),
        )
        assert page_markdown(page) == "Body.\n", label
    mid_page = _page(simple_block(1, 0, "paragraph", ["42"], (72, 400)))
    assert page_markdown(mid_page) == "42\n"


def test_images_and_captions(md: str) -> None:
    assert "![image p3-1](images/p0003-1.png)\n\n*Figure 1: the chart*\n" in md
    page = make_page(2)
    page["images"][0].update(file=None, skipped="too_large")
    assert "<!-- image p2-1 not extracted: too_large -->" in page_markdown(page)


def test_paragraph_starts_cannot_become_markup() -> None:
    page = _page(
        simple_block(1, 0, "paragraph", ["2024. A good year"], (72, 100)),
        simple_block(1, 1, "paragraph", ["# not a heading"], (72, 130)),
        simple_block(1, 2, "paragraph", ["> not a quote"], (72, 160)),
    )
    assert page_markdown(page) == "2024\\. A good year\n\n\\# not a heading\n\n\\> not a quote\n"


def test_empty_page_renders_nothing() -> None:
    assert page_markdown(_page()) == ""
    blank = _page(block(1, 0, "paragraph", [line(span("   ", 72, 100))]))
    assert page_markdown(blank) == ""


def test_front_matter_is_yaml() -> None:
    yaml = pytest.importorskip("yaml")
    header = make_header(
        2, analysis={"language": "fr", "doc_type": "invoice", "keywords": ["a: b", "ç"]}
    )
    header["document"]["metadata"]["title"] = 'Title: "quoted"\u2028next'
    text = front_matter(header)
    assert text.startswith("---\n")
    assert text.endswith("---\n\n")
    data = yaml.safe_load(text.split("---\n")[1])
    assert data == {
        "title": 'Title: "quoted"\u2028next',
        "author": 'Zoë "Q" Durand',
        "pages": 2,
        "source": "rapport annuel.pdf",
        "sha256": header["source"]["sha256"],
        "language": "fr",
        "type": "invoice",
        "keywords": ["a: b", "ç"],
    }
    header["document"]["metadata"]["title"] = ""
    assert 'title: "rapport annuel"' in front_matter(header)


def test_markdown_parses_as_intended() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(page_markdown(make_page(1)))
    assert "<h1>1. Introduction</h1>" in html
    assert "<li>First point\n<ul>\n<li>Nested point</li>" in html
    assert "<td>1|200</td>" in html
    assert "<script>" not in html


def test_write_markdown_streams_pages(tmp_path: Path) -> None:
    path = tmp_path / "document.md"
    pages = [make_page(1), make_page(2)]
    assert write_markdown(path, make_header(2), lambda: iter(pages)) == 2
    text = path.read_text("utf-8")
    assert text.startswith("---\ntitle: ")
    assert (
        text.index("<!-- page 1 -->")
        < text.index("# 1. Introduction")
        < text.index("<!-- page 2 -->")
    )
    assert text.endswith("*Figure 1: the chart*\n\n")
    write_markdown(tmp_path / "again.md", make_header(2), pages)
    assert (tmp_path / "again.md").read_bytes() == path.read_bytes()


def test_body_then_front_matter_gives_the_same_bytes(tmp_path: Path) -> None:
    """The job runner writes the pages early and the front matter last (join_markdown)."""
    pages = [make_page(1), make_page(2)]
    header = make_header(2, analysis={"language": "fr", "doc_type": "invoice", "keywords": ["été"]})
    write_markdown(tmp_path / "whole.md", header, pages)
    # The pages pass through to another reader (the analysis), unchanged.
    assert list(markdown_body_pages(tmp_path / "body.md", pages)) == pages
    join_markdown(tmp_path / "joined.md", header, tmp_path / "body.md")
    assert (tmp_path / "joined.md").read_bytes() == (tmp_path / "whole.md").read_bytes()


def test_a_body_left_unfinished_is_not_written(tmp_path: Path) -> None:
    passing = markdown_body_pages(tmp_path / "body.md", [make_page(1), make_page(2)])
    next(passing)
    passing.close()  # the reader stopped (a cancelled analysis)
    assert list(tmp_path.iterdir()) == []


def _mono(page: int, index: int, texts: list[str], at: tuple[float, float]) -> dict[str, Any]:
    lines = [
        # Code fonts advance about 0.55 em per character: 6.05 pt at 11 pt.
        line(span(t, at[0] + (len(t) - len(t.lstrip())) * 6.05, at[1] + i * 12, font="CMTT10"))
        for i, t in enumerate(texts)
    ]
    for ln in lines:
        ln["spans"][0]["text"] = ln["spans"][0]["text"].lstrip()
    return block(page, index, "paragraph", lines)


def test_code_font_blocks_become_code() -> None:
    page = _page(
        simple_block(1, 0, "paragraph", ["For example:"], (72, 80)),
        _mono(1, 1, ["int main(void)", "{", "    return 0;", "}"], (72, 100)),
        _mono(1, 2, ["/* second block of the same listing */"], (72, 150)),
        simple_block(1, 3, "paragraph", ["Mail us:"], (72, 200)),
        _mono(1, 4, ["{gal,shaver}@example.org"], (72, 220)),
    )
    assert page_markdown(page) == (
        "For example:\n\n```\nint main(void)\n{\n    return 0;\n}\n"
        "/* second block of the same listing */\n```\n\nMail us:\n\n`{gal,shaver}@example.org`\n"
    )


def test_inline_code_and_ligatures() -> None:
    spans = [
        span("Call ", 72, 100),
        span("fz_open(*x)", 99.5, 100, font="Courier"),
        span(" in the ﬁle.", 160, 100),
    ]
    page = _page(block(1, 0, "paragraph", [line(*spans)]))
    assert page_markdown(page) == "Call `fz_open(*x)` in the file.\n"


def test_paragraph_cut_by_a_block_break_is_joined() -> None:
    page = _page(
        simple_block(1, 0, "paragraph", ["The column ends in the middle of a sen-"], (72, 700)),
        simple_block(1, 1, "paragraph", ["Footnote text in small print."], (72, 760), size=7),
        simple_block(1, 2, "paragraph", ["tence and goes on here."], (320, 80)),
        simple_block(1, 3, "paragraph", ["A new paragraph."], (320, 100)),
        simple_block(1, 4, "paragraph", ["Not joined: the next one starts"], (320, 120)),
        simple_block(1, 5, "paragraph", ["With a capital."], (320, 140)),
    )
    assert page_markdown(page) == (
        "The column ends in the middle of a sentence and goes on here.\n\n"
        "Footnote text in small print.\n\nA new paragraph.\n\n"
        "Not joined: the next one starts\n\nWith a capital.\n"
    )


def test_heading_split_over_blocks_is_joined_and_sized_by_previous_pages() -> None:
    title = _page(
        simple_block(1, 0, "heading", ["A Long Title Set on"], (72, 100), size=20),
        simple_block(1, 1, "heading", ["Two Lines"], (72, 124), size=20),
        simple_block(1, 2, "heading", ["Part I"], (72, 300), size=14),
    )
    assert page_markdown(title).startswith("# A Long Title Set on Two Lines\n\n## Part I\n")
    from dataflow_desktop.pipeline.markdown import ReadingState

    state = ReadingState()
    page_markdown(_page(simple_block(1, 0, "paragraph", ["Body."], (72, 100), size=9)), state)
    assert page_markdown(title, state).startswith("# A Long Title Set on Two Lines\n\n# Part I\n")


def test_table_of_contents_lines_stay_lines() -> None:
    toc = [
        "1 Introduction . . . . . . . 1",
        "1.1 What is it? . . . . . . 2",
        "2 Usage . . . . . . . . . 4",
    ]
    page = _page(simple_block(1, 0, "paragraph", toc, (72, 100)))
    assert page_markdown(page) == "\n\n".join(toc) + "\n"


def test_table_of_contents_rows_cut_at_gaps_are_put_back_together() -> None:
    # As MuPDF gives a book's contents: number, title, leaders and page each a line.
    rows = [("5.7", "Tuning", ". . . . . . . .", "16"), ("5.8", "Summary", ". . . . . . .", "18")]
    lines = [
        line(span(text, x, 100 + 12 * row))
        for row, pieces in enumerate(rows)
        for text, x in zip(pieces, (148, 172, 220, 468), strict=True)
    ]
    page = _page(block(1, 0, "paragraph", lines))
    assert page_markdown(page) == "5.7 Tuning . . . . . . . . 16\n\n5.8 Summary . . . . . . . 18\n"


def test_caption_lines_merged_into_a_table_header_block_are_kept_once() -> None:
    table = {
        "id": "p1-t1",
        "bbox": [72.0, 120.0, 300.0, 160.0],
        "rows": 2,
        "cols": 2,
        "header": ["Country", "Capital"],
        "cells": [["Country", "Capital"], ["Austria", "Vienna"]],
        "csv": "tables/p0001-t1.csv",
    }
    merged = simple_block(1, 0, "caption", ["Table 1: Capitals", "Country Capital"], (72, 106.8))
    page = _page(
        merged, simple_block(1, 1, "paragraph", ["Austria Vienna"], (76, 145)), tables=[table]
    )
    assert page_markdown(page) == (
        "*Table 1: Capitals*\n\n| Country | Capital |\n| --- | --- |\n| Austria | Vienna |\n"
    )


def test_no_emphasis_around_symbols_alone() -> None:
    spans = [
        span("Gal", 72, 100),
        span("∗", 88.5, 100, italic=True),
        span(" and ", 94, 100),
        span("Eich", 121.5, 100, bold=True),
    ]
    page = _page(block(1, 0, "paragraph", [line(*spans)]))
    assert page_markdown(page) == "Gal∗ and **Eich**\n"


def test_cancelled_write_keeps_the_old_file(tmp_path: Path) -> None:
    from dataflow_desktop.errors import Cancelled
    from dataflow_desktop.events import CancelFlag

    path = tmp_path / "document.md"
    path.write_text("old", "utf-8")
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        write_markdown(path, make_header(1), [make_page(1)], cancel=flag)
    assert path.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["document.md"]
