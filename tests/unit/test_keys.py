"""Storage keys are built only from checked parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflow_desktop.storage.keys import (
    InvalidKeyError,
    check_name,
    job_key,
    new_job_id,
    split_job_key,
)


def test_job_key_layout() -> None:
    job = new_job_id(0)
    assert job.startswith("19700101-000000-")
    assert job_key("dev", job, "pages/0001.png") == f"dev/jobs/{job}/pages/0001.png"
    assert split_job_key(job_key("prod", job, "result.json")) == ("prod", job, "result.json")


@pytest.mark.parametrize(
    "name",
    ["", "..", "../x", "a/../b", "/abs", "a\\b", "CON", "con.txt", "lpt1.png", "a/", ".hidden",
     "x" * 200, "a/b/c/d/e", "é.png", "trailing."],
)  # fmt: skip
def test_bad_names_are_rejected(name: str) -> None:
    with pytest.raises(InvalidKeyError):
        check_name(name)


@pytest.mark.parametrize("bad", ["test", "", "../dev", "DEV"])
def test_unknown_environment_is_rejected(bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        job_key(bad, new_job_id(), "a")


@pytest.mark.parametrize("bad", ["../x", "20260101-000000-XYZ", "", "a/b"])
def test_bad_job_ids_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        job_key("dev", bad, "a")


@given(st.text(max_size=80))
def test_any_text_is_either_rejected_or_stays_inside_the_job(text: str) -> None:
    job = new_job_id()
    try:
        key = job_key("dev", job, text)
    except InvalidKeyError:
        return
    parts = key.split("/")
    assert parts[:3] == ["dev", "jobs", job]
    assert ".." not in parts
    assert all(p and not p.startswith(".") for p in parts)
