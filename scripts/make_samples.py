"""Generate the small sample PDFs shipped in ``dataflow_desktop/resources/samples``.

Run: ``python scripts/make_samples.py``. Output is deterministic (fixed metadata dates)
so re-running it does not churn the repository.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

OUT = Path(__file__).resolve().parents[1] / "dataflow_desktop" / "resources" / "samples"
FIXED_DATE = "D:20260101090000Z"
# Base-14 Helvetica cannot show "€" or "—"; DejaVu (Debian fonts-dejavu-core) can.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"helv": FONT_DIR / "DejaVuSans.ttf", "hebo": FONT_DIR / "DejaVuSans-Bold.ttf"}


def _text(
    page: pymupdf.Page, pos: tuple[float, float], text: str, size: float, bold: bool = False
) -> None:
    name = "hebo" if bold else "helv"
    page.insert_font(fontname=f"dv{name}", fontfile=str(FONTS[name]))
    page.insert_text(pos, text, fontsize=size, fontname=f"dv{name}")


ROWS = [
    ("Désignation", "Qté", "Prix unitaire", "Total HT"),
    ("Audit de conformité", "2", "450,00 €", "900,00 €"),
    ("Extraction de données PDF", "10", "35,00 €", "350,00 €"),
    ("Formation équipe (journée)", "1", "800,00 €", "800,00 €"),
]


def _table(page: pymupdf.Page, top: float) -> float:
    xs = [50, 270, 330, 440, 545]
    row_h = 22
    for r, row in enumerate(ROWS):
        y = top + r * row_h
        for c, cell in enumerate(row):
            _text(page, (xs[c] + 4, y + 15), cell, 10)
    bottom = top + len(ROWS) * row_h
    for r in range(len(ROWS) + 1):
        page.draw_line((xs[0], top + r * row_h), (xs[-1], top + r * row_h), width=0.6)
    for x in xs:
        page.draw_line((x, top), (x, bottom), width=0.6)
    return bottom


def make_invoice(path: Path) -> None:
    """A two-page French invoice with a ruled table, totals and conditions."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    _text(page, (50, 70), "FACTURE N° FA-2026-0042", 20, bold=True)
    lines = [
        "Atelier Numérique SARL — 12 rue des Lilas, 69003 Lyon",
        "SIRET 732 829 320 00074 — TVA FR44 732829320",
        "Date de facturation : 15/01/2026 — Échéance : 14/02/2026",
        "Client : Coopérative Données & Cie, 4 place Bellecour, 69002 Lyon",
    ]
    for i, text in enumerate(lines):
        _text(page, (50, 105 + i * 16), text, 11)
    bottom = _table(page, 190)
    totals = ["Total HT : 2 050,00 €", "TVA 20 % : 410,00 €", "Total TTC : 2 460,00 €"]
    for i, text in enumerate(totals):
        _text(page, (360, bottom + 30 + i * 16), text, 11, bold=True)
    _text(page, (50, 800), "Page 1 / 2", 8)
    page2 = doc.new_page(width=595, height=842)
    _text(page2, (50, 70), "Conditions de paiement", 16, bold=True)
    body = [
        "Paiement par virement à réception de facture.",
        "IBAN : FR76 3000 6000 0112 3456 7890 189 — BIC : AGRIFRPP",
        "En cas de retard, une pénalité de 3 fois le taux d'intérêt légal s'applique,",
        "ainsi qu'une indemnité forfaitaire de 40 € pour frais de recouvrement.",
        "Contact : compta@atelier-numerique.example — +33 4 78 00 00 00",
    ]
    for i, text in enumerate(body):
        _text(page2, (50, 100 + i * 16), text, 11)
    _text(page2, (50, 800), "Page 2 / 2", 8)
    doc.set_metadata(
        {
            "title": "Facture FA-2026-0042",
            "author": "Atelier Numérique SARL",
            "subject": "Facture",
            "creator": "DataFlow sample generator",
            "producer": "PyMuPDF",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
        }
    )
    doc.subset_fonts()  # embed only the glyphs used: ~20 KB instead of ~800 KB
    doc.save(path, garbage=4, deflate=True, no_new_id=True)


def main() -> None:
    """Write every sample."""
    OUT.mkdir(parents=True, exist_ok=True)
    make_invoice(OUT / "facture-exemple.pdf")


if __name__ == "__main__":
    main()
