"""Generate a labelled set of business documents for the analysis step.

Invoices, receipts, quotes, contracts, payslips, letters, bank statements and forms,
in French and English, as one-page PDFs typeset with PyMuPDF, each with the truth the
analysis should find: type, language, dates (ISO), totals, references, emails,
phones (E.164), IBANs, BICs, SIRENs, SIRETs, VAT numbers, postal codes, issuer and
recipient. Names, dates, amounts and layouts are random but seeded; IBANs, SIRENs,
SIRETs and French VAT numbers are generated with correct check digits.

Usage (writes ``<type>-<lang>-<n>.pdf`` and ``labels.json``)::

    python tests/resources/make_labelled_set.py OUT_DIR [--per-kind 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

__all__ = ["KINDS", "Doc", "generate"]

KINDS = ("invoice", "receipt", "quote", "contract", "payslip", "letter", "bank_statement", "form")
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

_FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_FR_CITIES = [
    ("69003", "Lyon"),
    ("75008", "Paris"),
    ("13001", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("59000", "Lille"),
    ("06000", "Nice"),
    ("35000", "Rennes"),
]
_US_CITIES = [
    ("Boston", "MA", "02110"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Seattle", "WA", "98101"),
    ("Chicago", "IL", "60601"),
    ("Portland", "OR", "97201"),
]
_FR_STREETS = [
    "rue des Lilas",
    "avenue Jean Jaurès",
    "boulevard Voltaire",
    "place Bellecour",
    "chemin des Vignes",
    "allée des Tilleuls",
    "quai Saint-Antoine",
    "rue de la République",
]
_US_STREETS = [
    "Main Street",
    "Oak Avenue",
    "Maple Road",
    "Harbor Boulevard",
    "Elm Drive",
    "Park Lane",
]
_FR_COMPANIES = [
    "Atelier Martin",
    "Boulangerie Dupont",
    "Garage Lefèvre",
    "Imprimerie Moreau",
    "Cabinet Girard",
    "Menuiserie Roux",
    "Librairie Fournier",
    "Transports Bonnet",
]
_FR_FORMS = ["SARL", "SAS", "SA", "EURL"]
_EN_COMPANIES = [
    "Northwind Traders",
    "Bluebird Supplies",
    "Harbor Analytics",
    "Cedar & Stone",
    "Summit Logistics",
    "Pinecrest Media",
    "Redwood Consulting",
    "Lakeside Print",
]
_EN_FORMS = ["Inc.", "LLC", "Ltd", "Corp."]
_FR_PEOPLE = [
    "Claire Dubois",
    "Julien Mercier",
    "Sophie Laurent",
    "Nicolas Petit",
    "Camille Lambert",
]
_EN_PEOPLE = ["Emily Carter", "James Walker", "Olivia Bennett", "Daniel Hughes", "Grace Mitchell"]
_FR_ITEMS = [
    "Audit de conformité",
    "Maintenance annuelle",
    "Formation équipe",
    "Licence logiciel",
    "Développement sur mesure",
    "Conseil stratégique",
    "Impression flyers",
    "Livraison",
]
_EN_ITEMS = [
    "Compliance audit",
    "Annual maintenance",
    "Team training",
    "Software licence",
    "Custom development",
    "Strategy consulting",
    "Flyer printing",
    "Delivery",
]


@dataclass
class Doc:
    """One generated document and its truth."""

    name: str
    kind: str
    lang: str
    truth: dict[str, Any] = field(default_factory=dict)


# --- identifiers with correct check digits ---------------------------------------


def _luhn_digit(body: str) -> str:
    for digit in "0123456789":
        candidate = body + digit
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
            for i, d in enumerate(int(c) for c in reversed(candidate))
        )
        if total % 10 == 0:
            return digit
    raise AssertionError("unreachable")


def siren(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return body + _luhn_digit(body)


def siret(rng: random.Random, base: str) -> str:
    body = base + f"{rng.randint(1, 999):04d}"
    return body + _luhn_digit(body)


def fr_vat(base: str) -> str:
    return f"FR{(12 + 3 * (int(base) % 97)) % 97:02d}{base}"


def iban(rng: random.Random, country: str) -> str:
    if country == "FR":
        bban = "".join(str(rng.randint(0, 9)) for _ in range(23))
    elif country == "DE":
        bban = "".join(str(rng.randint(0, 9)) for _ in range(18))
    else:  # GB: 4-letter bank code, 6-digit sort code, 8-digit account
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        bban += "".join(str(rng.randint(0, 9)) for _ in range(14))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def bic(rng: random.Random, country: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    code = (
        "".join(rng.choice(letters) for _ in range(4))
        + country
        + rng.choice(["PP", "2X", "PX", "MM"])
    )
    return code + (rng.choice(["", "XXX"]) if rng.random() < 0.5 else "")


def grouped(value: str, size: int = 4) -> str:
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


# --- formatting ----------------------------------------------------------------------


def money(value: float, lang: str, currency: str) -> str:
    whole, cents = f"{value:,.2f}".split(".")
    if lang == "fr":
        return (
            f"{whole.replace(',', ' ')},{cents} €"
            if currency == "EUR"
            else f"{whole.replace(',', ' ')},{cents} {currency}"
        )
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}[currency]
    return f"{symbol}{whole}.{cents}"


def date_text(day: dt.date, lang: str, style: int, us: bool) -> str:
    if lang == "fr":
        styles = [
            day.strftime("%d/%m/%Y"),
            f"{'1er' if day.day == 1 else day.day} {_FR_MONTHS[day.month - 1]} {day.year}",
            day.strftime("%d.%m.%Y"),
            day.isoformat(),
        ]
    else:
        styles = [
            f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}",
            day.strftime("%m/%d/%Y") if us else day.strftime("%d/%m/%Y"),
            f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}",
            f"{_EN_MONTHS[day.month - 1][:3]} {day.day}, {day.year}",
        ]
    return styles[style % len(styles)]


def phone(rng: random.Random, lang: str) -> tuple[str, str]:
    if lang == "fr":
        digits = [str(rng.randint(1, 5))] + [f"{rng.randint(0, 99):02d}" for _ in range(4)]
        e164 = "+33" + "".join(digits)
        style = rng.randint(0, 2)
        if style == 0:
            return "0" + digits[0] + " " + " ".join(digits[1:]), e164
        if style == 1:
            return "+33 " + digits[0] + " " + " ".join(digits[1:]), e164
        return "0" + digits[0] + "." + ".".join(digits[1:]), e164
    area, mid, last = rng.randint(201, 989), rng.randint(200, 999), rng.randint(1000, 9999)
    return f"+1 ({area}) {mid}-{last}", f"+1{area}{mid}{last}"


# --- the page --------------------------------------------------------------------------


class Canvas:
    """Places text lines on an A4 page, top to bottom."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.page = doc.new_page()
        self.regular, self.bold = "helv", "hebo"
        if Path(_FONT).is_file() and Path(_FONT_BOLD).is_file():
            self.page.insert_font(fontname="dj", fontfile=_FONT)
            self.page.insert_font(fontname="djb", fontfile=_FONT_BOLD)
            self.regular, self.bold = "dj", "djb"
        self.y = 60.0

    def text(self, x: float, y: float, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.page.insert_text(
            (x, y), text, fontsize=size, fontname=self.bold if bold else self.regular
        )

    def line(
        self, text: str, *, x: float = 56, size: float = 10, bold: bool = False, gap: float = 1.5
    ) -> None:
        self.text(x, self.y, text, size=size, bold=bold)
        self.y += size * gap

    def cells(self, values: list[str], xs: list[float], *, bold: bool = False) -> None:
        for value, x in zip(values, xs, strict=True):
            self.text(x, self.y, value, bold=bold)
        self.y += 15

    def skip(self, points: float = 12) -> None:
        self.y += points


class Builder:
    """Random but seeded content shared by the document kinds."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng, self.lang = rng, lang
        self.truth: dict[str, Any] = {
            "dates": set(), "totals": {}, "references": set(), "emails": set(), "phones": set(),
            "ibans": set(), "bics": set(), "sirens": set(), "sirets": set(), "vat_numbers": set(),
            "postal_codes": set(),
        }  # fmt: skip
        self.us = lang == "en" and rng.random() < 0.6
        self.currency = (
            "EUR" if lang == "fr" else ("USD" if self.us else rng.choice(["GBP", "EUR"]))
        )
        self.style = rng.randint(0, 3)

    def company(self) -> str:
        if self.lang == "fr":
            return f"{self.rng.choice(_FR_COMPANIES)} {self.rng.choice(_FR_FORMS)}"
        return f"{self.rng.choice(_EN_COMPANIES)} {self.rng.choice(_EN_FORMS)}"

    def person(self) -> str:
        return self.rng.choice(_FR_PEOPLE if self.lang == "fr" else _EN_PEOPLE)

    def address(self, canvas: Canvas, *, x: float = 56) -> None:
        number = self.rng.randint(1, 180)
        if self.lang == "fr" or not self.us:
            code, city = self.rng.choice(_FR_CITIES)
            canvas.line(f"{number} {self.rng.choice(_FR_STREETS)}", x=x)
            canvas.line(f"{code} {city}", x=x)
            self.truth["postal_codes"].add(code)
        else:
            city, state, zip_code = self.rng.choice(_US_CITIES)
            canvas.line(f"{number * 10} {self.rng.choice(_US_STREETS)}", x=x)
            canvas.line(f"{city}, {state} {zip_code}", x=x)
            self.truth["postal_codes"].add(zip_code)

    def date(self, start: dt.date | None = None, days: int = 0) -> tuple[dt.date, str]:
        day = (
            start + dt.timedelta(days=days)
            if start
            else dt.date(2023, 1, 1) + dt.timedelta(days=self.rng.randint(0, 1000))
        )
        self.truth["dates"].add(day.isoformat())
        return day, date_text(day, self.lang, self.style, self.us)

    def money(self, value: float) -> str:
        return money(value, self.lang, self.currency)

    def total(self, key: str, value: float) -> str:
        self.truth["totals"][key] = round(value, 2)
        return self.money(value)

    def reference(self, kind: str, prefix: str) -> str:
        value = f"{prefix}-{self.rng.randint(2023, 2025)}-{self.rng.randint(1, 9999):04d}"
        self.truth["references"].add((kind, value))
        return value

    def contact(self, canvas: Canvas, domain: str) -> None:
        shown, e164 = phone(self.rng, self.lang)
        email = f"{self.rng.choice(['contact', 'billing', 'info', 'compta'])}@{domain}"
        self.truth["phones"].add(e164)
        self.truth["emails"].add(email)
        label = "Tél. :" if self.lang == "fr" else "Phone:"
        canvas.line(
            f"{label} {shown}   Email : {email}"
            if self.lang == "fr"
            else f"{label} {shown}   Email: {email}"
        )

    def french_ids(self, canvas: Canvas, *, with_siren: bool) -> None:
        base = siren(self.rng)
        number = siret(self.rng, base)
        vat = fr_vat(base)
        self.truth["sirets"].add(number)
        self.truth["vat_numbers"].add(vat)
        canvas.line(
            f"SIRET : {base[:3]} {base[3:6]} {base[6:]} {number[9:]}   "
            f"TVA intracommunautaire : {vat}"
        )
        if with_siren:
            self.truth["sirens"].add(base)
            canvas.line(f"RCS {self.rng.choice(_FR_CITIES)[1]} {base[:3]} {base[3:6]} {base[6:]}")

    def bank(self, canvas: Canvas) -> None:
        country = "FR" if self.lang == "fr" else ("DE" if self.currency == "EUR" else "GB")
        account, code = iban(self.rng, country), bic(self.rng, country)
        self.truth["ibans"].add(account)
        self.truth["bics"].add(code)
        canvas.line(
            f"IBAN : {grouped(account)}   BIC : {code}"
            if self.lang == "fr"
            else f"IBAN: {grouped(account)}   BIC: {code}"
        )

    def items(self, canvas: Canvas, count: int) -> float:
        names = _FR_ITEMS if self.lang == "fr" else _EN_ITEMS
        head = (
            ["Désignation", "Qté", "Prix unitaire", "Montant"]
            if self.lang == "fr"
            else ["Description", "Qty", "Unit price", "Amount"]
        )
        xs = [56, 300, 360, 470]
        canvas.cells(head, xs, bold=True)
        subtotal = 0.0
        for name in self.rng.sample(names, count):
            qty = self.rng.randint(1, 12)
            price = round(self.rng.uniform(15, 1800), 2)
            subtotal += qty * price
            canvas.cells([name, str(qty), self.money(price), self.money(qty * price)], xs)
        return round(subtotal, 2)

    def totals(self, canvas: Canvas, subtotal: float, *, due: bool) -> None:
        rate = 0.2 if self.lang == "fr" else self.rng.choice([0.08, 0.2])
        tax = round(subtotal * rate, 2)
        total = round(subtotal + tax, 2)
        fr = self.lang == "fr"
        canvas.skip(6)
        canvas.cells(
            ["Total HT" if fr else "Subtotal", self.total("subtotal", subtotal)], [360, 470]
        )
        canvas.cells(
            [
                f"TVA {rate * 100:.0f} %"
                if fr
                else f"VAT {rate * 100:.0f}%"
                if rate == 0.2
                else "Sales tax",
                self.total("vat", tax),
            ],
            [360, 470],
        )
        canvas.cells(
            ["Total TTC" if fr else "Total", self.total("total", total)], [360, 470], bold=True
        )
        if due:
            canvas.cells(
                ["Net à payer" if fr else "Amount due", self.total("amount_due", total)],
                [360, 470],
                bold=True,
            )


# --- document kinds --------------------------------------------------------------------


def _header(b: Builder, c: Canvas) -> str:
    issuer = b.company()
    c.line(issuer, size=14, bold=True)
    b.address(c)
    if b.lang == "fr":
        b.french_ids(c, with_siren=b.rng.random() < 0.5)
    b.contact(c, issuer.split()[0].lower().replace("è", "e").replace("&", "") + ".example")
    c.skip()
    b.truth["issuer"] = issuer
    return issuer


def _recipient(b: Builder, c: Canvas, label_fr: str, label_en: str) -> None:
    name = b.company() if b.rng.random() < 0.6 else b.person()
    c.line(label_fr if b.lang == "fr" else label_en, x=330, bold=True)
    c.line(name, x=330)
    b.address(c, x=330)
    b.truth["recipient"] = name
    c.skip()


def invoice(b: Builder, c: Canvas) -> None:
    _header(b, c)
    fr = b.lang == "fr"
    number = b.reference("invoice_number", "F" if fr else "INV")
    c.line(f"FACTURE N° {number}" if fr else f"INVOICE No. {number}", size=16, bold=True)
    issued, shown = b.date()
    _, due = b.date(issued, 30)
    c.line(f"Date de facture : {shown}" if fr else f"Invoice date: {shown}")
    c.line(f"Date d'échéance : {due}" if fr else f"Due date: {due}")
    _recipient(b, c, "Facturé à :", "Bill to:")
    b.totals(c, b.items(c, b.rng.randint(2, 5)), due=b.rng.random() < 0.5)
    c.skip()
    b.bank(c)
    c.line(
        "Conditions de paiement : 30 jours. Pénalités de retard au taux légal."
        if fr
        else "Payment terms: 30 days. Late payments incur interest."
    )


def quote(b: Builder, c: Canvas) -> None:
    _header(b, c)
    fr = b.lang == "fr"
    number = b.reference("quote_number", "D" if fr else "Q")
    c.line(f"DEVIS N° {number}" if fr else f"QUOTATION No. {number}", size=16, bold=True)
    issued, shown = b.date()
    _, until = b.date(issued, 45)
    c.line(f"Date : {shown}" if fr else f"Date: {shown}")
    c.line(f"Devis valable jusqu'au {until}" if fr else f"This quote is valid until {until}")
    _recipient(b, c, "Client :", "Customer:")
    b.totals(c, b.items(c, b.rng.randint(2, 5)), due=False)
    c.skip()
    c.line(
        "Bon pour accord, date et signature du client :"
        if fr
        else "Accepted by the customer (signature and date):"
    )


def receipt(b: Builder, c: Canvas) -> None:
    _header(b, c)
    fr = b.lang == "fr"
    number = str(b.rng.randint(10000, 99999)) + "-" + str(b.rng.randint(10, 99))
    b.truth["references"].add(("receipt_number", number))
    c.line(f"TICKET DE CAISSE N° {number}" if fr else f"RECEIPT No. {number}", size=14, bold=True)
    _, shown = b.date()
    c.line(
        f"{shown}   {b.rng.randint(8, 19):02d}:{b.rng.randint(0, 59):02d}   Caisse 2"
        if fr
        else f"{shown}   {b.rng.randint(8, 19):02d}:{b.rng.randint(0, 59):02d}   Till 2"
    )
    c.skip()
    total = 0.0
    for name in b.rng.sample(_FR_ITEMS if fr else _EN_ITEMS, 3):
        price = round(b.rng.uniform(2, 60), 2)
        total += price
        c.cells([name, b.money(price)], [56, 470])
    total = round(total, 2)
    c.skip(6)
    c.cells(["Total TTC" if fr else "Total", b.total("total", total)], [56, 470], bold=True)
    paid = float(int(total) + 5)
    c.cells(["Espèces" if fr else "Cash", b.money(paid)], [56, 470])
    c.cells(["Rendu" if fr else "Change", b.money(round(paid - total, 2))], [56, 470])
    c.skip()
    c.line("Merci de votre visite et à bientôt !" if fr else "Thank you for shopping with us!")


def contract(b: Builder, c: Canvas) -> None:
    fr = b.lang == "fr"
    c.line("CONTRAT DE PRESTATION DE SERVICES" if fr else "SERVICE AGREEMENT", size=16, bold=True)
    c.skip()
    provider, client = b.company(), b.company()
    b.truth["issuer"] = provider
    number = b.reference("contract_number", "C" if fr else "AGR")
    c.line(f"Contrat n° {number}" if fr else f"Contract No. {number}")
    if fr:
        c.line("Entre les soussignés :")
        c.line(f"{provider}, ci-après dénommé « le Prestataire »,")
        b.address(c)
        b.french_ids(c, with_siren=True)
        c.line(f"et {client}, ci-après dénommé « le Client ».")
    else:
        c.line("This agreement is made by and between:")
        c.line(f"{provider}, hereinafter the Provider,")
        b.address(c)
        c.line(f"and {client}, hereinafter the Client.")
    c.skip()
    start, shown = b.date()
    fee = round(b.rng.uniform(800, 9000), 2)
    articles = (
        ["Article 1 - Objet : le Prestataire assure la maintenance du parc informatique du Client.",
         f"Article 2 - Durée : le présent contrat prend effet le {shown} pour douze mois.",
         f"Article 3 - Prix : la redevance mensuelle est fixée à {b.money(fee)} hors taxes.",
         "Article 4 - Résiliation : chaque partie peut résilier avec un préavis de trois mois."]
        if fr else
        ["1. Scope: the Provider shall maintain the Client's computer equipment.",
         f"2. Term: this agreement takes effect on {shown} for a period of twelve months.",
         f"3. Fees: the monthly fee is {b.money(fee)} excluding taxes.",
         "4. Termination: either party may terminate this agreement with three months' notice."]
    )  # fmt: skip
    for article in articles:
        c.line(article, size=9)
    c.skip()
    _, signed = b.date(start, -b.rng.randint(3, 20))
    city = b.rng.choice(_FR_CITIES)[1]
    c.line(
        f"Fait à {city}, le {signed}, en deux exemplaires."
        if fr
        else f"In witness whereof, signed on {signed}."
    )
    c.line(
        "Le Prestataire                      Le Client"
        if fr
        else "The Provider                      The Client"
    )


def payslip(b: Builder, c: Canvas) -> None:
    fr = b.lang == "fr"
    c.line("BULLETIN DE PAIE" if fr else "PAYSLIP", size=16, bold=True)
    employer = b.company()
    c.line(f"Employeur : {employer}" if fr else f"Employer: {employer}")
    b.truth["issuer"] = employer
    b.address(c)
    if fr:
        b.french_ids(c, with_siren=False)
    employee = b.person()
    c.line(f"Salarié : {employee}" if fr else f"Employee: {employee}")
    b.truth["recipient"] = employee
    first = dt.date(b.rng.randint(2023, 2025), b.rng.randint(1, 12), 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    _, a = b.date(first)
    _, z = b.date(last)
    c.line(f"Période de paie : du {a} au {z}" if fr else f"Pay period: {a} to {z}")
    c.skip()
    gross = round(b.rng.uniform(1800, 6000), 2)
    social = round(gross * 0.22, 2)
    net = round(gross - social, 2)
    c.cells(["Salaire de base" if fr else "Gross pay", b.money(gross)], [56, 470])
    c.cells(["Cotisations salariales" if fr else "Deductions", b.money(social)], [56, 470])
    c.cells(["Net à payer" if fr else "Net pay", b.total("amount_due", net)], [56, 470], bold=True)
    c.skip()
    b.bank(c)


def letter(b: Builder, c: Canvas) -> None:
    fr = b.lang == "fr"
    sender = b.person()
    c.line(sender, bold=True)
    b.truth["issuer"] = sender
    b.address(c)
    b.contact(c, "mail.example")
    c.skip()
    _recipient(b, c, "Destinataire :", "To:")
    _, shown = b.date()
    city = b.rng.choice(_FR_CITIES)[1]
    c.line(f"{city}, le {shown}" if fr else shown, x=330)
    c.skip()
    if fr:
        c.line("Objet : demande de rendez-vous", bold=True)
        c.line("Madame, Monsieur,")
        c.line(
            "Je vous écris afin de solliciter un rendez-vous pour discuter de notre collaboration.",
            size=9,
        )
        c.line("Je reste à votre disposition pour toute information complémentaire.", size=9)
        c.line(
            "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
            size=9,
        )
    else:
        c.line("Subject: meeting request", bold=True)
        c.line("Dear Sir or Madam,")
        c.line("I am writing to ask for a meeting to discuss our future collaboration.", size=9)
        c.line(
            "Please do not hesitate to contact me should you need any further information.", size=9
        )
        c.line("Yours sincerely,", size=9)
    c.line(sender)


def bank_statement(b: Builder, c: Canvas) -> None:
    fr = b.lang == "fr"
    bank = ("Banque " if fr else "") + b.rng.choice(
        ["Populaire du Rhône", "Atlantique", "Horizon"]
        if fr
        else ["First Harbor Bank", "Union Savings Bank", "Crestline Bank"]
    )
    c.line(bank, size=14, bold=True)
    b.truth["issuer"] = bank
    b.address(c)
    c.line("RELEVÉ DE COMPTE" if fr else "ACCOUNT STATEMENT", size=16, bold=True)
    holder = b.person()
    c.line(f"Titulaire : {holder}" if fr else f"Account holder: {holder}")
    b.truth["recipient"] = holder
    b.bank(c)
    start, a = b.date()
    _, z = b.date(start, 30)
    c.line(f"Période du {a} au {z}" if fr else f"Statement period: {a} to {z}")
    c.skip()
    balance = round(b.rng.uniform(200, 5000), 2)
    c.cells(
        ["Date", "Libellé" if fr else "Description", "Montant" if fr else "Amount"],
        [56, 150, 470],
        bold=True,
    )
    c.cells(["", "Solde initial" if fr else "Opening balance", b.money(balance)], [56, 150, 470])
    for offset in sorted(b.rng.sample(range(1, 30), 5)):
        _, when = b.date(start, offset)
        amount = round(b.rng.uniform(-400, 600), 2)
        balance = round(balance + amount, 2)
        label = b.rng.choice(
            ["Virement reçu", "Prélèvement EDF", "Carte Monoprix", "Retrait DAB"]
            if fr
            else ["Transfer in", "Direct debit", "Card purchase", "ATM withdrawal"]
        )
        sign = "-" if amount < 0 else ""
        c.cells([when, label, sign + b.money(abs(amount))], [56, 150, 470])
    c.cells(
        ["", "Nouveau solde" if fr else "Closing balance", b.money(balance)],
        [56, 150, 470],
        bold=True,
    )


def form(b: Builder, c: Canvas) -> None:
    fr = b.lang == "fr"
    c.line(
        "FORMULAIRE DE DEMANDE D'ADHÉSION" if fr else "MEMBERSHIP APPLICATION FORM",
        size=16,
        bold=True,
    )
    c.line(
        "Veuillez remplir ce formulaire en lettres capitales."
        if fr
        else "Please fill in this form in capital letters.",
        size=9,
    )
    c.skip()
    labels = (
        ["Nom :", "Prénom :", "Date de naissance :", "Adresse :"]
        if fr
        else ["Last name:", "First name:", "Date of birth:", "Address:"]
    )
    born = dt.date(b.rng.randint(1950, 2004), b.rng.randint(1, 12), b.rng.randint(1, 28))
    b.truth["dates"].add(born.isoformat())
    values = ["", "", date_text(born, b.lang, b.style, b.us), ""]
    for label, value in zip(labels, values, strict=True):
        c.text(56, c.y, label)
        c.text(200, c.y, value or "________________________")
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
        widget.field_name = label.strip(" :").replace(" ", "_").lower()
        widget.rect = pymupdf.Rect(360, c.y - 10, 540, c.y + 3)
        c.page.add_widget(widget)
        c.y += 18
    c.skip()
    c.line(
        "☐ Oui   ☐ Non   J'accepte le règlement intérieur."
        if fr
        else "☐ Yes   ☐ No   I accept the terms and conditions."
    )
    c.line("Signature du demandeur :" if fr else "Signature of applicant:")
    c.skip()
    c.line("Cadre réservé à l'administration" if fr else "For official use only", size=8)


_MAKERS: dict[str, Callable[[Builder, Canvas], None]] = {
    "invoice": invoice, "receipt": receipt, "quote": quote, "contract": contract,
    "payslip": payslip, "letter": letter, "bank_statement": bank_statement, "form": form,
}  # fmt: skip


def _jsonable(truth: dict[str, Any]) -> dict[str, Any]:
    return {
        key: sorted(map(list, value))
        if key == "references"
        else (sorted(value) if isinstance(value, set) else value)
        for key, value in truth.items()
    }


def generate(out: Path, *, per_kind: int = 5, seed: int = 1) -> list[Doc]:
    """Write ``per_kind`` documents of every kind and language into ``out``.

    Returns:
        The documents with their truth (sets for list fields); ``labels.json`` in
        ``out`` has the same, as JSON.
    """
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    docs: list[Doc] = []
    for kind in KINDS:
        for lang in ("fr", "en"):
            for n in range(per_kind):
                builder = Builder(random.Random(rng.random()), lang)
                with pymupdf.open() as pdf:
                    canvas = Canvas(pdf)
                    _MAKERS[kind](builder, canvas)
                    name = f"{kind}-{lang}-{n + 1}.pdf"
                    pdf.save(out / name)
                truth = {"type": kind, "language": lang, **builder.truth}
                docs.append(Doc(name, kind, lang, truth))
    labels = {doc.name: _jsonable(doc.truth) for doc in docs}
    (out / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return docs


def main() -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Generate the labelled analysis set.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-kind", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    docs = generate(args.out, per_kind=args.per_kind, seed=args.seed)
    print(f"{len(docs)} documents in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
