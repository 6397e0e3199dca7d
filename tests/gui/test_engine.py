"""The job engine process: calls, errors carried back with their code, shutdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflow_desktop.config import load_settings
from dataflow_desktop.errors import DataflowError, ErrorCode
from dataflow_desktop.jobs import JobNotFoundError
from dataflow_desktop.ui.engine import EngineClient


@pytest.fixture
def engine(data_home: Path):  # type: ignore[no-untyped-def]
    client = EngineClient(load_settings())
    yield client
    client.close()
    assert not client.process.is_alive()


def test_calls_and_errors_cross_the_process_boundary(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert engine.call("ping") is True
    with pytest.raises(JobNotFoundError) as caught:
        engine.get("20260101-000000-00000000")
    assert caught.value.code.value in ("storage_error", "job_not_found")
    text = tmp_path / "notes.txt"
    text.write_text("not a pdf", encoding="utf-8")
    (skipped,) = engine.submit([text])
    assert skipped.status == "skipped"
    assert skipped.error is not None
    assert skipped.error.code == ErrorCode.NOT_A_PDF
    with pytest.raises(DataflowError) as unknown:
        engine.call("close_all_files")
    assert unknown.value.code == ErrorCode.INTERNAL_ERROR
    assert engine.search("anything") == []


def test_engine_runs_below_the_window_priority(engine) -> None:  # type: ignore[no-untyped-def]
    import os

    engine.call("ping")
    if not hasattr(os, "getpriority"):
        pytest.skip("no POSIX priorities here")
    assert os.getpriority(os.PRIO_PROCESS, engine.pid) > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_closed_engine_refuses_calls(engine) -> None:  # type: ignore[no-untyped-def]
    engine.close()
    with pytest.raises(DataflowError):
        engine.call("ping")
