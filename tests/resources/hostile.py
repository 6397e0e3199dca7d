"""Generate a hostile corpus: damaged, malicious and oddly named PDFs (seeded, repeatable).

Kinds (``HostileFile.kind``):

* ``truncated``: a corpus file cut at 10 %, 20 % ... 90 % of its bytes;
* ``flipped``: a corpus file with random bytes overwritten;
* ``empty``: a zero-byte ``.pdf``;
* ``million-pages``: a page tree claiming 5,000,000 pages;
* ``bomb``: a content stream, Flate inside Flate, that inflates to 2 GiB from a few KB;
* ``gigapixel``: a 32768 × 32768 (1 gigapixel) grayscale image on one page;
* ``nested-array`` / ``nested-dict``: objects nested 10,000 deep;
* ``javascript`` / ``launch``: an OpenAction running JavaScript / launching a program;
* ``embedded``: embedded files whose names try path traversal;
* ``name``: a valid one-page PDF under a hostile file name (``\\``, ``..``, reserved
  Windows names, RTL override, combining marks, emoji, NFC vs NFD, very long names).

Usage::

    python tests/resources/hostile.py OUT_DIR [CORPUS_DIR] [--all-truncations]
"""

from __future__ import annotations

import random
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import pymupdf

__all__ = ["HOSTILE_NAMES", "HostileFile", "generate", "raw_pdf"]

SEED = 20260508
TRUNCATION_STEPS = tuple(range(10, 100, 10))
# Corpus files whose truncations are not worth their CI time (285 pages, OCR-heavy).
_EXPENSIVE = ("manypages-", "scanned-", "large-image-")

HOSTILE_NAMES = (
    "..\\..\\windows\\system32\\evil.pdf",  # path separators of the other OS
    "a\\b\\c.pdf",
    "...pdf",
    "..pdf",
    "CON.pdf",
    "NUL",
    "COM1.pdf",
    "LPT9.PDF",
    "aux .pdf",
    "-rf --force.pdf",  # looks like command-line options
    "trailing dot..",
    "line\nbreak.pdf",
    "tab\tand\rcarriage.pdf",
    "\u202egnp.exe.pdf",  # RTL override: shows as "fdp.exe.png"
    "e\u0301\u0301\u0301 zalgo \u0336\u0337.pdf",  # stacked combining marks
    "\U0001f4c4\U0001f525\U0001f468\u200d\U0001f469\u200d\U0001f467.pdf",  # emoji, ZWJ family
    unicodedata.normalize("NFC", "café-résumé.pdf"),
    unicodedata.normalize("NFD", "café-résumé.pdf"),  # same text, other bytes: both exist
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627.pdf",  # Hebrew + Arabic
    "\u00a0\u2009\u3000spaces.pdf",
    "\ufeffbom.pdf",
    "%s%n%x{}$(whoami).pdf",
    "x" * 240 + ".pdf",  # near the 255-byte limit of most file systems
    "\U0001f600" * 60 + ".pdf",  # 240 bytes of 4-byte UTF-8
)


@dataclass(frozen=True, slots=True)
class HostileFile:
    """One generated file: where it is and what is hostile about it."""

    path: Path
    kind: str


def raw_pdf(objects: list[bytes], *, root: int = 1, xref: bool = True) -> bytes:
    """A PDF file from numbered object bodies (object ``i + 1`` is ``objects[i]``)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def _page_pdf(content: bytes, *, resources: bytes = b"<< >>", extra: bytes = b"") -> bytes:
    """One page with ``content`` (already encoded with its own filter dictionary)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + resources + b" /Contents 4 0 R >>",
        content,
    ])  # fmt: skip


def _text_content(text: str) -> bytes:
    safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    return _stream(b"", b"BT /F1 12 Tf 72 720 Td (" + safe + b") Tj ET")


_FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def _deflate_repeated(block: bytes, count: int) -> bytes:
    """zlib of ``block * count``, without compressing (or holding) all of it.

    After a full flush deflate forgets its history, so each further block compresses
    to the same bytes: compress it once, repeat it, and write the checksum ourselves.
    """
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    finish = packer.flush()  # the final empty block, then an adler32 of two blocks only
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return first + again * (count - 1) + finish[:-4] + checksum.to_bytes(4, "big")


