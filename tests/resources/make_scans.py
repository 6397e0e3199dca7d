"""Make image-only ("scanned") PDFs of known French and English text, for OCR tests.

Text is typeset with PyMuPDF, rendered to a grayscale image, optionally degraded
(skew, blur, speckle noise) and turned, then placed alone on a PDF page: the page has
no text layer, like a scan. Seeded, so a run is repeatable.

Usage (writes the PDFs and their .txt ground truth)::

    python tests/resources/make_scans.py OUT_DIR
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pymupdf
from PIL import Image, ImageFilter, ImageOps

__all__ = ["SAMPLES", "make_scan_pdf", "normalise"]

FR = """Compte rendu de la réunion du comité de pilotage

La séance est ouverte à neuf heures trente. Le président rappelle l'ordre du jour :
l'état d'avancement des travaux, le budget de l'exercice et les questions diverses.
Les travaux de rénovation du bâtiment principal ont pris trois semaines de retard à
cause des intempéries ; la livraison est désormais prévue pour la fin du mois d'août.
Le trésorier présente les comptes : les dépenses s'élèvent à 184 250,75 € pour un
budget voté de 190 000,00 €. Il souligne que la hausse du coût des matériaux a été
compensée par des économies sur l'éclairage et le chauffage.
Après un échange nourri, le comité approuve à l'unanimité la proposition de reporter
l'achat des nouveaux équipements à l'année prochaine. Où en sommes-nous des
subventions régionales ? Mme Lefèvre précise que le dossier a été déposé le 12 mars
et qu'une réponse est attendue avant l'été. Contact : secretariat@exemple.fr,
tél. 04 72 10 20 30. La prochaine réunion aura lieu le jeudi 5 octobre à Lyon."""

EN = """Minutes of the quarterly steering committee meeting

The meeting was called to order at half past nine. The chair reviewed the agenda:
progress of the works, the budget for the financial year and any other business.
Renovation of the main building is three weeks behind schedule because of the heavy
rain; handover is now expected at the end of August. The treasurer presented the
accounts: spending amounts to $184,250.75 against an approved budget of $190,000.00.
He noted that the rising cost of materials had been offset by savings on lighting and
heating. After a lively discussion, the committee unanimously approved the proposal
to postpone the purchase of new equipment until next year. What is the status of the
regional grants? Ms Parker explained that the application was filed on March 12 and
that an answer is expected before the summer. Contact: office@example.com, phone
+1 (555) 010-2030. The next meeting will take place on Thursday, October 5 in Boston."""

SAMPLES = {"fr": FR, "en": EN}
_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def normalise(text: str) -> str:
    """Whitespace-normalised text, as compared by the accuracy measure."""
    return " ".join(text.split())


def _font() -> str | None:
    return next((f for f in _FONTS if Path(f).is_file()), None)


def _typeset(text: str, dpi: int, fontsize: float) -> tuple[Image.Image, str]:
    """Render ``text`` on an A4 page; returns the image and the text actually drawn."""
    font = _font()
    if font is None:
        # Base-14 fonts have no euro sign: keep the ground truth honest.
        text = text.replace("€", "EUR")
    with pymupdf.open() as doc:
        page = doc.new_page()
        name = "helv"
        if font is not None:
            page.insert_font(fontname="body", fontfile=font)
            name = "body"
        paragraphs = text.split("\n\n")
        body = paragraphs[0] + "\n\n" + " ".join(" ".join(paragraphs[1:]).split("\n"))
        left = page.insert_textbox(
            pymupdf.Rect(56, 64, 540, 800), body, fontsize=fontsize, fontname=name
        )
        if left < 0:
            raise ValueError("sample text does not fit on one page")
        pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    return image, text


def _degrade(image: Image.Image, *, skew: float, noise: float, seed: int) -> Image.Image:
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if noise:
        image = image.filter(ImageFilter.GaussianBlur(0.7))
        rng = random.Random(seed)
        pixels = image.load()
        assert pixels is not None
        width, height = image.size
        for _ in range(int(width * height * noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
    return image


def make_scan_pdf(
    path: Path,
    text: str,
    *,
    dpi: int = 300,
    turn: int = 0,
    skew: float = 0.0,
    noise: float = 0.0,
    fontsize: float = 11.0,
    seed: int = 0,
    crop: bool = False,
) -> str:
    """Write an image-only PDF showing ``text``; return the text drawn (ground truth).

    Args:
        path: the PDF to write.
        text: the text; its first paragraph is a title line.
        dpi: scan resolution.
        turn: counter-clockwise turn of the scan in degrees (0, 90, 180, 270): a page
            fed sideways or upside down.
        skew: small counter-clockwise tilt in degrees (a page placed askew).
        noise: share of pixels flipped to black or white (speckle), plus a slight blur.
        fontsize: body size in points.
        seed: seeds the noise.
        crop: cut the page down to the text plus a margin (quicker to recognise).
    """
    image, drawn = _typeset(text, dpi, fontsize)
    if crop:
        box = ImageOps.invert(image).getbbox()
        if box is not None:
            margin = dpi // 3
            image = image.crop((0, 0, image.width, min(image.height, box[3] + margin)))
    image = _degrade(image, skew=skew, noise=noise, seed=seed)
    if turn:
        image = image.rotate(turn, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    with pymupdf.open() as doc:
        page = doc.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
        page.insert_image(page.rect, stream=buffer.getvalue())
        doc.save(path, garbage=3, deflate=True)
    return drawn


def main(argv: list[str]) -> int:
    """Write the standard set of synthetic scans into ``argv[0]``."""
    out = Path(argv[0] if argv else "synthetic-scans")
    out.mkdir(parents=True, exist_ok=True)
    variants = {
        "clean": {},
        "noisy": {"skew": 1.5, "noise": 0.01},
        "upside-down": {"turn": 180},
        "sideways": {"turn": 90},
    }
    for lang, text in SAMPLES.items():
        for name, kwargs in variants.items():
            truth = make_scan_pdf(out / f"scan-{lang}-{name}.pdf", text, **kwargs)  # type: ignore[arg-type]
            (out / f"scan-{lang}-{name}.txt").write_text(truth, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
