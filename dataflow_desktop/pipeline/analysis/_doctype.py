"""Document type from French and English cue phrases, titles and found fields.

Each type has weighted cue phrases ("facture", "bill to", "entre les soussignés",
"salaire brut", "relevé de compte"…). A page adds weight x min(hits, 3) per cue, the
first page counting 1.5x, pages after the third 0.5x and pages after the 30th nothing
(a document says what it is at the start; every cue runs over every page, which was
a third of the analysis time of a long book); a cue in a heading or in the first rows
of page 1 (the title) counts three times more. Found fields add evidence at the end
(totals → invoice, receipt or quote; many dated amounts with an IBAN → bank statement;
AcroForm fields → form).
Below a minimum score the type is ``other``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DOC_TYPES", "TypeScorer"]

DOC_TYPES = (
    "invoice", "receipt", "quote", "contract", "payslip", "bank_statement", "report",
    "scientific_paper", "form", "letter", "administrative", "other",
)  # fmt: skip

_CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "invoice": (
        (r"factures?", 3),
        (r"invoices?", 3),
        (r"total\s+t\.?t\.?c", 1.5),
        (r"total\s+h\.?t", 1),
        (r"date\s+d'[ée]ch[ée]ance|due\s+date|payment\s+due", 1.2),
        (r"factur[ée]e?\s+[àa]|bill(?:ed)?\s+to", 1.5),
        (r"conditions\s+de\s+(?:paiement|r[èe]glement)|payment\s+terms", 1),
        (r"amount\s+due|balance\s+due", 1),
        (r"p[ée]nalit[ée]s\s+de\s+retard|late\s+payment", 1),
        (r"\btva\b|\bvat\b", 0.4),
    ),
    "receipt": (
        (r"re[çc]us?\b", 3),
        (r"tickets?\s+de\s+caisse", 3),
        (r"receipts?", 3),
        (r"caisse|cashier|\btill\s+\d", 1.2),
        (
            r"merci\s+de\s+votre\s+(?:visite|achat)|"
            r"thank\s+you\s+for\s+(?:your\s+)?(?:purchase|shopping|visit)",
            2,
        ),
        (r"esp[èe]ces|cash\b", 1),
        (r"rendu|change\s+due", 1),
        (r"\bpay[ée]\b|\bpaid\b", 0.5),
        (r"carte\s+bancaire|\bcb\b|card\s+payment|visa|mastercard", 0.6),
    ),
    "quote": (
        (r"devis", 3),
        (r"quotation|quote\b", 3),
        (r"estimate\b", 2),
        (r"bon\s+pour\s+accord", 2.5),
        (r"valable|validit[ée]|valid\s+(?:until|for)|validity", 1.5),
        (r"proposition\s+commerciale|offre\s+de\s+prix", 2),
        (r"accept(?:ance|ed)\s+(?:of|by)|signature\s+du\s+client|customer\s+signature", 1),
    ),
    "contract": (
        (r"contrats?\b", 3),
        (r"contracts?\b|agreement", 2.5),
        (r"entre\s+les\s+soussign[ée]s", 3),
        (r"between\s+the\s+undersigned|by\s+and\s+between", 2.5),
        (r"\barticle\s+\d+", 1),
        (r"les\s+parties|the\s+parties", 1.5),
        (r"ci-apr[èe]s\s+d[ée]nomm[ée]|hereinafter", 2),
        (r"r[ée]siliation|termination", 1),
        (r"fait\s+[àa]\s+\w+|in\s+witness\s+whereof", 1.2),
        (r"clauses?", 0.8),
    ),
    "payslip": (
        (r"bulletin\s+de\s+(?:paie|salaire)|fiche\s+de\s+paie", 4),
        (r"pay\s*slip|pay\s+stub|earnings\s+statement", 4),
        (r"salaire\s+(?:de\s+base|brut)|gross\s+(?:pay|salary|earnings)", 2),
        (r"cotisations|urssaf", 1.5),
        (r"net\s+[àa]\s+payer|net\s+pay", 1.5),
        (r"p[ée]riode\s+de\s+paie|pay\s+period", 2),
        (r"cong[ée]s\s+pay[ée]s|national\s+insurance|income\s+tax|s[ée]curit[ée]\s+sociale", 1),
        (r"salari[ée]e?|employee", 0.8),
        (r"employeur|employer", 0.8),
    ),
    "bank_statement": (
        (r"relev[ée]\s+de\s+comptes?", 4),
        (r"(?:bank|account)\s+statement", 4),
        (r"(?:ancien|nouveau)\s+solde|solde\s+(?:initial|final|cr[ée]diteur|d[ée]biteur)", 2),
        (r"(?:opening|closing)\s+balance", 2),
        (r"\bsolde\b|\bbalance\b", 1),
        (r"d[ée]bits?\b", 1),
        (r"cr[ée]dits?\b", 0.7),
        (r"pr[ée]l[èe]vements?|direct\s+debit|standing\s+order", 1),
        (r"virements?|transfers?", 0.5),
    ),
    "report": (
        (r"rapports?\b", 2),
        (r"\breports?\b", 2),
        (r"rapport\s+annuel|annual\s+report", 3),
        (r"table\s+des\s+mati[èe]res|table\s+of\s+contents|sommaire", 2),
        (r"executive\s+summary|synth[èe]se", 1.5),
        (r"introduction", 1),
        (r"conclusions?", 1),
        (r"recommand?ations?", 1),
        (r"chapitre|chapter", 1),
        (r"compte\s+rendu|proc[èe]s[- ]verbal|minutes\s+of", 2.5),
        (r"ordre\s+du\s+jour|agenda", 1),
    ),
    "scientific_paper": (
        (r"\babstract\b", 3),
        (r"\bet\s+al\.", 2),
        (r"\bdoi\b|arxiv", 2),
        (r"\breferences\b|bibliograph", 1.5),
        (r"keywords|mots[- ]cl[ée]s", 1.5),
        (r"proceedings|journal\s+of|conference", 2),
        (r"related\s+work|[ée]tat\s+de\s+l'art", 2),
        (r"experiment(?:s|al\s+results)|exp[ée]riences", 1.5),
        (r"theorem|lemma|th[ée]or[èe]me|lemme", 1.5),
        (r"universit[yé]|laboratoire|laboratory", 1),
        (r"\bacm\b|\bieee\b", 1.5),
    ),
    "form": (
        (r"formulaire", 3),
        (r"\bforms?\b", 1),
        (r"cerfa", 3),
        (r"cochez|check\s+(?:the\s+)?box|tick", 2),
        (r"[àa]\s+remplir|fill\s+(?:in|out)", 2),
        (r"cadre\s+r[ée]serv[ée]|for\s+official\s+use", 2),
        (r"signature\s+du\s+demandeur|signature\s+of\s+(?:the\s+)?applicant", 2),
        (r"[☐□■☑]", 1),
        (r"date\s+de\s+naissance|date\s+of\s+birth|pr[ée]nom|first\s+name", 1),
        (r"_{5,}|\.{8,}", 1),
    ),
    "letter": (
        (r"madame,?\s+monsieur", 3),
        (r"\bdear\b", 2.5),
        (r"veuillez\s+agr[ée]er|je\s+vous\s+prie\s+d'agr[ée]er", 3),
        (r"sincerely|yours\s+(?:faithfully|truly)|kind\s+regards|best\s+regards", 2.5),
        (r"cordialement|salutations\s+distingu[ée]es", 2),
        (r"\bobjet\s*:|\bsubject\s*:|\bre\s*:", 2),
        (r"nous\s+vous\s+informons|je\s+vous\s+[ée]cris|we\s+are\s+writing|i\s+am\s+writing", 1.5),
        (r"lettre|letter\b", 1),
        (r"[àa]\s+l'attention\s+de|for\s+the\s+attention\s+of", 1),
    ),
    "administrative": (
        (r"attestation", 2.5),
        (r"certificat|certificate\s+of", 2),
        (r"pr[ée]fecture|mairie|minist[èe]re|ministry", 2.5),
        (r"r[ée]publique\s+fran[çc]aise", 3),
        (r"avis\s+d'imp[ôo]t|imp[ôo]ts?\s+sur\s+le\s+revenu|tax\s+return", 3),
        (r"[ée]tat\s+civil|num[ée]ro\s+fiscal|n[°o]\s+allocataire", 2),
        (r"d[ée]cret|arr[êe]t[ée]\s+du", 2),
        (r"p[ôo]le\s+emploi|france\s+travail|caisse\s+d'allocations|\bcaf\b|\bcpam\b|\birs\b", 2),
        (r"government|department\s+of|administration", 1),
    ),
}

# Matched against lower-cased text: three times faster than re.IGNORECASE over a long
# document (every cue runs over every page), and only the counts matter here.
_COMPILED = {kind: tuple((re.compile(p), w) for p, w in cues) for kind, cues in _CUES.items()}
_MIN_SCORE = 3.0
_TITLE_BOOST = 3.0
_CAP = 3
_LAST_PAGE = 30
_MIN_CUES = 2


class TypeScorer:
    """Accumulates type evidence page by page; :meth:`result` ranks the types."""

    def __init__(self) -> None:
        self.scores: defaultdict[str, float] = defaultdict(float)
        # Distinct cues seen per type: one word alone ("quote them", "bank") is not a type.
        self.cues: defaultdict[str, set[int]] = defaultdict(set)
        self.field_evidence: set[str] = set()

    def add_page(self, number: int, text: str, title: str) -> None:
        """Score one page's ``text``; ``title`` is its headings (and first rows on page 1)."""
        if number > _LAST_PAGE:
            return
        weight = 1.5 if number == 1 else (1.0 if number <= 3 else 0.5)
        text, title = text.lower(), title.lower()
        for kind, cues in _COMPILED.items():
            score = 0.0
            for index, (pattern, cue_weight) in enumerate(cues):
                hits = len(pattern.findall(text))
                if hits:
                    score += cue_weight * min(hits, _CAP)
                    self.cues[kind].add(index)
                if title and pattern.search(title):
                    score += cue_weight * _TITLE_BOOST
                    self.cues[kind].add(-1)  # a title cue counts as corroboration
                    self.cues[kind].add(index)
            if score:
                self.scores[kind] += score * weight

    def add_fields(self, fields: Mapping[str, Any], form_fields: Sequence[Any]) -> None:
        """Evidence from the fields found in the whole document."""
        totals = fields.get("totals") or {}
        if totals:
            for kind, bonus in (("invoice", 2.0), ("quote", 1.0), ("receipt", 1.0)):
                self.scores[kind] += bonus
                self.cues[kind].add(-2)
        if (
            fields.get("ibans")
            and len(fields.get("amounts", ())) >= 6
            and len(fields.get("dates", ())) >= 4
        ):
            self.scores["bank_statement"] += 3.0
            self.cues["bank_statement"].add(-2)
        if form_fields:
            self.scores["form"] += 4.0 + min(len(form_fields), 40) * 0.2
            self.field_evidence.add("form")

    def _corroborated(self, kind: str) -> bool:
        return len(self.cues[kind]) >= _MIN_CUES or kind in self.field_evidence

    def result(self) -> tuple[str, float, dict[str, float]]:
        """The type, its 0-1 confidence, and the normalised scores of the top three."""
        ranked = sorted(
            ((k, s) for k, s in self.scores.items() if s > 0 and self._corroborated(k)),
            key=lambda item: (-item[1], item[0]),
        )
        if not ranked or ranked[0][1] < _MIN_SCORE:
            return "other", 0.0, {}
        top3 = ranked[:3]
        total = sum(s for _, s in top3)
        shares = {k: round(s / total, 3) for k, s in top3}
        kind, top = ranked[0]
        # A clear winner with plenty of evidence gets near 1; a near tie about 0.5.
        confidence = shares[kind] * min(1.0, top / (4 * _MIN_SCORE))
        return kind, round(min(1.0, confidence * 1.5), 3), shares
