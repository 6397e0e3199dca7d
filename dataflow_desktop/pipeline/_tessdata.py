"""Find Tesseract language data (``*.traineddata``) for the OCR step.

Both OCR engines need only the language files: MuPDF has Tesseract built in, and the
``tesseract`` program is told where they are with ``--tessdata-dir``. Places are tried
in this order, and the first holding every requested language wins:

1. ``TESSDATA_PREFIX`` (the variable Tesseract itself honours);
2. the folder ``tesseract --list-langs`` reports, when the program is installed;
3. the usual install folders of Debian/Ubuntu, Fedora, Homebrew and the Windows
   installer;
4. ``dataflow_desktop/resources/tessdata`` shipped as package data (the frozen app).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

from ..errors import DataflowError, ErrorCode

__all__ = ["find_tessdata", "parse_languages", "tesseract_binary"]

log = logging.getLogger(__name__)

# Tesseract language names: "eng", "fra", "chi_sim", "script/Latin". Anything else is
# refused before it reaches a command line or a file name.
_LANGUAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,31}(?:/[A-Za-z][A-Za-z0-9_]{1,31})?")
_LIST_LANGS_DIR = re.compile(r'"([^"]+)"')
_KNOWN_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/opt/local/share/tessdata",
    "C:/Program Files/Tesseract-OCR/tessdata",
)


def parse_languages(spec: str) -> tuple[str, ...]:
    """Split an ``"eng+fra"`` language spec into validated names.

    Args:
        spec: Tesseract language names joined by ``+``.

    Returns:
        The names, in order, without duplicates.

    Raises:
        ValueError: the spec is empty or a name is not a valid Tesseract language name.
    """
    names: list[str] = []
    for raw in spec.split("+"):
        name = raw.strip()
        if not _LANGUAGE.fullmatch(name):
            raise ValueError(f"not a Tesseract language name: {name!r} (in {spec!r})")
        if name not in names:
            names.append(name)
    return tuple(names)


def tesseract_binary() -> str | None:
    """The ``tesseract`` program on PATH, or None."""
    return shutil.which("tesseract")


def _reported_dir(binary: str) -> Path | None:
    """Ask ``tesseract --list-langs`` where its data lives (first line names the folder)."""
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("tesseract --list-langs failed: %s", exc)
        return None
    # Tesseract 4 printed the list on stderr, 5 prints it on stdout.
    match = _LIST_LANGS_DIR.search(done.stdout + "\n" + done.stderr)
    return Path(match.group(1)) if match else None


def _packaged_dir() -> Path | None:
    """``dataflow_desktop/resources/tessdata`` when it is a real folder on disk."""
    folder = resources.files("dataflow_desktop").joinpath("resources", "tessdata")
    # Only a plain folder can be handed to Tesseract; a zipped package cannot.
    return folder if isinstance(folder, Path) else None


def _candidates() -> Iterator[tuple[str, Path]]:
    """Yield ``(where it came from, folder)`` in the documented search order."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        yield "TESSDATA_PREFIX", Path(prefix)
    binary = tesseract_binary()
    if binary:
        reported = _reported_dir(binary)
        if reported is not None:
            yield "tesseract --list-langs", reported
    for known in _KNOWN_DIRS:
        yield "known folder", Path(known)
    packaged = _packaged_dir()
    if packaged is not None:
        yield "package data", packaged


def _has(folder: Path, language: str) -> bool:
    return (folder / f"{language}.traineddata").is_file()


def _install_hint(missing: Sequence[str]) -> str:
    packages = " ".join("tesseract-ocr-" + name.lower().replace("_", "-") for name in missing)
    return (
        f"Install them (Debian/Ubuntu: apt install {packages}), or put "
        f"{', '.join(name + '.traineddata' for name in missing)} in a folder and set "
        "TESSDATA_PREFIX to it."
    )


def find_tessdata(languages: Sequence[str]) -> Path:
    """Return the first folder holding ``<lang>.traineddata`` for every language.

    Args:
        languages: Tesseract language names, e.g. ``("eng", "fra")``.

    Returns:
        The tessdata folder.

    Raises:
        DataflowError: ``OCR_UNAVAILABLE``, naming the missing languages and how to
            add them, when no folder has them all.
    """
    if not languages:
        raise ValueError("no OCR language given")
    best: tuple[int, Path] | None = None
    looked: list[str] = []
    seen: set[Path] = set()
    for origin, folder in _candidates():
        key = folder.resolve() if folder.exists() else folder
        if key in seen:
            continue
        seen.add(key)
        present = sum(_has(folder, lang) for lang in languages)
        if present == len(languages):
            log.debug("tessdata for %s in %s (%s)", "+".join(languages), folder, origin)
            return folder
        if folder.is_dir():
            looked.append(f"{folder} ({origin})")
            if best is None or present > best[0]:
                best = (present, folder)
    missing = [lang for lang in languages if best is None or not _has(best[1], lang)] or list(
        languages
    )
    where = "; ".join(looked) if looked else "no tessdata folder was found"
    raise DataflowError(
        f"Text recognition (OCR) language data is missing for: {', '.join(missing)}. "
        + _install_hint(missing),
        code=ErrorCode.OCR_UNAVAILABLE,
        detail=f"looked in: {where}",
    )
