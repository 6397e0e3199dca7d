"""Temporal orchestration without a server: progress ops, the follower, the optional extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dataflow_desktop.jobs import STEPS, ProgressWriter, progress_schema, read_progress
from dataflow_desktop.orchestration.follow import ProgressFollower
from dataflow_desktop.storage import MemoryStorage
from dataflow_desktop.storage.keys import job_key

pytest.importorskip("temporalio")

from dataflow_desktop.orchestration.temporal._progress import apply_op
from dataflow_desktop.orchestration.temporal._types import ProgressOp

JOB = "20261128-100000-0123abcd"
KEY = job_key("dev", JOB, "progress.json")


def _queued(storage: MemoryStorage) -> None:
    source = {"name": "a.pdf", "sha256": "0" * 64, "bytes": 10, "pages": None}
    ProgressWriter(storage, KEY, job_id=JOB, source=source).queued()


def _op(action: str, step: str = "", **fields: Any) -> ProgressOp:
    return ProgressOp("dev", JOB, action, step, **fields)


def _run_all(storage: MemoryStorage, ops: list[ProgressOp]) -> list[dict[str, Any]]:
    return [apply_op(storage, op) for op in ops]


OPS = [
    _op("start", "init", message="Checking the document"),
    _op("end", "init", pages=4),
    _op("start", "extraction", total=4, message="Extracting text"),
    _op("update", "extraction", done=2, total=4, message="Extracting text: 2 of 4 pages"),
    _op("end", "extraction"),
    _op("start", "raster", total=4),
    _op("end", "raster"),
    _op("skip", "ocr", message="No page needs OCR"),
    _op("start", "analysis"),
    _op("end", "analysis"),
    _op("start", "report"),
    _op("end", "report", outputs={"result": "result.json", "markdown": "document.md"}),
    _op("start", "upload"),
    _op("end", "upload"),
    _op("start", "clean"),
    _op("end", "clean"),
    _op("finish", status="success", message="Done"),
]


def test_ops_build_the_progress_contract_step_by_step() -> None:
    storage = MemoryStorage()
    _queued(storage)
    docs = _run_all(storage, OPS)
    validator = jsonschema.Draft202012Validator(progress_schema())
    for doc in docs:
        validator.validate(doc)
    percents = [doc["percent"] for doc in docs]
    assert percents == sorted(percents)
    final = read_progress(storage, KEY)
    assert final is not None
    assert final == docs[-1]
    assert [s["name"] for s in final["steps"]] == list(STEPS)
    assert (final["status"], final["step"], final["percent"]) == ("success", "success", 100.0)
    assert final["source"]["pages"] == 4
    assert final["outputs"] == {"result": "result.json", "markdown": "document.md"}
    assert docs[3]["steps"][1] | {"started_at": None} == {
        "name": "extraction", "status": "running", "done": 2, "total": 4, "started_at": None,
    }  # fmt: skip
    assert docs[3]["message"] == "Extracting text: 2 of 4 pages"


def test_an_op_applied_twice_changes_nothing() -> None:
    """A local activity re-run after its worker died finds its change already made."""
    storage = MemoryStorage()
    _queued(storage)
    for op in OPS[:5]:
        first = apply_op(storage, op)
        again = apply_op(storage, op)
        assert again["steps"] == first["steps"]
        assert again["status"] == first["status"]
    doc = read_progress(storage, KEY)
    assert doc is not None
    assert [s["name"] for s in doc["steps"]] == ["init", "extraction"]


def test_finish_is_final_and_keeps_the_error() -> None:
    storage = MemoryStorage()
    _queued(storage)
    apply_op(storage, _op("start", "init"))
    error = {"code": "corrupt_pdf", "message": "The PDF is damaged.", "step": "init"}
    apply_op(storage, _op("finish", status="failed", error=error, message=error["message"]))
    late = apply_op(storage, _op("start", "extraction", total=3))  # a stray op after the end
    assert (late["status"], late["step"], late["error"]) == ("failed", "failed", error)
    assert [s["status"] for s in late["steps"]] == ["failed"]


def test_an_op_for_a_job_never_submitted_fails() -> None:
    with pytest.raises(FileNotFoundError):
        apply_op(MemoryStorage(), _op("start", "init"))


def test_follower_reports_changes_until_every_job_ended() -> None:
    storage = MemoryStorage()
    _queued(storage)
    follower = ProgressFollower(storage, "dev", [JOB])
    assert set(follower.poll()) == {JOB}
    assert follower.poll() == {}  # nothing changed
    assert not follower.finished
    for op in OPS:
        apply_op(storage, op)
        assert set(follower.poll()) == {JOB}
    assert follower.finished
    doc = follower.docs[JOB]
    assert doc is not None
    assert doc["status"] == "success"
    assert follower.poll() == {}  # a finished job is not read again
    assert follower.follow(interval=0.0, timeout=1)


def test_the_app_starts_without_temporalio(tmp_path: Path) -> None:
    """The extra is optional: only ``worker`` and ``submit`` need it, and say so."""
    code = (
        "import sys; sys.modules['temporalio'] = None\n"
        "from dataflow_desktop.cli import build_parser, main\n"
        "import dataflow_desktop.jobs, dataflow_desktop.orchestration.follow\n"
        "from dataflow_desktop.orchestration import temporal_available\n"
        "assert not temporal_available()\n"
        "build_parser().parse_args(['jobs'])\n"
        "sys.exit(main(['worker', '--temporal', 'x:1', '--endpoint', 'http://x', '--bucket', 'b']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, check=False,
        env={"DATAFLOW_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr.decode()
    assert b"pip install 'dataflow-desktop[temporal]'" in result.stderr
