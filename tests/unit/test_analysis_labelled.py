"""Analysis accuracy on the generated labelled set (8 kinds x French and English).

The documents come from ``tests/resources/make_labelled_set.py`` and go through the
real pipeline steps (inspect, extract_pages, analyze). Figures for the full set are
in docs/ANALYSIS.md (``benchmarks/analysis_accuracy.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dataflow_desktop.pipeline.analysis import (
    fr_vat_is_valid,
    iban_is_valid,
    siren_is_valid,
    siret_is_valid,
)

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, RESOURCES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    maker, evaluation = _load("make_labelled_set"), _load("labelled_eval")
    folder = tmp_path_factory.mktemp("labelled")
    # A seed the rules were not tuned on (docs/ANALYSIS.md reports seeds 1 and 7).
    docs = maker.generate(folder, per_kind=2, seed=11)
    analyses = [evaluation.predict(folder / doc.name) for doc in docs]
    pairs = [({**doc.truth, "name": doc.name}, a) for doc, a in zip(docs, analyses, strict=True)]
    return evaluation.score(pairs), analyses


def test_generator_writes_valid_identifiers(tmp_path: Path) -> None:
    maker = _load("make_labelled_set")
    docs = maker.generate(tmp_path, per_kind=1, seed=3)
    assert len(docs) == 16
    assert (tmp_path / "labels.json").is_file()
    for doc in docs:
        assert all(iban_is_valid(v) for v in doc.truth["ibans"])
        assert all(siret_is_valid(v) for v in doc.truth["sirets"])
        assert all(siren_is_valid(v) for v in doc.truth["sirens"])
        assert all(fr_vat_is_valid(v) for v in doc.truth["vat_numbers"])


def test_type_and_language_accuracy(evaluated: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    report, _ = evaluated
    assert report["documents"] == 32
    assert report["type_accuracy"] >= 0.9, report["confusion"]
    assert report["language_accuracy"] >= 0.9


@pytest.mark.parametrize(
    "field",
    ["dates", "totals", "references", "emails", "phones", "ibans", "bics", "sirens", "sirets",
     "vat_numbers", "postal_codes", "issuer", "recipient"],
)  # fmt: skip
def test_field_precision_and_recall(
    evaluated: tuple[dict[str, Any], list[dict[str, Any]]], field: str
) -> None:
    report, _ = evaluated
    scores = report["fields"][field]
    errors = [e for e in report["errors"] if f": {field} " in e]
    assert scores["precision"] >= 0.9, errors
    assert scores["recall"] >= 0.9, errors


def test_every_reported_identifier_passes_its_checksum(
    evaluated: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    _, analyses = evaluated
    checks = {"ibans": iban_is_valid, "sirets": siret_is_valid, "sirens": siren_is_valid}
    for analysis in analyses:
        for name, check in checks.items():
            assert all(check(item["value"]) for item in analysis["fields"][name])
        for vat in analysis["fields"]["vat_numbers"]:
            assert vat["country"] != "FR" or fr_vat_is_valid(vat["value"])


def test_located_fields_have_a_bbox_on_their_page(
    evaluated: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    _, analyses = evaluated
    for analysis in analyses:
        for name in ("dates", "ibans", "emails", "phones", "sirets"):
            for item in analysis["fields"][name]:
                x0, y0, x1, y1 = item["bbox"]
                assert 0 <= x0 < x1 <= 595.5
                assert 0 <= y0 < y1 <= 842.5
                assert item["page"] == 1
