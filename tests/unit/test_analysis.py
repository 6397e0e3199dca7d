"""The offline analysis: dates, amounts, identifiers, language, type, streaming, schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from dataflow_desktop.errors import Cancelled
from dataflow_desktop.events import CancelFlag, StepProgress
from dataflow_desktop.pipeline.analysis import analyze
from dataflow_desktop.pipeline.analysis._dates import find_dates
from dataflow_desktop.pipeline.analysis._doctype import TypeScorer
from dataflow_desktop.pipeline.analysis._identifiers import find_identifiers
from dataflow_desktop.pipeline.analysis._language import LanguageCounter
from dataflow_desktop.pipeline.analysis._money import find_amounts, parse_number, total_labels
from dataflow_desktop.pipeline.analysis._text import PageView, tokens
from dataflow_desktop.pipeline.schemas import load_schema

DOCUMENT: dict[str, Any] = {"pages": 1, "form_fields": []}


def _span(text: str, x0: float, y0: float, size: float = 10.0, **extra: Any) -> dict[str, Any]:
    width = len(text) * size * 0.5
    return {
        "text": text,
        "bbox": [x0, y0, x0 + width, y0 + size * 1.2],
        "font": "Helvetica",
        "size": size,
        "bold": False,
        "italic": False,
        "color": "#000000",
        **extra,
    }


def _page(number: int, rows: list[list[tuple[float, str]]], *, ocr: bool = False) -> dict[str, Any]:
    """A PAGE dict with one block per (x, text) cell, rows 15 pt apart."""
    blocks = []
    texts = []
    for r, cells in enumerate(rows):
        y = 60.0 + 15 * r
        for x, text in cells:
            if ocr:  # OCR spans are words
                spans, cursor = [], x
                for word in text.split():
                    spans.append(_span(word, cursor, y, confidence=0.95))
                    cursor += len(word) * 5 + 4
            else:
                spans = [_span(text, x, y)]
            box = [spans[0]["bbox"][0], y, spans[-1]["bbox"][2], y + 12]
            lines = [{"bbox": box, "dir": [1.0, 0.0], "spans": spans}]
            blocks.append(
                {
                    "id": f"p{number}-b{len(blocks)}",
                    "kind": "text",
                    "bbox": box,
                    "column": 0,
                    "role": "paragraph",
                    "lines": lines,
                }
            )
            texts.append(text)
    return {
        "number": number,
        "width": 595.0,
        "height": 842.0,
        "rotation": 0,
        "text_source": "ocr" if ocr else "native",
        "text": "\n\n".join(texts),
        "blocks": blocks,
        "tables": [],
        "images": [],
        "links": [],
    }


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Date : 12/03/2024", "2024-03-12"),
        ("le 1er mars 2024", "2024-03-01"),
        ("Lyon, le lundi 4 mars 2024", "2024-03-04"),
        ("échéance 12.03.24", "2024-03-12"),
        ("due 2024-03-12.", "2024-03-12"),
        ("March 12, 2024", "2024-03-12"),
        ("Mar 12th 2024", "2024-03-12"),
        ("12th March 2024", "2024-03-12"),
        ("12-Mar-2024", "2024-03-12"),
        ("le 3 févr. 2025", "2025-02-03"),
        ("31/12/1999", "1999-12-31"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_dates_impossible_and_ambiguous() -> None:
    assert list(find_dates("31/02/2024")) == []
    assert [d.iso for d in find_dates("03/04/2024")] == ["2024-04-03"]
    assert [d.iso for d in find_dates("03/04/2024", month_first=True)] == ["2024-03-04"]
    assert [d.iso for d in find_dates("04/30/2024")] == ["2024-04-30"]  # a part over 12 decides
    assert list(find_dates("version 1.2.3.4 and 04.72.10.20.30")) == []


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("2 460,00 €", 2460.0, "EUR"),
        ("2\u202f460,00\u00a0€", 2460.0, "EUR"),
        ("2.460,00 EUR", 2460.0, "EUR"),
        ("$1,234.56", 1234.56, "USD"),
        ("£ 99.90", 99.9, "GBP"),
        ("CHF 1'250.50", 1250.5, "CHF"),
        ("-45,10 €", -45.1, "EUR"),
        ("40 euros", 40.0, "EUR"),
    ],
)
def test_amounts(text: str, value: float, currency: str) -> None:
    [amount] = find_amounts(text)
    assert (amount.value, amount.currency) == (value, currency)


def test_bare_numbers_need_a_total_label() -> None:
    assert list(find_amounts("Qté 12   450,00")) == []
    [amount] = find_amounts("Total TTC\t2 460,00", labelled=True)
    assert (amount.value, amount.currency) == (2460.0, None)
    assert list(find_amounts("TVA 20 %", labelled=True)) == []
    assert parse_number("1,234,567.8") == 1234567.8


def test_total_labels_prefer_the_specific_one() -> None:
    keys = [key for key, _, _ in total_labels("Total HT 100,00 € TVA 20,00 € Total TTC 120,00 €")]
    assert keys == ["subtotal", "vat", "total"]
    assert total_labels("Net à payer")[0][0] == "amount_due"
    assert total_labels("Subtotal")[0][0] == "subtotal"


def test_identifiers_need_labels_and_checksums() -> None:
    found = {
        (m.field, m.value)
        for m in find_identifiers("SIRET : 732 829 320 00074 — TVA FR44 732829320")
    }
    assert found == {("sirets", "73282932000074"), ("vat_numbers", "FR44732829320")}
    # The same digits without a label, or with a bad check digit, are not reported.
    assert not {m.field for m in find_identifiers("Ref 732 829 320 00074")} & {"sirets", "sirens"}
    assert not [m for m in find_identifiers("SIRET 732 829 320 00075") if m.field == "sirets"]
    fields = {
        m.field: m.value
        for m in find_identifiers("IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP")
    }
    assert fields["ibans"] == "FR7630006000011234567890189"
    assert fields["bics"] == "AGRIFRPP"
    assert not [
        m for m in find_identifiers("IBAN FR76 3000 6000 0112 3456 7890 188") if m.field == "ibans"
    ]


def test_phones_and_emails() -> None:
    found = {
        (m.field, m.value)
        for m in find_identifiers("Tél. : 04 72 10 20 30  Email : Contact@Example.fr")
    }
    assert found == {("phones", "+33472102030"), ("emails", "contact@example.fr")}
    found = {
        m.value
        for m in find_identifiers("+33 (0)4 72 10 20 30 / +44 20 7946 0958")
        if m.field == "phones"
    }
    assert found == {"+33472102030", "+442079460958"}
    found = {m.value for m in find_identifiers("Phone: (617) 555-0199") if m.field == "phones"}
    assert found == {"+16175550199"}


def test_references() -> None:
    found = {
        (m.kind, m.value)
        for m in find_identifiers("FACTURE N° FA-2026-0042")
        if m.field == "references"
    }
    assert found == {("invoice_number", "FA-2026-0042")}
    found = {
        (m.kind, m.value)
        for m in find_identifiers("Invoice No. INV-2024-0157")
        if m.field == "references"
    }
    assert found == {("invoice_number", "INV-2024-0157")}
    assert not [m for m in find_identifiers("Facture du 12/03/2024") if m.field == "references"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "fr",
            "Le client s'engage à payer la facture dans les trente jours qui suivent la livraison.",
        ),
        ("en", "The customer agrees to pay the invoice within thirty days of the delivery date."),
        (
            "de",
            "Der Kunde verpflichtet sich, die Rechnung innerhalb von dreißig Tagen zu bezahlen.",
        ),
        (
            "es",
            "El cliente se compromete a pagar la factura en los treinta días siguientes a la entrega.",
        ),
        (
            "it",
            "Il cliente si impegna a pagare la fattura entro trenta giorni dalla consegna della merce.",
        ),
        (
            "nl",
            "De klant verbindt zich ertoe de factuur binnen dertig dagen na de levering te betalen.",
        ),
        ("pt", "O cliente compromete-se a pagar a fatura no prazo de trinta dias após a entrega."),
    ],
)
def test_language(lang: str, text: str) -> None:
    counter = LanguageCounter()
    counter.add(tokens(text), text)
    assert counter.best()[0] == lang


def test_language_undetermined_without_evidence() -> None:
    counter = LanguageCounter()
    counter.add(tokens("12345 ABC-99 XYZ"), "12345 ABC-99 XYZ")
    assert counter.best() == ("und", 0.0)


def test_rows_join_label_and_value_columns_and_bbox_is_cut_to_the_match() -> None:
    page = _page(1, [[(56, "Total TTC"), (400, "2 460,00 €")], [(56, "Le client paiera.")]])
    view = PageView(page)
    assert view.rows[0].text == "Total TTC\t2 460,00 €"
    analysis = analyze(DOCUMENT, [page])
    total = analysis["fields"]["totals"]["total"]
    assert total["value"] == 2460.0
    assert total["bbox"][0] == pytest.approx(400.0)


def test_bbox_of_a_value_inside_a_long_native_span() -> None:
    page = _page(1, [[(56, "Contact : compta@atelier.example pour toute question")]])
    [email] = analyze(DOCUMENT, [page])["fields"]["emails"]
    line = page["blocks"][0]["lines"][0]["bbox"]
    assert line[0] < email["bbox"][0] < email["bbox"][2] < line[2]


def test_ocr_word_spans_are_joined_with_spaces() -> None:
    page = _page(1, [[(56, "IBAN : FR76 3000 6000 0112 3456 7890 189")]], ocr=True)
    [iban] = analyze(DOCUMENT, [page])["fields"]["ibans"]
    assert iban["value"] == "FR7630006000011234567890189"
    assert iban["text"] == "FR76 3000 6000 0112 3456 7890 189"


def _invoice_pages() -> list[dict[str, Any]]:
    first = _page(
        1,
        [
            [(56, "Atelier Numérique SARL")],
            [(56, "12 rue des Lilas")],
            [(56, "69003 Lyon")],
            [(56, "SIRET : 732 829 320 00074")],
            [(56, "FACTURE N° FA-2026-0042")],
            [(56, "Date de facture : 15/01/2026"), (330, "Facturé à :")],
            [(56, "Date d'échéance : 14/02/2026"), (330, "Coopérative Données")],
            [(56, "Total HT"), (400, "2 050,00 €")],
            [(56, "TVA 20 %"), (400, "410,00 €")],
            [(56, "Total TTC"), (400, "2 460,00 €")],
        ],
    )
    second = _page(2, [[(56, "Paiement par virement. Merci de votre confiance et à bientôt.")]])
    return [first, second]


def test_analyze_an_invoice() -> None:
    analysis = analyze({"pages": 2, "form_fields": []}, _invoice_pages())
    assert analysis["doc_type"] == "invoice"
    assert analysis["language"] == "fr"
    fields = analysis["fields"]
    assert {k: v["value"] for k, v in fields["totals"].items()} == {
        "subtotal": 2050.0,
        "vat": 410.0,
        "total": 2460.0,
    }
    assert {(d["value"], d["label"]) for d in fields["dates"]} == {
        ("2026-01-15", "issue"),
        ("2026-02-14", "due"),
    }
    assert fields["parties"]["issuer"]["name"] == "Atelier Numérique SARL"
    assert fields["parties"]["recipient"]["name"] == "Coopérative Données"
    assert fields["addresses"][0]["value"] == "12 rue des Lilas, 69003 Lyon"
    assert fields["sirets"][0]["value"] == "73282932000074"
    assert all(
        item["source"] == "offline"
        for name in ("dates", "amounts", "sirets")
        for item in fields[name]
    )
    assert [p["page"] for p in analysis["page_languages"]] == [1, 2]


def test_analysis_matches_its_schema() -> None:
    analysis = analyze({"pages": 2, "form_fields": []}, _invoice_pages())
    jsonschema.Draft202012Validator(load_schema("analysis.schema.json")).validate(analysis)


def test_pages_are_read_once_in_a_stream_with_progress() -> None:
    consumed: list[int] = []

    def stream() -> Iterator[dict[str, Any]]:
        for page in _invoice_pages():
            consumed.append(page["number"])
            yield page

    events: list[StepProgress] = []
    analyze({"pages": 2}, stream(), progress=events.append)
    assert consumed == [1, 2]
    assert [(e.step, e.done, e.total) for e in events] == [("analysis", 1, 2), ("analysis", 2, 2)]


def test_cancel() -> None:
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        analyze(DOCUMENT, _invoice_pages(), cancel=flag)


def test_empty_document() -> None:
    analysis = analyze({"pages": 0}, [])
    assert analysis["doc_type"] == "other"
    assert analysis["language"] == "und"
    assert analysis["keywords"] == []
    assert analysis["summary"] == ""
    jsonschema.Draft202012Validator(load_schema("analysis.schema.json")).validate(analysis)


def test_form_fields_make_a_form() -> None:
    fields = [{"name": f"f{i}", "type": "text", "value": "", "page": 1} for i in range(6)]
    page = _page(1, [[(56, "Nom :")], [(56, "Prénom :")], [(56, "Date de naissance :")]])
    assert analyze({"pages": 1, "form_fields": fields}, [page])["doc_type"] == "form"


def test_tables_summary_and_keywords() -> None:
    page = _page(
        1,
        [[(56, "Le rapport annuel présente les résultats financiers de la coopérative agricole.")]],
    )
    page["tables"] = [
        {
            "id": "p1-t1",
            "bbox": [0, 0, 1, 1],
            "rows": 3,
            "cols": 2,
            "header": ["Année", "Chiffre"],
            "cells": [],
            "csv": "tables/p0001-t1.csv",
        }
    ]
    analysis = analyze(DOCUMENT, [page])
    assert analysis["tables"] == {
        "count": 1,
        "items": [{"page": 1, "id": "p1-t1", "rows": 3, "cols": 2, "header": ["Année", "Chiffre"]}],
    }
    assert "coopérative" in analysis["keywords"]
    assert analysis["summary"].startswith("Le rapport annuel")


def test_type_cues_after_page_30_do_not_count() -> None:
    """A document says what it is at its start; the cue scan stops after page 30."""
    early, late = TypeScorer(), TypeScorer()
    invoice = "Facture n° 12. Total TTC 120,00 EUR. Date d'échéance : 1er mars. Facturé à : X"
    early.add_page(30, invoice, "")
    late.add_page(31, invoice, "")
    assert early.result()[0] == "invoice"
    assert late.result()[0] == "other"


def test_rows_without_digits_skip_numeric_finders() -> None:
    """Only e-mails and BICs can be written without a digit."""
    row = "Contact : compta@exemple.fr, BIC BNPAFRPP, référence ABC"
    assert {m.field for m in find_identifiers(row)} == {"emails", "bics"}
    assert list(find_dates("le premier mars deux mille vingt")) == []
