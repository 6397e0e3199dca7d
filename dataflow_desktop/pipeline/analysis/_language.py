"""Offline language identification from function words and telltale letters.

Function words are 40-50 % of running text in every supported language and most are
unique to one language or shared by two, so counting them separates the languages of
a document from a couple of sentences on; letters such as ß, ñ, ã or the Dutch "ij"
break ties in short texts. Deterministic, dependency-free and fast (measured against
langdetect in benchmarks/language_id.py; docs/ANALYSIS.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from .._stopwords import STOPWORDS

__all__ = ["LANGUAGES", "UNDETERMINED", "LanguageCounter"]

LANGUAGES = tuple(sorted(STOPWORDS))
UNDETERMINED = "und"  # ISO 639-2 "undetermined"

# Business words: invoices, payslips and statements have few function words, but
# their labels are as telling ("amount due", "montant", "Betrag").
_VOCABULARY = {
    "en": """invoice due amount payment terms bill quantity price unit tax sales balance
        account statement holder opening closing transfer debit card purchase withdrawal
        pay gross deductions employee employer period customer receipt thank change cash
        quote valid until agreement signed phone street application birth subject dear
        sincerely regards attached herewith shall hereby""",
    "fr": """facture montant échéance désignation quantité prix unitaire paiement règlement
        fournisseur salaire cotisations salarié employeur période relevé compte solde
        virement prélèvement retrait titulaire libellé espèces rendu merci caisse devis
        valable jusqu accord contrat prestataire exemplaires formulaire naissance prénom
        adresse nom rue tél madame monsieur objet veuillez ci-après""",
    "de": """rechnung betrag datum summe gesamt mwst zahlung kunde preis menge konto
        gehalt lieferung bestellung angebot vertrag""",
    "es": """factura importe fecha pago cliente precio cantidad iva cuenta saldo total
        pedido presupuesto contrato""",
    "it": """fattura importo data pagamento cliente prezzo quantità iva totale conto
        saldo ordine preventivo contratto""",
    "nl": """factuur bedrag datum betaling klant prijs aantal btw rekening saldo totaal
        bestelling offerte contract""",
    "pt": """fatura valor pagamento cliente preço quantidade conta saldo total pedido
        orçamento contrato""",
}

# A word shared by k languages counts 1/k for each: "de" says little, "the" a lot.
_OWNERS: dict[str, tuple[str, ...]] = {}
for _lang in STOPWORDS:
    for _word in STOPWORDS[_lang] | frozenset(_VOCABULARY[_lang].split()):
        _OWNERS[_word] = (*_OWNERS.get(_word, ()), _lang)

# Letters (or pairs) that are frequent in one language and rare in the others.
_MARKERS: dict[str, dict[str, float]] = {
    "de": {"ß": 2.0, "ä": 1.0, "ö": 0.7, "ü": 0.7, "sch": 0.3},
    "es": {"ñ": 2.0, "¿": 2.0, "¡": 2.0, "ción": 0.7},
    "pt": {"ã": 2.0, "õ": 2.0, "ção": 1.0, "lh": 0.2, "nh": 0.3},
    "fr": {"è": 0.6, "ê": 0.6, "ç": 0.4, "œ": 2.0, "eau": 0.5, "ù": 1.0},
    "it": {"ò": 1.0, "ì": 1.0, "zione": 0.7, "gli": 0.5},
    "nl": {"ij": 0.6, "oe": 0.2, "aa": 0.4, "uu": 0.5},
    "en": {"th": 0.15, "w": 0.1},
}
# Weighted function words needed before naming a language, and the lead over the
# runner-up: below either the answer is "und" rather than a guess.
_MIN_EVIDENCE = 1.5
_MIN_LEAD = 0.3


class LanguageCounter:
    """Accumulates evidence over any amount of text; :meth:`best` names the language."""

    __slots__ = ("scores", "words")

    def __init__(self) -> None:
        self.scores: defaultdict[str, float] = defaultdict(float)
        self.words = 0

    def add(self, words: Iterable[str], text: str = "") -> None:
        """Count lower-case ``words`` (and telltale letters of ``text``, if given)."""
        for word in words:
            self.words += 1
            owners = _OWNERS.get(word)
            if owners:
                share = 1.0 / len(owners)
                for lang in owners:
                    self.scores[lang] += share
        if text:
            lower = text.lower()
            for lang, markers in _MARKERS.items():
                # Square root: letters tip a balance, they must not outvote words.
                hits = sum(weight * lower.count(mark) for mark, weight in markers.items())
                if hits:
                    self.scores[lang] += math.sqrt(hits) * 0.5

    def merge(self, other: LanguageCounter) -> None:
        """Add ``other``'s evidence to this one."""
        for lang, score in other.scores.items():
            self.scores[lang] += score
        self.words += other.words

    def best(self) -> tuple[str, float]:
        """The most likely language and a 0-1 confidence, or ``("und", 0.0)``.

        Confidence is the winner's share of the evidence, scaled down when the
        evidence is thin (under ~10 weighted function words).
        """
        if not self.scores:
            return UNDETERMINED, 0.0
        ranked = sorted(self.scores.items(), key=lambda item: (-item[1], item[0]))
        top_lang, top = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if top < _MIN_EVIDENCE or top - runner_up < _MIN_LEAD:
            return UNDETERMINED, 0.0
        total = sum(score for _, score in ranked)
        share = top / total
        amount = min(1.0, top / 10.0)
        return top_lang, round(share * (0.5 + 0.5 * amount), 3)
