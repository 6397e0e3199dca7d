"""progress.json: the contract's shape, step order, percent, throttling, terminal states."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from dataflow_desktop.jobs.progress import STEPS, ProgressWriter, progress_schema, read_progress
from dataflow_desktop.storage import MemoryStorage

KEY = "dev/jobs/20261128-100000-0123abcd/progress.json"
SOURCE = {"name": "facture.pdf", "sha256": "0" * 64, "bytes": 183204, "pages": None}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _writer(storage: MemoryStorage, clock: Clock, seen: list[dict[str, Any]]) -> ProgressWriter:
    return ProgressWriter(
        storage, KEY, job_id="20261128-100000-0123abcd", source=SOURCE,
        observer=seen.append, clock=clock,
    )  # fmt: skip


def test_schema_is_valid_2020_12() -> None:
    schema = progress_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")


def test_a_whole_run_is_valid_at_every_write() -> None:
    storage, clock, seen = MemoryStorage(), Clock(), []
    writer = _writer(storage, clock, seen)
    validator = jsonschema.Draft202012Validator(progress_schema())
    writer.queued()
    writer.start_step("init", message="Checking")
    writer.set_pages(12)
    writer.end_step("init")
    writer.start_step("extraction", total=12)
    for done in range(1, 13):
        clock.now += 0.05
        writer.update("extraction", done, message=f"page {done}")
    writer.end_step("extraction")
    writer.start_step("raster", total=12)
    writer.end_step("raster")
    writer.skip_step("ocr", "No page needs OCR")
    writer.skip_step("analysis", "not available")
    writer.start_step("report", total=5)
    writer.end_step("report")
    writer.skip_step("upload", "Sync is off")
    writer.start_step("clean")
    writer.end_step("clean")
    writer.set_outputs({"result": "result.json", "bundle": "bundle.zip"})
    writer.finish("success", message="Done")
    percents = [doc["percent"] for doc in seen]
    assert percents == sorted(percents)
    for doc in seen:
        validator.validate(doc)
    final = read_progress(storage, KEY)
    assert final == seen[-1]
    assert final is not None
    assert [s["name"] for s in final["steps"]] == list(STEPS)
    assert final["percent"] == 100
    assert final["source"]["pages"] == 12
    assert final["outputs"] == {"result": "result.json", "bundle": "bundle.zip"}
    assert final["updated_at"].endswith("Z")


def test_updates_are_throttled_but_transitions_are_not() -> None:
    storage, clock, seen = MemoryStorage(), Clock(), []
    writer = _writer(storage, clock, seen)
    writer.start_step("init")
    writer.end_step("init")
    writer.start_step("extraction", total=1000)
    before = len(seen)
    for done in range(1, 101):
        clock.now += 0.01  # 100 updates in one second
        writer.update("extraction", done)
    assert len(seen) - before <= 11
    writer.end_step("extraction")  # always written, with the final count
    assert seen[-1]["steps"][-1] == {**seen[-1]["steps"][-1], "status": "done", "done": 1000}


def test_failure_marks_the_running_step_and_keeps_percent() -> None:
    storage, clock, seen = MemoryStorage(), Clock(), []
    writer = _writer(storage, clock, seen)
    writer.start_step("init")
    writer.end_step("init")
    writer.start_step("extraction", total=4)
    writer.update("extraction", 2)
    writer.set_outputs({"result": "result.json"})
    error = {"code": "encrypted_pdf", "message": "Enter the password.", "step": "extraction"}
    writer.finish("failed", error=error, message="Enter the password.")
    doc = json.loads(storage.open_read(KEY).read())
    jsonschema.validate(doc, progress_schema())
    assert doc["status"] == doc["step"] == "failed"
    assert doc["steps"][-1]["status"] == "failed"
    assert doc["error"] == error
    assert doc["outputs"] == {}
    assert doc["percent"] == pytest.approx(25.0)


def test_steps_must_come_in_contract_order() -> None:
    writer = _writer(MemoryStorage(), Clock(), [])
    writer.start_step("raster")
    with pytest.raises(ValueError, match="cannot follow"):
        writer.start_step("extraction")
    with pytest.raises(ValueError, match="unknown step"):
        writer.start_step("upload-all")
    with pytest.raises(ValueError, match="not a terminal"):
        writer.finish("running")


def test_restore_continues_an_interrupted_document() -> None:
    storage, clock, seen = MemoryStorage(), Clock(), []
    first = _writer(storage, clock, seen)
    first.start_step("init")
    first.end_step("init")
    first.start_step("extraction", total=10)
    second = _writer(storage, clock, seen)
    second.restore(seen[-1])
    error = {"code": "interrupted", "message": "Retry it.", "step": "extraction"}
    second.finish("failed", error=error, message="Retry it.")
    doc = read_progress(storage, KEY)
    assert doc is not None
    assert [s["name"] for s in doc["steps"]] == ["init", "extraction"]
    assert doc["steps"][1]["status"] == "failed"
    jsonschema.validate(doc, progress_schema())
