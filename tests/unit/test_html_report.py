"""report.html: self-contained, escaped, thumbnails inlined, well-formed."""

from __future__ import annotations

import base64
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _synthetic import make_header, make_page

from dataflow_desktop.pipeline.html_report import write_report

_VOID = {"meta", "img", "br", "hr", "link", "input", "col", "area", "base", "source", "wbr"}


def _png(width: int = 2, height: int = 3) -> bytes:
    """A valid grey PNG, built by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class _Audit(HTMLParser):
    """Collects tags, URL attributes and checks that non-void tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.attrs: dict[str, list[dict[str, str | None]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.setdefault(tag, []).append(dict(attrs))
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data"):
                self.urls.append((tag, name, value or ""))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def job(tmp_path: Path) -> Path:
    (tmp_path / "thumbs").mkdir()
    (tmp_path / "thumbs" / "0001.png").write_bytes(_png())
    (tmp_path / "secret.png").write_bytes(_png(5, 5))
    return tmp_path


def _write(
    job: Path, analysis: dict[str, Any] | None = None, **page_changes: Any
) -> tuple[str, _Audit]:
    pages = [make_page(1), make_page(2)]
    pages[1].update(page_changes)
    path = job / "report.html"
    assert write_report(path, make_header(2, analysis=analysis), iter(pages), job) == 2
    html = path.read_text("utf-8")
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return html, audit


def test_self_contained(job: Path) -> None:
    html, audit = _write(job)
    assert not audit.errors
    assert not audit.stack
    assert "script" not in audit.tags
    assert "link" not in audit.tags
    assert "iframe" not in audit.tags
    remote = [
        (t, a, u) for t, a, u in audit.urls if u.lower().startswith(("http:", "https:", "//"))
    ]
    # Only the document's own (safe) links, as clickable anchors.
    assert remote == [("a", "href", "https://example.org/report?a=1&b=2")] * 4
    assert all(u.startswith("data:image/") for t, a, u in audit.urls if a == "src")
    assert "url(" not in html
    assert "@import" not in html
    assert "default-src 'none'" in html  # the Content-Security-Policy meta


def test_thumbnails_embedded_and_confined_to_job_folder(job: Path) -> None:
    html, audit = _write(job, raster={**make_page(2)["raster"], "thumb": "../secret.png"})
    imgs = audit.attrs["img"]
    assert len(imgs) == 1  # page 1 embedded; page 2's path escapes the job folder
    assert imgs[0]["src"] == "data:image/png;base64," + base64.b64encode(_png()).decode()
    assert imgs[0]["alt"] == "Page 1"
    assert html.count("No preview") == 1


def test_document_text_is_escaped(job: Path) -> None:
    html, audit = _write(job)
    assert "<script" not in html
    assert "Tricky &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<h1>Annual report: &lt;2024&gt;</h1>" in html
    assert "Zoë &quot;Q&quot; Durand" in html
    assert not any("javascript:" in u for _, _, u in audit.urls)
    assert "<code>javascript:alert(1)</code>" in html  # shown, not clickable


def test_sections_and_structure(job: Path) -> None:
    html, audit = _write(job)
    assert audit.attrs["html"] == [{"lang": "en"}]
    ids = {a.get("id") for attrs in audit.attrs.values() for a in attrs}
    assert {"document", "warnings", "outline", "form-fields", "attachments", "pages"} <= ids
    assert {"page-1", "page-2"} <= ids
    assert "analysis" not in ids
    assert html.index('id="page-1"') < html.index('id="page-2"')
    assert "<th scope=col>Region</th>" in html
    assert "<td>1|200</td>" in html
    assert html.count("North 1|200") == 0  # table text not repeated as a paragraph
    assert "The file was repaired." in html
    assert "factur-x.xml" in html
    assert "Dupont" in html
    assert '<a href="#page-2">Results</a>' in html  # outline entry links to its page
    assert "ACME Corp" not in html  # running header dropped like in Markdown
    assert "@media print" in html


def test_analysis_section_and_text_language(job: Path) -> None:
    analysis = {
        "language": "fr",
        "doc_type": "invoice",
        "keywords": ["<b>"],
        "fields": {"total": 12.5},
    }
    html, audit = _write(job, analysis=analysis)
    assert 'id="analysis"' in html
    assert "&lt;b&gt;" in html
    assert "<td>12.5</td>" in html
    assert all(
        a.get("lang") == "fr" for a in audit.attrs["div"] if "content" in (a.get("class") or "")
    )


def test_deterministic_and_atomic(job: Path) -> None:
    first, _ = _write(job)
    second, _ = _write(job)
    assert first == second
    assert sorted(p.name for p in job.iterdir()) == ["report.html", "secret.png", "thumbs"]


def test_code_blocks_are_preformatted_and_escaped(job: Path) -> None:
    from _synthetic import block, line, span

    code = block(
        2,
        20,
        "paragraph",
        [
            line(span(t, 72, 600 + 12 * i, font="Courier"))
            for i, t in enumerate(["if (a < b) {", "}"])
        ],
    )
    page = make_page(2)
    html, audit = _write(job, blocks=[*page["blocks"], code])
    assert "<pre><code>if (a &lt; b) {\n}</code></pre>" in html
    assert not audit.errors


def test_progress_and_cancel(job: Path) -> None:
    from dataflow_desktop.errors import Cancelled
    from dataflow_desktop.events import CancelFlag, StepProgress

    events: list[StepProgress] = []
    write_report(
        job / "r.html", make_header(2), [make_page(1), make_page(2)], job, progress=events.append
    )
    assert [(e.step, e.done, e.total) for e in events] == [("report", 1, 2), ("report", 2, 2)]
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        write_report(job / "r.html", make_header(2), [make_page(1)], job, cancel=flag)
    assert (job / "r.html").exists()
    assert not [p for p in job.iterdir() if p.name.endswith(".tmp")]
