"""Language identification: our function-word detector against langdetect.

Sentences of business and everyday writing in the seven supported languages (written
for this benchmark, 8 per language), judged whole and cut to their first 4 and 8
words, as short lines of a page are. langdetect (a port of Google's
language-detection, character n-gram profiles, seeded for repeatability) runs when it
can be imported; it is not a project dependency (``pip install --target DIR
langdetect`` and put DIR on PYTHONPATH).

Usage::

    .venv/bin/python benchmarks/language_id.py
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable

from dataflow_desktop.pipeline.analysis._language import LanguageCounter
from dataflow_desktop.pipeline.analysis._text import tokens

SENTENCES = {
    "en": [
        "Please find attached the invoice for the services provided last month.",
        "The payment is due within thirty days of the date of this invoice.",
        "Our team will contact you as soon as the parts have been delivered.",
        "The board approved the budget after a long discussion about costs.",
        "If you have any questions, do not hesitate to call our office.",
        "The tenant shall keep the premises in good condition at all times.",
        "Sales grew by twelve percent while operating costs remained stable.",
        "We would like to thank you for your order and your trust.",
    ],
    "fr": [
        "Veuillez trouver ci-joint la facture des prestations du mois dernier.",
        "Le paiement doit intervenir dans les trente jours suivant la date de facture.",
        "Notre équipe vous contactera dès que les pièces auront été livrées.",
        "Le conseil a approuvé le budget après une longue discussion sur les coûts.",
        "Pour toute question, n'hésitez pas à contacter notre service client.",
        "Le locataire s'engage à maintenir les lieux en bon état d'entretien.",
        "Les ventes ont progressé de douze pour cent et les charges sont stables.",
        "Nous vous remercions pour votre commande et votre confiance.",
    ],
    "de": [
        "Anbei erhalten Sie die Rechnung für die Leistungen des letzten Monats.",
        "Die Zahlung ist innerhalb von dreißig Tagen nach Rechnungsdatum fällig.",
        "Unser Team wird sich bei Ihnen melden, sobald die Teile geliefert sind.",
        "Der Vorstand hat den Haushalt nach einer langen Diskussion genehmigt.",
        "Bei Fragen können Sie sich jederzeit an unser Büro wenden.",
        "Der Mieter hat die Räume stets in gutem Zustand zu halten.",
        "Der Umsatz stieg um zwölf Prozent, während die Kosten stabil blieben.",
        "Wir danken Ihnen für Ihre Bestellung und Ihr Vertrauen.",
    ],
    "es": [
        "Adjuntamos la factura de los servicios prestados el mes pasado.",
        "El pago debe realizarse en los treinta días siguientes a la fecha de la factura.",
        "Nuestro equipo se pondrá en contacto con usted cuando lleguen las piezas.",
        "El consejo aprobó el presupuesto después de un largo debate sobre los costes.",
        "Si tiene alguna pregunta, no dude en llamar a nuestra oficina.",
        "El inquilino deberá mantener el local en buen estado en todo momento.",
        "Las ventas crecieron un doce por ciento y los gastos se mantuvieron estables.",
        "Le agradecemos su pedido y su confianza.",
    ],
    "it": [
        "In allegato trova la fattura per i servizi forniti il mese scorso.",
        "Il pagamento deve essere effettuato entro trenta giorni dalla data della fattura.",
        "Il nostro team la contatterà non appena i pezzi saranno consegnati.",
        "Il consiglio ha approvato il bilancio dopo una lunga discussione sui costi.",
        "Per qualsiasi domanda non esiti a contattare il nostro ufficio.",
        "Il conduttore deve mantenere i locali in buono stato in ogni momento.",
        "Le vendite sono cresciute del dodici per cento e i costi sono rimasti stabili.",
        "La ringraziamo per il suo ordine e per la sua fiducia.",
    ],
    "nl": [
        "In de bijlage vindt u de factuur voor de diensten van vorige maand.",
        "De betaling moet binnen dertig dagen na de factuurdatum gebeuren.",
        "Ons team neemt contact met u op zodra de onderdelen zijn geleverd.",
        "Het bestuur keurde de begroting goed na een lange discussie over de kosten.",
        "Als u vragen heeft, aarzel dan niet om ons kantoor te bellen.",
        "De huurder moet het pand te allen tijde in goede staat houden.",
        "De verkoop steeg met twaalf procent terwijl de kosten stabiel bleven.",
        "Wij danken u voor uw bestelling en uw vertrouwen.",
    ],
    "pt": [
        "Segue em anexo a fatura dos serviços prestados no mês passado.",
        "O pagamento deve ser efetuado no prazo de trinta dias a contar da data da fatura.",
        "A nossa equipa entrará em contacto consigo assim que as peças forem entregues.",
        "O conselho aprovou o orçamento depois de uma longa discussão sobre os custos.",
        "Se tiver alguma dúvida, não hesite em contactar o nosso escritório.",
        "O inquilino deve manter o imóvel em bom estado em todos os momentos.",
        "As vendas cresceram doze por cento e os custos mantiveram-se estáveis.",
        "Agradecemos a sua encomenda e a sua confiança.",
    ],
}


def ours(text: str) -> str:
    """Our detector."""
    counter = LanguageCounter()
    counter.add(tokens(text), text)
    return counter.best()[0]


def _langdetect() -> Callable[[str], str] | None:
    if importlib.util.find_spec("langdetect") is None:
        return None
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            return str(detect(text))
        except LangDetectException:
            return "und"

    return run


def main() -> int:
    """Print accuracy and time per text for each detector and text length."""
    detectors: dict[str, Callable[[str], str]] = {"ours": ours}
    other = _langdetect()
    if other is not None:
        detectors["langdetect"] = other
    cuts = {"4 words": 4, "8 words": 8, "sentence": None}
    print("| detector | text | accuracy | wrong | undetermined | ms per text |")
    print("|---|---|---|---|---|---|")
    for name, detect in detectors.items():
        for label, cut in cuts.items():
            right = undetermined = total = 0
            start = time.perf_counter()
            for lang, sentences in SENTENCES.items():
                for sentence in sentences:
                    text = " ".join(sentence.split()[:cut]) if cut else sentence
                    found = detect(text)
                    right += found == lang
                    undetermined += found == "und"
                    total += 1
            ms = (time.perf_counter() - start) / total * 1000
            wrong = total - right - undetermined
            print(
                f"| {name} | {label} | {right / total:.3f} | {wrong} | {undetermined} | {ms:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
