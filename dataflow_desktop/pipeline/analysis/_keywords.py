"""Keywords (TF-IDF-like) and a three-sentence extractive summary.

A word's weight is its frequency in the document times its rarity in ordinary
writing: function words are dropped, the few hundred commonest content words of
French and English business writing (:data:`BACKGROUND`, most common first) are
discounted by their rank, and any other word gets the full weight. The summary is the
three sentences with the highest mean keyword weight (six words or more), in document
order. Both work in bounded memory: the vocabulary is pruned past a size limit and
only the first sentences of the document are kept as candidates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from .._stopwords import ALL_STOPWORDS
from ._text import sentences, tokens

__all__ = ["BACKGROUND", "KeywordCounter"]


def _words(text: str) -> list[str]:
    return text.split()


# Common content words, most frequent first: English then French (interleaved ranks
# are fine: each word's rank is its position in its own list).
_BACKGROUND_EN = _words(
    """
    time year people way day man thing woman life child world school state family
    student group country problem hand part place case week company system program
    question work government number night point home water room mother area money story
    fact month lot right study book eye job word business issue side kind head house
    service friend father power hour game line end member law car city community name
    president team minute idea kid body information back parent face others level office
    door health person art war history party result change morning reason research girl
    guy moment air teacher force education new good first last long great little own
    other old big high different small large next early young important few public bad
    same able also make get go know take see come think look want give use find tell ask
    seem feel try leave call page date total please thank dear sir madam mr mrs ms inc
    ltd llc co street phone email fax address number amount price quantity description
    item unit tax fee payment order account
    """
)
_BACKGROUND_FR = _words(
    """
    temps année personne jour homme chose femme vie enfant monde école état famille
    groupe pays problème main partie place cas semaine entreprise système question
    travail gouvernement nombre nuit point maison eau pièce mère argent histoire fait
    mois droit étude livre œil emploi mot affaire côté sorte tête service ami père
    pouvoir heure jeu ligne fin membre loi voiture ville nom président équipe minute
    idée corps information niveau bureau porte santé art guerre parti résultat
    changement matin raison recherche moment professeur force éducation nouveau bon
    premier dernier long grand petit propre autre vieux haut différent jeune important
    public mauvais faire avoir être dire aller voir savoir venir falloir vouloir pouvoir
    prendre donner trouver mettre passer demander page date total merci monsieur madame
    société rue téléphone tél adresse numéro montant prix quantité désignation article
    unité taxe paiement commande compte euros
    """
)

BACKGROUND: dict[str, int] = {}
for _rank, _word in enumerate(_BACKGROUND_EN):
    BACKGROUND.setdefault(_word, _rank)
for _rank, _word in enumerate(_BACKGROUND_FR):
    BACKGROUND.setdefault(_word, _rank)

_RARE = math.log(1 + 1000 / 40)  # weight of a word not in the background list
_MAX_VOCABULARY = 20_000
_MAX_SENTENCES = 400
_SUMMARY_SENTENCES = 3
_MIN_WORDS, _MAX_WORDS = 6, 60
_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")


def idf(word: str) -> float:
    """Rarity weight: low for the commonest background words, highest for the rest."""
    rank = BACKGROUND.get(word)
    return _RARE if rank is None else math.log(1 + rank / 40) + 0.1


def _is_prose(sentence: str) -> bool:
    digits = sum(ch.isdigit() for ch in sentence)
    return sentence.rstrip().endswith((".", "!", "?", "…")) and digits <= 0.1 * len(sentence)


def _is_leader_line(sentence: str) -> bool:
    """A table-of-contents line ("Introduction . . . . . 3"): not a sentence."""
    return _LEADER.search(sentence) is not None


class KeywordCounter:
    """Counts content words and keeps candidate sentences, page after page."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.candidates: list[tuple[int, str]] = []  # (page, sentence)

    def add_page(self, number: int, text: str, words: list[str] | None = None) -> None:
        """Count the words of one page and keep its sentences as summary candidates.

        ``words`` are ``tokens(text)`` when the caller has them already.
        """
        words = tokens(text) if words is None else words
        self.counts.update(w for w in words if len(w) > 2 and w not in ALL_STOPWORDS)
        if len(self.counts) > _MAX_VOCABULARY:
            # Drop words seen once: they cannot become keywords of a long document.
            self.counts = Counter({w: c for w, c in self.counts.items() if c > 1})
        room = _MAX_SENTENCES - len(self.candidates)
        if room > 0:
            for sentence in sentences(text)[:room]:
                if _MIN_WORDS <= len(sentence.split()) <= _MAX_WORDS and not _is_leader_line(
                    sentence
                ):
                    self.candidates.append((number, sentence))

    def weights(self) -> dict[str, float]:
        """TF-IDF-like weight of every counted word."""
        return {w: c * idf(w) for w, c in self.counts.items()}

    def keywords(self, limit: int = 10) -> list[str]:
        """The ``limit`` heaviest words (ties broken alphabetically, for stable output)."""
        ranked = sorted(self.weights().items(), key=lambda item: (-item[1], item[0]))
        return [w for w, weight in ranked[:limit] if weight > 0]

    def summary(self) -> list[tuple[int, str]]:
        """Up to three ``(page, sentence)`` with the highest mean keyword weight."""
        weights = self.weights()
        if not weights:
            return []
        # Real sentences (ending in . ! ? …) when there are enough; label lines and
        # table rows only for documents without prose.
        prose = [i for i, (_, s) in enumerate(self.candidates) if _is_prose(s)]
        pool = prose if len(prose) >= _SUMMARY_SENTENCES else range(len(self.candidates))
        scored = []
        for order in pool:
            _, sentence = self.candidates[order]
            words = [w for w in tokens(sentence) if w not in ALL_STOPWORDS]
            if not words:
                continue
            score = sum(weights.get(w, 0.0) for w in words) / math.sqrt(len(words))
            scored.append((score, -order, order))
        best = sorted(scored, reverse=True)[:_SUMMARY_SENTENCES]
        return [self.candidates[order] for _, _, order in sorted(best, key=lambda s: s[2])]

    @staticmethod
    def join(parts: Iterable[tuple[int, str]]) -> str:
        """The summary sentences as one text."""
        return " ".join(sentence for _, sentence in parts)