def million_pages() -> bytes:
    """A page tree whose /Count claims 5,000,000 pages (one real kid)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 5000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ])  # fmt: skip


def decompression_bomb(inflated: int = 2 << 30) -> bytes:
    """A content stream: Flate of Flate of ``inflated`` bytes of spaces."""
    twice = zlib.compress(_deflate_repeated(b" " * (1 << 20), inflated >> 20), 9)
    content = _stream(b"/Filter [/FlateDecode /FlateDecode]", twice)
    return _page_pdf(content)


def gigapixel_image(side: int = 32768) -> bytes:
    """A page showing one ``side`` × ``side`` 8-bit grayscale image (1 gigapixel)."""
    data = _deflate_repeated(b"\x80" * side * 32, side // 32)
    image = _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                    b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode" % (side, side),
                    data)  # fmt: skip
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"", b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
        image,
    ])  # fmt: skip


def nested(kind: str, depth: int = 10_000) -> bytes:
    """A page whose dictionary holds an array (or dict) nested ``depth`` deep."""
    opening, closing = (b"[", b"]") if kind == "array" else (b"<< /A ", b">> ")
    deep = opening * depth + closing * depth
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Deep " + deep
        + b" /Resources " + _FONT + b" /Contents 4 0 R >>",
        _text_content("nested objects"),
    ])  # fmt: skip


def javascript() -> bytes:
    """OpenAction and page-open JavaScript."""
    action = b"/OpenAction << /S /JavaScript /JS (app.alert('pwned'); this.exportDataObject({}))>>"
    return _page_pdf(_text_content("javascript inside"), resources=_FONT,
                     extra=action + b" /Names << /JavaScript << /Names [(x) << /S /JavaScript "
                     b"/JS (app.launchURL('http://example.invalid'))>>] >> >>")  # fmt: skip


def launch() -> bytes:
    """An OpenAction that launches a program."""
    action = b"/OpenAction << /S /Launch /F (/bin/sh) /Win << /F (cmd.exe) /P (/c calc) >> >>"
    return _page_pdf(_text_content("launch action"), resources=_FONT, extra=action)


def embedded() -> bytes:
    """Embedded files named to escape any folder they are extracted to."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "embedded files")
    for index, name in enumerate(("../../../../tmp/evil.sh", "/etc/passwd", "..\\..\\x.exe")):
        doc.embfile_add(f"e{index}", b"#!/bin/sh\necho pwned\n", filename=name, ufilename=name)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def named_pdf(text: str) -> bytes:
    """A valid one-page PDF whose text (and so sha256) is unique to ``text``."""
    return _page_pdf(_text_content(f"hostile name: {text!r}"), resources=_FONT)


def _flip(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*.pdf") if not p.name.startswith(_EXPENSIVE))


def generate(
    out: Path,
    corpus: Path | None = None,
    *,
    seed: int = SEED,
    truncations_per_file: int | None = 2,
    flips_per_file: int = 1,
) -> list[HostileFile]:
    """Write the hostile corpus into ``out`` (created) and list it.

    Args:
        out: the folder to write into.
        corpus: real PDFs to truncate and corrupt (expensive ones are left out).
        seed: every random choice derives from it.
        truncations_per_file: how many of the 10 %..90 % cuts of each corpus file
            (chosen at random); ``None``: all nine.
        flips_per_file: byte-flipped copies of each corpus file.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made: list[HostileFile] = []

    def write(name: str, data: bytes, kind: str, folder: Path = out) -> None:
        path = folder / name
        path.write_bytes(data)
        made.append(HostileFile(path, kind))

    write("empty.pdf", b"", "empty")
    write("million-pages.pdf", million_pages(), "million-pages")
    write("bomb.pdf", decompression_bomb(), "bomb")
    write("gigapixel.pdf", gigapixel_image(), "gigapixel")
    write("nested-array.pdf", nested("array"), "nested-array")
    write("nested-dict.pdf", nested("dict"), "nested-dict")
    write("javascript.pdf", javascript(), "javascript")
    write("launch.pdf", launch(), "launch")
    write("embedded.pdf", embedded(), "embedded")
    names = out / "names"
    names.mkdir(exist_ok=True)
    for name in HOSTILE_NAMES:
        write(name, named_pdf(name), "name", names)
    for source in _corpus_files(corpus) if corpus else []:
        data = source.read_bytes()
        steps = list(TRUNCATION_STEPS)
        if truncations_per_file is not None:
            steps = sorted(rng.sample(steps, min(truncations_per_file, len(steps))))
        for percent in steps:
            cut = data[: len(data) * percent // 100]
            write(f"{source.stem}.cut{percent:02d}.pdf", cut, "truncated")
        for index in range(flips_per_file):
            flipped = _flip(data, rng, max(1, len(data) // 2000))
            write(f"{source.stem}.flip{index}.pdf", flipped, "flipped")
    return made


def main(argv: list[str]) -> int:
    """Command-line entry: write the set and print a count per kind."""
    if not argv:
        print(__doc__)
        return 2
    corpus = Path(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else None
    every = "--all-truncations" in argv
    files = generate(Path(argv[0]), corpus, truncations_per_file=None if every else 2)
    kinds: dict[str, int] = {}
    for item in files:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    print(f"{len(files)} files: {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
