"""Shared fixtures: the corpus of real PDFs (``../shared/corpus`` or ``DATAFLOW_CORPUS``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder of corpus PDFs; the test is skipped when it is absent."""
    override = os.environ.get("DATAFLOW_CORPUS")
    path = (
        Path(override)
        if override
        else Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    if not (path / "MANIFEST.tsv").is_file():
        pytest.skip(f"corpus not found at {path} (set DATAFLOW_CORPUS)")
    return path
