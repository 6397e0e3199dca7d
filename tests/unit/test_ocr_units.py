"""OCR step pieces that need no recognition: page choice, language data, geometry."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflow_desktop.errors import DataflowError, ErrorCode
from dataflow_desktop.pipeline import _tessdata
from dataflow_desktop.pipeline._ocr_engines import Word, _parse_tsv, _split_pages
from dataflow_desktop.pipeline._ocr_geometry import build_blocks, unturn_box, unturn_dir
from dataflow_desktop.pipeline._ocr_orientation import quality
from dataflow_desktop.pipeline.ocr import apply_ocr, needs_ocr, ocr_dpi
from dataflow_desktop.pipeline.options import PipelineOptions


@pytest.mark.parametrize(
    ("page", "mode", "expected"),
    [
        (True, "auto", False),
        (False, "auto", True),
        (True, "always", True),
        (False, "never", False),
        ({"text_source": "native", "text": "Bonjour"}, "auto", False),
        ({"text_source": "none", "text": ""}, "auto", True),
        ({"text_source": "native", "text": "   "}, "auto", True),
        ({"text_source": "native", "text": "Bonjour"}, "always", True),
    ],
)
def test_needs_ocr(page: object, mode: str, expected: bool) -> None:
    assert needs_ocr(page, mode) is expected  # type: ignore[arg-type]


def test_needs_ocr_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError, match="unknown OCR mode"):
        needs_ocr(True, "sometimes")  # type: ignore[arg-type]


def test_parse_languages() -> None:
    assert _tessdata.parse_languages("eng+fra+eng") == ("eng", "fra")
    assert _tessdata.parse_languages("chi_sim+script/Latin") == ("chi_sim", "script/Latin")
    for bad in ("", "eng+", "eng;rm -rf", "../x"):
        with pytest.raises(ValueError, match="not a Tesseract language name"):
            _tessdata.parse_languages(bad)


def _isolate(
    monkeypatch: pytest.MonkeyPatch, *, prefix: Path | None, known: tuple[str, ...] = ()
) -> None:
    """Search only ``prefix`` (as TESSDATA_PREFIX) and ``known``: no tesseract, no package data."""
    if prefix is None:
        monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    else:
        monkeypatch.setenv("TESSDATA_PREFIX", str(prefix))
    monkeypatch.setattr(_tessdata, "tesseract_binary", lambda: None)
    monkeypatch.setattr(_tessdata, "_KNOWN_DIRS", known)
    monkeypatch.setattr(_tessdata, "_packaged_dir", lambda: None)


def test_tessdata_prefix_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"x")
    (tmp_path / "fra.traineddata").write_bytes(b"x")
    _isolate(monkeypatch, prefix=tmp_path)
    assert _tessdata.find_tessdata(("eng", "fra")) == tmp_path


def test_later_candidate_used_when_prefix_lacks_a_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial, full = tmp_path / "partial", tmp_path / "full"
    partial.mkdir()
    full.mkdir()
    (partial / "eng.traineddata").write_bytes(b"x")
    for lang in ("eng", "fra"):
        (full / f"{lang}.traineddata").write_bytes(b"x")
    _isolate(monkeypatch, prefix=partial, known=(str(full),))
    assert _tessdata.find_tessdata(("eng", "fra")) == full


def test_missing_language_data_is_ocr_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"x")
    _isolate(monkeypatch, prefix=tmp_path)
    with pytest.raises(DataflowError) as caught:
        _tessdata.find_tessdata(("eng", "fra", "deu"))
    error = caught.value
    assert error.code is ErrorCode.OCR_UNAVAILABLE
    assert "fra, deu" in error.user_message
    assert "apt install tesseract-ocr-fra tesseract-ocr-deu" in error.user_message
    assert "TESSDATA_PREFIX" in error.user_message
    assert str(tmp_path) in (error.detail or "")


def test_no_tessdata_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    _isolate(monkeypatch, prefix=None)
    with pytest.raises(DataflowError) as caught:
        _tessdata.find_tessdata(("eng",))
    assert caught.value.code is ErrorCode.OCR_UNAVAILABLE
    assert "no tessdata folder was found" in (caught.value.detail or "")


def test_package_data_folder_is_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"x")
    _isolate(monkeypatch, prefix=None)
    monkeypatch.setattr(_tessdata, "_packaged_dir", lambda: tmp_path)
    assert _tessdata.find_tessdata(("eng",)) == tmp_path


def test_ocr_dpi_respects_the_pixel_budget() -> None:
    assert ocr_dpi(595, 842, 300, 40_000_000) == (300, False)
    dpi, downscaled = ocr_dpi(595, 842, 300, 2_000_000)
    assert downscaled
    assert (595 / 72 * dpi) * (842 / 72 * dpi) <= 2_000_000
    # hugemono.pdf: an 8400 x 8400 pt page
    assert ocr_dpi(8400, 8400, 300, 40_000_000) == (54, True)
    assert ocr_dpi(100_000, 100_000, 300, 1_000)[0] == 36  # never below the floor


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_unturn_box_inverts_the_turn(turn: int) -> None:
    from PIL import Image

    # A marker pixel block in an image; turn the image as the OCR step does and check
    # that the marker's box in the turned image maps back to where it was.
    from dataflow_desktop.pipeline._ocr_orientation import turn_image

    image = Image.new("L", (40, 20), 255)
    image.paste(0, (5, 3, 9, 7))  # box (5, 3, 9, 7)
    turned = turn_image(image, turn)
    bbox = Image.eval(turned, lambda v: 255 - v).getbbox()
    assert bbox is not None
    assert unturn_box(tuple(map(float, bbox)), turn, image.size) == (5.0, 3.0, 9.0, 7.0)  # type: ignore[arg-type]


def test_unturn_dir() -> None:
    assert unturn_dir(0) == [1.0, 0.0]
    assert unturn_dir(180) == [-1.0, 0.0]


def test_parse_tsv_groups_words_by_paragraph_and_line() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t200\t80\t30\t96.5\tBonjour",
        "5\t1\t1\t1\t1\t2\t190\t200\t90\t30\t91.0\tmadame",
        "5\t1\t1\t1\t2\t1\t100\t240\t50\t30\t88.0\tLigne",
        "5\t1\t2\t1\t1\t1\t100\t400\t50\t30\t-1\t ",
        "5\t1\t2\t1\t1\t2\t160\t400\t50\t30\t70.0\tFin",
    ]
    words = _parse_tsv("\n".join([header, *rows]))
    assert [(w.text, w.block, w.line) for w in words] == [
        ("Bonjour", 0, 0),
        ("madame", 0, 0),
        ("Ligne", 0, 1),
        ("Fin", 1, 2),
    ]
    assert words[0].box == (100.0, 200.0, 180.0, 230.0)
    assert words[0].confidence == pytest.approx(0.965)


def test_a_multi_page_tsv_is_split_into_pages_numbered_as_alone() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t200\t80\t30\t96.5\tUn",
        "1\t2\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",  # page 2: no word
        "1\t3\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "5\t3\t4\t1\t2\t1\t100\t200\t80\t30\t90.0\tTrois",
        "5\t3\t5\t1\t1\t1\t100\t300\t80\t30\t90.0\tquatre",
    ]
    pages = _split_pages("\n".join([header, *rows]), 3)
    assert all(page.splitlines()[0] == header for page in pages)
    words = [_parse_tsv(page) for page in pages]
    assert [[(w.text, w.block, w.line) for w in page] for page in words] == [
        [("Un", 0, 0)],
        [],
        [("Trois", 0, 0), ("quatre", 1, 1)],  # indexes start again on each page
    ]


def _words(texts: list[str], confidence: float | None = None) -> list[Word]:
    return [
        Word(t, (10.0 * i, 0.0, 10.0 * i + 8, 10.0), confidence, 0, 0) for i, t in enumerate(texts)
    ]


def test_quality_from_confidence_or_words() -> None:
    assert quality(_words(["a", "b"])) is None  # too few words to judge
    assert quality(_words(["a"] * 6, 0.9)) == (pytest.approx(0.9), 0.75)
    upright, threshold = quality(_words("Le client paiera la facture de 120,00 €".split())) or (
        0,
        0,
    )
    garbage, _ = quality(_words("ɹnoʎ ]9Ǝ0 '}sN JJ ZZ ,00 uǝ".split())) or (0, 0)
    assert upright >= threshold > garbage


def test_build_blocks_maps_back_to_the_page_and_orders_text() -> None:
    zoom = 300 / 72
    size = (int(595 * zoom), int(842 * zoom))
    words = [
        Word("Titre", (300.0, 300.0, 600.0, 360.0), 0.9, 0, 0),
        Word("Premier", (300.0, 500.0, 560.0, 540.0), 0.8, 1, 1),
        Word("paragraphe", (580.0, 500.0, 900.0, 540.0), 0.7, 1, 1),
    ]
    blocks, text = build_blocks(words, number=3, turn=0, size=size, zoom=zoom)
    assert text == "Titre\n\nPremier paragraphe"
    assert [b["id"] for b in blocks] == ["p3-b0", "p3-b1"]
    span = blocks[1]["lines"][0]["spans"][1]
    assert span["text"] == "paragraphe"
    assert span["confidence"] == 0.7
    assert span["bbox"] == pytest.approx([580 / zoom, 500 / zoom, 900 / zoom, 540 / zoom], abs=0.01)
    # Upside down: the same words land at the opposite corner, reading right to left.
    flipped, _ = build_blocks(words, number=3, turn=180, size=size, zoom=zoom)
    _x0, _y0, x1, y1 = flipped[0]["lines"][0]["spans"][0]["bbox"]
    assert x1 == pytest.approx((size[0] - 300) / zoom, abs=0.01)
    assert y1 == pytest.approx((size[1] - 300) / zoom, abs=0.01)
    assert flipped[0]["lines"][0]["dir"] == [-1.0, 0.0]


def test_apply_ocr_keeps_extraction_parts() -> None:
    page = {
        "number": 2,
        "text_source": "none",
        "text": "",
        "blocks": [],
        "tables": [1],
        "images": [2],
        "links": [],
        "raster": {"file": "pages/0002.png"},
    }
    partial = {
        "number": 2,
        "text_source": "ocr",
        "text": "Bonjour",
        "blocks": [{"id": "p2-b0"}],
        "ocr": {"engine": "mupdf"},
    }
    merged = apply_ocr(page, partial)
    assert merged["text"] == "Bonjour"
    assert merged["tables"] == [1]
    assert merged["raster"] == {"file": "pages/0002.png"}
    assert merged["ocr"] == {"engine": "mupdf"}
    with pytest.raises(ValueError, match="given for page"):
        apply_ocr({**page, "number": 3}, partial)


def test_invalid_language_setting_is_ocr_unavailable() -> None:
    from dataflow_desktop.pipeline.ocr import select_engine

    with pytest.raises(DataflowError) as caught:
        select_engine(PipelineOptions(ocr_languages="eng;fra"))
    assert caught.value.code is ErrorCode.OCR_UNAVAILABLE


@pytest.mark.parametrize("skew", [0.0, 2.5])
def test_text_axis_from_projection_profiles(skew: float) -> None:
    from PIL import Image, ImageDraw

    from dataflow_desktop.pipeline._ocr_orientation import text_axis, turn_image

    # Lines of "words" (dark bars) on an A4 page at 100 dpi, possibly askew.
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    for row in range(40):
        y = 80 + row * 24
        x = 80
        while x < 740:
            width = 20 + (x * 7 + row * 13) % 45
            draw.rectangle((x, y, min(x + width, 747), y + 12), fill=0)
            x += width + 10
    page = page.rotate(skew, fillcolor=255)
    assert text_axis(page, 100) == "horizontal"
    assert text_axis(turn_image(page, 90), 100) == "vertical"
    assert text_axis(turn_image(page, 180), 100) == "horizontal"
