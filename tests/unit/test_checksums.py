"""Check digits of the identifiers the analysis reports."""

from __future__ import annotations

import pytest

from dataflow_desktop.pipeline.analysis import (
    bic_is_valid,
    fr_vat_is_valid,
    fr_vat_key,
    iban_is_valid,
    luhn_is_valid,
    siren_is_valid,
    siret_is_valid,
)


@pytest.mark.parametrize(
    "value",
    [
        "FR7630006000011234567890189",
        "FR76 3000 6000 0112 3456 7890 189",
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "gb82 west 1234 5698 7654 32",
        "BE68539007547034",
        "NL91ABNA0417164300",
    ],
)
def test_valid_ibans(value: str) -> None:
    assert iban_is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "FR7630006000011234567890188",  # last digit changed: mod 97 fails
        "FR763000600001123456789018",  # one digit short for FR
        "DE89370400440532013001",
        "GB82WEST1234569876543",
        "XX82WEST12345698765432",  # unknown country
        "FR76-3000-6000",
        "",
    ],
)
def test_invalid_ibans(value: str) -> None:
    assert not iban_is_valid(value)


def test_luhn() -> None:
    assert luhn_is_valid("79927398713")
    assert not luhn_is_valid("79927398710")
    assert not luhn_is_valid("12a4")


@pytest.mark.parametrize(
    ("value", "valid"),
    [("732829320", True), ("732 829 320", True), ("732829321", False), ("73282932", False)],
)
def test_siren(value: str, valid: bool) -> None:
    assert siren_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),
        ("732 829 320 00074", True),
        ("73282932000075", False),  # Luhn fails
        ("7328293200007", False),  # 13 digits
        ("35600000000010", True),  # La Poste: digit sum multiple of 5, not Luhn
        ("35600000000011", False),
    ],
)
def test_siret(value: str, valid: bool) -> None:
    assert siret_is_valid(value) is valid


def test_la_poste_siret_is_not_luhn() -> None:
    # The exception matters: a Luhn-only check would refuse La Poste's establishments.
    assert not luhn_is_valid("35600000000010")


def test_french_vat_key() -> None:
    assert fr_vat_key("732829320") == "44"
    assert fr_vat_key("404833048") == "83"
    assert fr_vat_is_valid("FR44732829320")
    assert fr_vat_is_valid("FR 44 732 829 320")
    assert not fr_vat_is_valid("FR45732829320")  # wrong key
    assert not fr_vat_is_valid("FR44732829321")  # SIREN fails Luhn
    assert not fr_vat_is_valid("FRA4732829320")  # letter keys cannot be checked offline
    assert not fr_vat_is_valid("DE44732829320")


@pytest.mark.parametrize(
    ("value", "valid"),
    [("AGRIFRPP", True), ("DEUTDEFF500", True), ("AGRIFRP", False), ("FACTURES", False)],
)
def test_bic(value: str, valid: bool) -> None:
    assert bic_is_valid(value) is valid
