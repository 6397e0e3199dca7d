"""Check digits of the identifiers the analysis reports (IBAN, SIREN, SIRET, FR VAT, BIC).

Every IBAN, SIREN, SIRET and French VAT number in an ``analysis`` object has passed
these checks: a number that fails its check digits is a typo, an OCR error or
something else, and is not reported.
"""

from __future__ import annotations

import re

__all__ = [
    "COUNTRY_CODES",
    "IBAN_LENGTHS",
    "bic_is_valid",
    "fr_vat_is_valid",
    "fr_vat_key",
    "iban_is_valid",
    "luhn_is_valid",
    "siren_is_valid",
    "siret_is_valid",
]


def _words(text: str) -> list[str]:
    return text.split()


# IBAN length per country (ISO 13616 registry, SEPA countries and common others).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MA": 28, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

# ISO 3166-1 alpha-2 codes: a BIC's 5th-6th letters must be one of them.
COUNTRY_CODES = frozenset(
    _words(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
        BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
        DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
        GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
        JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
        MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
        NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
        SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
        TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
        """
    )
)

_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# La Poste's establishments share SIREN 356 000 000, whose SIRETs do not follow Luhn:
# their digit sum is a multiple of 5 instead (INSEE rule).
_LA_POSTE_SIREN = "356000000"


def _compact(value: str) -> str:
    return "".join(value.split()).replace("-", "").replace(".", "").upper()


def iban_is_valid(value: str) -> bool:
    """Whether ``value`` is an IBAN with the right length and ISO 7064 mod-97 check.

    Spaces, dashes and dots are ignored; letters may be lower case.
    """
    iban = _compact(value)
    if len(iban) < 15 or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    if IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_is_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (mod 10)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siren_is_valid(value: str) -> bool:
    """Whether ``value`` is a 9-digit SIREN passing Luhn (spaces ignored)."""
    siren = _compact(value)
    return len(siren) == 9 and luhn_is_valid(siren)


def siret_is_valid(value: str) -> bool:
    """Whether ``value`` is a 14-digit SIRET: Luhn on all 14 digits and a valid SIREN.

    La Poste's SIRETs (SIREN 356 000 000) use a digit-sum-multiple-of-5 rule instead.
    """
    siret = _compact(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(_LA_POSTE_SIREN):
        return sum(int(ch) for ch in siret) % 5 == 0
    return luhn_is_valid(siret) and luhn_is_valid(siret[:9])


def fr_vat_key(siren: str) -> str:
    """The two-digit key of the French VAT number of ``siren``: (12 + 3 x (SIREN mod 97)) mod 97."""
    return f"{(12 + 3 * (int(_compact(siren)) % 97)) % 97:02d}"


def fr_vat_is_valid(value: str) -> bool:
    """Whether ``value`` is ``FR`` + numeric key + valid SIREN, with the right key.

    Keys containing letters (the newer alphanumeric scheme) cannot be checked offline
    and are refused, so every reported FR VAT number has been verified.
    """
    vat = _compact(value)
    if len(vat) != 13 or not vat.startswith("FR"):
        return False
    key, siren = vat[2:4], vat[4:]
    return key.isdigit() and siren_is_valid(siren) and fr_vat_key(siren) == key


def bic_is_valid(value: str) -> bool:
    """Whether ``value`` is shaped like a BIC (ISO 9362) with a real country code."""
    bic = _compact(value)
    return bool(_BIC.fullmatch(bic)) and bic[4:6] in COUNTRY_CODES
