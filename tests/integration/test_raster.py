"""render_pages() on the real corpus: files, sizes, pixel budget, formats, atomic output."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from PIL import Image

from dataflow_desktop.errors import Cancelled
from dataflow_desktop.events import CancelFlag, StepProgress
from dataflow_desktop.pipeline.options import Limits, PipelineOptions
from dataflow_desktop.pipeline.raster import fit_dpi, render_pages

pytestmark = pytest.mark.corpus


def test_pages_and_thumbnails(corpus_dir: Path, tmp_path: Path) -> None:
    events: list[StepProgress] = []
    result = render_pages(
        corpus_dir / "multicolumn-sample-files-latex-2col.pdf",
        [0, 2],
        options=PipelineOptions(),
        out_dir=tmp_path,
        progress=events.append,
    )
    assert result[0] == {
        "file": "pages/0001.png",
        "thumb": "thumbs/0001.png",
        "dpi": 150,
        "width": 1241,  # 595.28 x 841.89 pt at 150 dpi
        "height": 1754,
        "downscaled": False,
    }
    assert result[1]["file"] == "pages/0003.png"
    with Image.open(tmp_path / "pages/0001.png") as page:
        assert (page.size, page.mode) == ((1241, 1754), "RGB")
        assert page.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
    with Image.open(tmp_path / "thumbs/0001.png") as thumb:
        assert max(thumb.size) == 200
        assert thumb.size == (142, 200)
    assert [(e.step, e.done, e.total) for e in events] == [("raster", 1, 2), ("raster", 2, 2)]
    assert events[-1].message == "Rendering page 2 of 2"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_rotated_page_is_rendered_upright(corpus_dir: Path, tmp_path: Path) -> None:
    (result,) = render_pages(
        corpus_dir / "tables-rotated-pdfplumber-nics-background-checks.pdf",
        [0],
        options=PipelineOptions(dpi=72),
        out_dir=tmp_path,
    )
    assert (result["width"], result["height"]) == (612, 1008)  # the /Rotate 90 page as shown


def test_huge_page_fits_pixel_budget(corpus_dir: Path, tmp_path: Path) -> None:
    """An 8400 x 8400 pt page holding a 35000 px scan: 150 dpi would be 306 megapixels."""
    limits = Limits(max_page_pixels=4_000_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (result,) = render_pages(
        corpus_dir / "large-image-ocrmypdf-hugemono.pdf",
        [0],
        options=PipelineOptions(limits=limits),
        out_dir=tmp_path,
    )
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result["downscaled"] is True
    assert result["width"] * result["height"] <= limits.max_page_pixels
    assert result["dpi"] < 20
    with Image.open(tmp_path / result["file"]) as page:
        assert page.size == (result["width"], result["height"])
    assert grown_mib < 400  # the full-resolution page alone would need ~900 MiB


@pytest.mark.parametrize(
    ("fmt", "ext", "magic"), [("jpeg", "jpg", b"\xff\xd8"), ("webp", "webp", b"RIFF")]
)
def test_other_formats(corpus_dir: Path, tmp_path: Path, fmt: str, ext: str, magic: bytes) -> None:
    options = PipelineOptions(image_format=fmt, dpi=72)  # type: ignore[arg-type]
    (result,) = render_pages(
        corpus_dir / "text-en-pypdf-crazyones.pdf", [0], options=options, out_dir=tmp_path
    )
    assert result["file"] == f"pages/0001.{ext}"
    assert (tmp_path / result["file"]).read_bytes()[:4].startswith(magic)
    assert result["thumb"] == "thumbs/0001.png"


def test_fit_dpi() -> None:
    assert fit_dpi(595.28, 841.89, 150, 40_000_000) == (150, False)
    dpi, downscaled = fit_dpi(8400, 8400, 150, 40_000_000)
    assert downscaled
    assert 50 < dpi < 55
    side = -(-8400 * dpi // 72)
    assert side * side <= 40_000_000


def test_encrypted_and_cancel(corpus_dir: Path, tmp_path: Path) -> None:
    path = corpus_dir / "encrypted-sample-files-libreoffice-writer-password.pdf"
    (result,) = render_pages(
        path, [0], password="openpassword", options=PipelineOptions(dpi=50), out_dir=tmp_path
    )
    assert (tmp_path / result["file"]).is_file()
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        render_pages(
            path,
            [0],
            password="openpassword",
            options=PipelineOptions(),
            out_dir=tmp_path / "c",
            cancel=flag,
        )
    assert not (tmp_path / "c" / "pages").exists()
