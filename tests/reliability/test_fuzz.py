"""Property-based fuzzing of pre-flight and of name handling (hypothesis, derandomized).

Pre-flight meets bytes first: random bytes and mutated real PDFs must end in a result
or our ``InputError`` with a stable code, never another exception. Names come from
users and from hostile ZIPs: they are either refused or stay inside their folder.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataflow_desktop.errors import ErrorCode, InputError
from dataflow_desktop.jobs.store import JobStore
from dataflow_desktop.pipeline.bundle import BundleError, check_arcname, safe_extract
from dataflow_desktop.pipeline.options import Limits, PipelineOptions
from dataflow_desktop.pipeline.preflight import inspect, sniff
from dataflow_desktop.storage.keys import new_job_id

SAMPLE = Path(__file__).resolve().parents[2] / "dataflow_desktop/resources/samples"
PDF = (SAMPLE / "facture-exemple.pdf").read_bytes()
SNIFF_CODES = {ErrorCode.EMPTY_FILE, ErrorCode.NOT_A_PDF, ErrorCode.FILE_TOO_LARGE}
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(data=st.binary(max_size=4096))
def test_sniff_of_random_bytes_is_a_size_or_a_stable_input_error(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "fuzz.pdf"
    path.write_bytes(data)
    outcome: int | ErrorCode
    try:
        outcome = sniff(path, Limits(max_bytes=2048))
    except InputError as exc:
        outcome = exc.code
    assert outcome == len(data) or outcome in SNIFF_CODES


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    """The sample invoice, cut and/or with bytes overwritten or inserted."""
    data = bytearray(PDF)
    if draw(st.booleans()):
        del data[draw(st.integers(16, len(data))) :]
    for _ in range(draw(st.integers(0, 24))):
        position = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[position] = draw(st.integers(0, 255))
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


@FUZZ
@given(data=mutated_pdf())
def test_inspect_of_mutated_pdfs_returns_or_raises_only_input_errors(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "mutant.pdf"
    path.write_bytes(data)
    failure: InputError | None = None
    try:
        document = inspect(str(path), password=None, limits=Limits())
    except InputError as exc:  # the only exception allowed out
        failure = exc
    if failure is not None:
        assert failure.code in set(ErrorCode)
        assert failure.user_message
        return
    assert document["pages"] >= 1
    assert len(document["text_layer"]) == document["pages"]


@FUZZ
@given(name=st.text(max_size=60))
def test_archive_names_are_refused_or_stay_relative(name: str) -> None:
    try:
        checked = check_arcname(name)
    except ValueError:
        return
    parts = checked.split("/")
    assert not checked.startswith("/")
    assert "\\" not in checked
    assert all(part not in ("", ".", "..") for part in parts)


@FUZZ
@given(names=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4, unique=True))
def test_extracting_a_zip_with_arbitrary_names_never_writes_outside(
    tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    root = tmp_path_factory.mktemp("zip")
    archive_path = root / "hostile.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, name in enumerate(names):
            try:
                archive.writestr(name, f"member {index}")
            except (ValueError, IndexError, UnicodeEncodeError):
                return  # zipfile itself cannot write this name
    archive_path.write_bytes(buffer.getvalue())
    dest = root / "out"
    before = set(root.rglob("*"))
    try:
        written = safe_extract(archive_path, dest)
    except BundleError:
        written = []
    for path in written:
        assert path.resolve().is_relative_to(dest.resolve())
    outside = {p for p in root.rglob("*") if not p.is_relative_to(dest)} - before
    assert outside == set()


@FUZZ
@given(name=st.text(min_size=1, max_size=120))
def test_any_source_name_round_trips_through_the_job_store_and_never_shapes_a_key(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    store = JobStore(tmp_path_factory.mktemp("db") / "jobs.sqlite3")
    try:
        job = store.create_job(job_id=new_job_id(), source_name=name, source_path=None,
                               sha256="0" * 64, size=1, options=PipelineOptions(),
                               env="dev")  # fmt: skip
        assert store.get(job.id).source_name == name
        assert json.loads(json.dumps({"name": name}))["name"] == name
        assert name not in job.id or name in "0123456789abcdef-"
    finally:
        store.close()
