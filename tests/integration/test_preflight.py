"""Pre-flight on the real corpus: content sniffing, error codes, passwords, inspect()."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from dataflow_desktop.errors import ErrorCode, InputError, PasswordError
from dataflow_desktop.pipeline.options import Limits
from dataflow_desktop.pipeline.preflight import (
    inspect,
    open_document,
    parse_pdf_date,
    saslprep,
    sniff,
    text_is_usable,
)

pytestmark = pytest.mark.corpus

# (file, user password, another password that opens it, e.g. the owner password)
ENCRYPTED = [
    ("encrypted-pypdf-r6-aes256-user-password.pdf", "asdfzxcv", None),
    (
        "encrypted-sample-files-libreoffice-writer-password.pdf",
        "openpassword",
        "permissionpassword",
    ),
    ("encrypted-tables-camelot-health-protected.pdf", "userpass", "ownerpass"),
]


def _code(excinfo: pytest.ExceptionInfo[InputError]) -> ErrorCode:
    return excinfo.value.code


# -- sniff: by content, not by name ------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        sniff(tmp_path / "absent.pdf", Limits())
    assert _code(excinfo) is ErrorCode.FILE_NOT_FOUND


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as excinfo:
        open_document(empty)
    assert _code(excinfo) is ErrorCode.EMPTY_FILE


def test_text_file_named_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "invoice.pdf"
    fake.write_text("Dear customer,\nthis is not a PDF.\n" * 20, encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        open_document(fake)
    assert _code(excinfo) is ErrorCode.NOT_A_PDF


def test_too_large(corpus_dir: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        sniff(corpus_dir / "text-en-pypdf-crazyones.pdf", Limits(max_bytes=1000))
    assert _code(excinfo) is ErrorCode.FILE_TOO_LARGE


def test_pdf_with_another_extension_is_accepted(corpus_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "scan.txt"
    renamed.write_bytes((corpus_dir / "text-en-pypdf-crazyones.pdf").read_bytes())
    doc, warnings = open_document(renamed)
    with doc:
        assert doc.page_count == 1
    assert warnings == []


def test_banner_before_header_passes_and_is_repaired(corpus_dir: Path) -> None:
    path = corpus_dir / "text-pdfplumber-junk-before-header-rotated-chars.pdf"
    assert not path.read_bytes().startswith(b"%PDF-")
    assert sniff(path, Limits()) == path.stat().st_size
    info = inspect(path)
    assert info["pages"] == 8
    assert info["repaired"] is True
    assert [w["code"] for w in info["warnings"]] == ["repaired"]


# -- broken files ---------------------------------------------------------------------------


def test_invalid_pdf_is_corrupt(corpus_dir: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        open_document(corpus_dir / "broken-ocrmypdf-invalid.pdf")
    assert _code(excinfo) is ErrorCode.CORRUPT_PDF


def test_a_page_tree_mupdf_cannot_walk_is_corrupt_not_a_crash(tmp_path: Path) -> None:
    # Found by the fuzz test: one byte of /Kids flipped. MuPDF opens the file and counts
    # the pages, then fails to load page 1 ("malformed page tree").
    sample = Path(__file__).resolve().parents[2] / "dataflow_desktop/resources/samples"
    data = (sample / "facture-exemple.pdf").read_bytes()
    path = tmp_path / "kids.pdf"
    path.write_bytes(data.replace(b"/Kids[", b"/\x01ids[", 1))
    with pytest.raises(InputError) as excinfo:
        inspect(path)
    assert _code(excinfo) is ErrorCode.CORRUPT_PDF
    assert "page 1" in str(excinfo.value)


def test_truncated_pdf_is_repaired_with_warning(corpus_dir: Path) -> None:
    doc, warnings = open_document(corpus_dir / "broken-pypdf-truncated-zero-padded.pdf")
    with doc:
        assert "Hello World" in doc[0].get_text()
    assert warnings == [
        {"code": "repaired", "message": warnings[0]["message"], "page": None},
    ]
    assert "repaired" in warnings[0]["message"]


def test_unreadable_metadata_has_no_pages(corpus_dir: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        inspect(corpus_dir / "broken-sample-files-unreadable-metadata.pdf")
    assert _code(excinfo) is ErrorCode.NO_PAGES


def test_too_many_pages(corpus_dir: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        open_document(
            corpus_dir / "manypages-pymupdf-mupdf-explored.pdf", limits=Limits(max_pages=100)
        )
    assert _code(excinfo) is ErrorCode.TOO_MANY_PAGES


# -- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "password", "other"), ENCRYPTED)
def test_encrypted_files(corpus_dir: Path, name: str, password: str, other: str | None) -> None:
    path = corpus_dir / name
    with pytest.raises(PasswordError) as excinfo:
        open_document(path)
    assert _code(excinfo) is ErrorCode.PASSWORD_REQUIRED
    with pytest.raises(PasswordError) as excinfo:
        open_document(path, "not-the-password")
    assert _code(excinfo) is ErrorCode.WRONG_PASSWORD
    for good in filter(None, (password, other)):
        doc, _ = open_document(path, good)
        with doc:
            assert doc.page_count == 1
            assert doc[0].get_text().strip()
    info = inspect(path, password=password)
    assert info["encrypted"] is True
    assert info["text_layer"] == [True]


def test_owner_only_file_opens_without_password(corpus_dir: Path) -> None:
    info = inspect(corpus_dir / "encrypted-owner-only-pypdf-r4-rc4.pdf")
    assert info["encrypted"] is True
    assert info["pages"] == 1


def test_saslprep_password_for_aes256(tmp_path: Path) -> None:
    """A writer that applies SASLprep stored the prepared form; the user types the raw one."""
    typed = "pass\u00a0word\u00ad\u2168"  # NBSP, soft hyphen, ROMAN NUMERAL NINE
    stored = saslprep(typed)
    assert stored == "pass wordIX"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    path = tmp_path / "aes256.pdf"
    # MuPDF hashes the bytes it is given, so this is what a SASLprep writer produces.
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=stored, owner_pw="o")
    for password in (typed, stored):
        opened, _ = open_document(path, password)
        with opened:
            assert "secret" in opened[0].get_text()


def test_saslprep_rules() -> None:
    assert saslprep("I\u00adX") == "IX"  # mapped to nothing
    assert saslprep("a\u2003b") == "a b"  # non-ASCII space to SPACE
    assert saslprep("\u00aa") == "a"  # NFKC
    assert saslprep("a\u0007b") is None  # control character is prohibited
    assert saslprep("\u0627\u0031") is None  # RTL string must end with an RTL character
    assert saslprep("\u0627\u0031\u0628") == "\u0627\u0031\u0628"
    assert saslprep("e\u0301") == unicodedata.normalize("NFKC", "e\u0301")


# -- inspect() ---------------------------------------------------------------------------------


def test_page_counts_match_manifest(corpus_dir: Path) -> None:
    with (corpus_dir / "MANIFEST.tsv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    passwords = {name: pw for name, pw, _ in ENCRYPTED}
    checked = 0
    for row in rows:
        name, pages = row["file"], row["pages"]
        if not name.endswith(".pdf") or not pages or pages == "0":
            continue
        if name.startswith("manypages"):
            continue  # 285 pages: covered by the TOC test below
        assert inspect(corpus_dir / name, password=passwords.get(name))["pages"] == int(pages), name
        checked += 1
    assert checked >= 25


def test_document_section(corpus_dir: Path) -> None:
    info = inspect(corpus_dir / "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf")
    assert list(info) == [
        "pages",
        "pdf_version",
        "encrypted",
        "repaired",
        "metadata",
        "toc",
        "form_fields",
        "embedded_files",
        "text_layer",
        "warnings",
    ]
    assert info["pdf_version"] == "1.5"
    assert info["encrypted"] is False
    meta = info["metadata"]
    assert meta["title"].startswith("Comité de démolition - Procès-verbal")
    assert meta["creation_date"] == "2023-06-21T09:30:27-04:00"
    assert meta["modification_date"] == "2023-06-21T10:09:55-04:00"
    assert info["text_layer"] == [True, True]
    assert info["warnings"] == []


def test_toc(corpus_dir: Path) -> None:
    info = inspect(corpus_dir / "manypages-pymupdf-mupdf-explored.pdf")
    assert info["pages"] == 285
    assert info["toc"][0] == {"level": 1, "title": "Preface", "page": 2}
    assert {entry["level"] for entry in info["toc"]} >= {1, 2}


def test_form_fields(corpus_dir: Path) -> None:
    info = inspect(corpus_dir / "form-sample-files-libreoffice-form.pdf")
    fields = info["form_fields"]
    assert len(fields) == 9
    assert {f["type"] for f in fields} == {"text", "radio", "combobox", "checkbox"}
    assert {"name": "First Name", "type": "text", "value": "Alice", "page": 1} in fields
    assert all(f["page"] == 1 for f in fields)


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("scanned-ocrmypdf-huckfinn-c02-22.pdf", [False]),
        ("scanned-pdfminer-175-service-bulletin.pdf", [False, False]),
        ("large-image-pdfjs-large-jpeg-downscale.pdf", [False]),
        ("scanned-ocr-layer-pypdf-siege-of-vicksburg.pdf", [True] * 6),
        ("rotated-sample-files-habibi-rotated.pdf", [True] * 4),
    ],
)
def test_text_layer(corpus_dir: Path, name: str, layer: list[bool]) -> None:
    assert inspect(corpus_dir / name)["text_layer"] == layer


def test_glyph_soup_is_not_text() -> None:
    assert text_is_usable("Invoice 2024-001, total 120.00 EUR")
    assert not text_is_usable("  \n ")
    assert not text_is_usable("\ufffd" * 40 + "ab")
    assert not text_is_usable("\ue000\ue001\ue002 \ue003\ue004 x")
    assert not text_is_usable("\x01\x02\x03\x04\x05\x06")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20240101100000+01'00'", "2024-01-01T10:00:00+01:00"),
        ("D:20131210161436+05'30'", "2013-12-10T16:14:36+05:30"),
        ("D:20240101100000Z", "2024-01-01T10:00:00+00:00"),
        ("D:20240101100000Z00'00'", "2024-01-01T10:00:00+00:00"),
        ("D:20080418-05'00'", "2008-04-18T00:00:00-05:00"),
        ("D:2024", "2024-01-01T00:00:00"),
        ("20160220040559", "2016-02-20T04:05:59"),
        ("D:20241301000000", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_pdf_date(raw: str | None, iso: str | None) -> None:
    assert parse_pdf_date(raw) == iso
