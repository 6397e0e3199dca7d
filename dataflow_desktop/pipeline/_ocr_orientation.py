"""Orientation of scanned pages for OCR: which way the text runs, and the turn that rights it.

A page's text axis comes from projection profiles (pure image work, no OCR); when a
reading looks poor, or the axis says the page lies sideways, the turn is found by
Tesseract's orientation detection or by quick low-resolution trial readings, judged by
:func:`quality`. Thresholds and measurements: docs/OCR.md.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
from collections.abc import Sequence

from PIL import Image

from ._ocr_engines import OcrEngine, TesseractCliEngine, Word
from ._stopwords import ALL_STOPWORDS

__all__ = ["quality", "straighten", "text_axis", "turn_image"]

log = logging.getLogger(__name__)

# Below this mean word confidence (tesseract) a horizontal page may be upside down:
# upright scans measured 0.88-0.96, upside-down ones 0.43-0.51 (docs/OCR.md).
_UPRIGHT_CONFIDENCE = 0.75
# The same for the MuPDF engine, which has no confidences: the share of words that are
# function words, numbers or plain words. Upright pages measured 0.74-0.97, turned
# ones 0.31-0.66: it only decides whether to look; the comparison decides the turn.
_UPRIGHT_LEXICAL = 0.55
_MIN_WORDS = 5  # fewer words than this say nothing about orientation
_IMPROVEMENT = 0.10  # a turn must beat the other candidate by this much to be believed
_PROBE_DPI = 100  # orientation trials: enough to read, 1/9th of the pixels of 300 dpi
_OSD_DPI = 150  # Tesseract OSD mistook 180 for 0 at 100 dpi; reliable at 150
_OSD_MIN_CONFIDENCE = 2.0
_AXIS_DPI = 75  # text lines ~15 px apart: the profiles still resolve them
_INK_LEVEL = 160
_STRIPS = 4
_FAIR_SHARE = 0.25  # of the inkiest strip's ink, for a strip to count
_CLEAR_AXIS = 1.25  # one profile must oscillate this much more to decide alone
_PUNCT = "\"'“”‘’«»()[]{}.,;:!?*"
_NUMBER = re.compile(r"[-+]?\d[\d\s.,/:%€$£-]*")
_PLAIN_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]{2,}", re.UNICODE)


def quality(words: Sequence[Word]) -> tuple[float, float] | None:
    """How plausible recognised words are, and the level upright pages reach.

    Mean word confidence when the engine gives confidences; otherwise the share of
    words that are function words, numbers or plain (lower- or title-case) words,
    which falls from ~0.9 to ~0.3 when a page is read upside down or sideways.

    Returns:
        ``(score, upright_threshold)``, or None for fewer than five words.
    """
    if len(words) < _MIN_WORDS:
        return None
    confidences = [w.confidence for w in words if w.confidence is not None]
    if confidences:
        return statistics.fmean(confidences), _UPRIGHT_CONFIDENCE
    good = 0
    for word in words:
        core = word.text.strip(_PUNCT)
        lower = core.lower()
        if (
            lower in ALL_STOPWORDS
            or _NUMBER.fullmatch(core)
            or (_PLAIN_WORD.fullmatch(core) and (core[1:] == lower[1:]))
        ):
            good += 1
    return good / len(words), _UPRIGHT_LEXICAL


def turn_image(image: Image.Image, turn: int) -> Image.Image:
    """``image`` turned ``turn`` degrees clockwise (0, 90, 180 or 270)."""
    if turn == 0:
        return image
    # PIL's transpose constants turn counter-clockwise.
    ccw = {
        90: Image.Transpose.ROTATE_270,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_90,
    }
    return image.transpose(ccw[turn])


def straighten(
    engine: OcrEngine, image: Image.Image, dpi: int, axis: str, words: list[Word] | None
) -> tuple[int, list[Word]]:
    """Recognise ``image``, turning it first if it was scanned sideways or upside down.

    A page whose text lines run vertically (``axis``, from :func:`text_axis`) is
    turned before any full reading. One that runs horizontally is read as it is (or
    was already: ``words``), and only when the reading looks poor (low confidence, few
    real words) is it tried upside down.

    Returns:
        The clockwise turn applied (0 when upright) and the words of the turned image.
    """
    first: tuple[float, float] | None = None
    if axis != "vertical":
        if words is None:
            words = engine.recognize(image, dpi)
        first = quality(words)
        if _mostly_tall(words):
            # Tesseract reads text turned one way by itself: good words, but in
            # vertical boxes; straighten so boxes and reading order are right.
            axis = "vertical"
        elif first is None or first[0] >= first[1]:
            return 0, words
    turn = _detect_turn(engine, image, dpi, axis)
    if turn == 0:
        return 0, words if words is not None else engine.recognize(image, dpi)
    turned = engine.recognize(turn_image(image, turn), dpi)
    second = quality(turned)
    # Sideways (by the profiles or the word boxes): the turned reading is the right one
    # even when Tesseract's unturned reading scored as well.
    better = second is not None and first is not None and second[0] > first[0]
    if axis == "vertical" or words is None or first is None or better:
        log.info("page straightened by %d degrees", turn)
        return turn, turned
    return 0, words


def _mostly_tall(words: Sequence[Word]) -> bool:
    """Whether most words of three letters or more are taller than wide (sideways text)."""
    long = [w.box for w in words if len(w.text) >= 3]
    tall = sum(1 for x0, y0, x1, y1 in long if y1 - y0 > x1 - x0)
    return len(long) >= _MIN_WORDS and tall > 0.6 * len(long)


def _reduced(image: Image.Image, dpi: int, target_dpi: int) -> tuple[Image.Image, int]:
    factor = max(1, round(dpi / target_dpi))
    return (image.reduce(factor) if factor > 1 else image), max(1, dpi // factor)


def text_axis(image: Image.Image, dpi: int) -> str:
    """``"horizontal"`` (lines run left-right), ``"vertical"`` (sideways) or ``"unsure"``.

    Projection profiles: across text lines, ink alternates with the white between lines,
    so the profile along that axis oscillates much more than the other. Profiles are
    taken over four strips and averaged, so that a page scanned a degree or two askew
    (whose lines drift by more than their spacing across the full width) still shows
    its lines. Pure image work, no OCR (measured in docs/OCR.md).
    """
    small, _ = _reduced(image, dpi, _AXIS_DPI)
    ink = small.point(lambda v: 255 if v < _INK_LEVEL else 0)
    width, height = ink.size
    rows: list[tuple[int, int]] = []  # per strip: (sum of |differences|, ink)
    cols: list[tuple[int, int]] = []
    for k in range(_STRIPS):
        column = ink.crop((width * k // _STRIPS, 0, width * (k + 1) // _STRIPS, height))
        band = ink.crop((0, height * k // _STRIPS, width, height * (k + 1) // _STRIPS))
        rows.append(_profile(column.resize((1, height), Image.Resampling.BOX).tobytes()))
        cols.append(_profile(band.resize((width, 1), Image.Resampling.BOX).tobytes()))
    across, along = _oscillation(rows), _oscillation(cols)
    if across >= _CLEAR_AXIS * along:
        return "horizontal"
    if along >= _CLEAR_AXIS * across:
        return "vertical"
    return "unsure"  # skewed, noisy or mostly graphics: let the reading decide


def _profile(values: bytes) -> tuple[int, int]:
    return sum(abs(a - b) for a, b in itertools.pairwise(values)), sum(values)


def _oscillation(strips: list[tuple[int, int]]) -> float:
    """Mean relative oscillation of the strips holding a fair share of the ink.

    A nearly empty strip (a margin with a few specks of scanner noise) has a spiky
    profile out of all proportion to its content: it is left out.
    """
    most = max(ink for _, ink in strips)
    kept = [diff / ink for diff, ink in strips if ink > 0 and ink >= _FAIR_SHARE * most]
    return sum(kept) / len(kept) if kept else 0.0


def _probe(engine: OcrEngine, small: Image.Image, dpi: int, turn: int) -> float:
    result = quality(engine.recognize(turn_image(small, turn), dpi))
    return -1.0 if result is None else result[0]


def _detect_turn(engine: OcrEngine, image: Image.Image, dpi: int, axis: str) -> int:
    """The clockwise turn that makes ``image`` upright (0 when unsure).

    Tesseract's orientation detection when the program and ``osd.traineddata`` are
    there; otherwise quick 100 dpi readings of the turns the text axis allows, the best
    one winning only if it beats the others clearly.
    """
    if isinstance(engine, TesseractCliEngine) and engine.has_osd:
        small, small_dpi = _reduced(image, dpi, _OSD_DPI)
        found = engine.detect_orientation(small, small_dpi)
        # On a page known to be sideways, "0" is not an answer (Tesseract's own
        # handling of vertical lines can make it say so): fall back to the trials.
        sideways_zero = found is not None and axis == "vertical" and found[0] in (0, 180)
        if found is not None and found[1] >= _OSD_MIN_CONFIDENCE and not sideways_zero:
            return found[0]
    small, small_dpi = _reduced(image, dpi, _PROBE_DPI)
    turns = {"horizontal": (180,), "vertical": (90, 270)}.get(axis, (180, 90, 270))
    # A sideways page is not upright: 0 competes only when the axis is in doubt.
    candidates = turns if axis == "vertical" else (0, *turns)
    scores = {turn: _probe(engine, small, small_dpi, turn) for turn in candidates}
    best = max(turns, key=lambda turn: scores[turn])
    others = [score for turn, score in scores.items() if turn != best]
    return best if scores[best] > max(others) + _IMPROVEMENT else 0
