"""Executors: the serial twin, error transport, and native-crash isolation in the pool."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from dataflow_desktop.errors import ErrorCode, InputError, WorkerError
from dataflow_desktop.jobs.executor import FAULT_ENV, ProcessExecutor, RemoteError, SerialExecutor
from dataflow_desktop.pipeline.options import Limits
from dataflow_desktop.pipeline.preflight import sniff


def test_serial_executor_returns_results_and_errors() -> None:
    executor = SerialExecutor()
    assert executor.submit(sum, [1, 2]).result() == 3
    failed = executor.submit(int, "x")
    assert isinstance(failed.exception(), ValueError)


def test_remote_error_keeps_class_code_and_message() -> None:
    original = InputError(code=ErrorCode.NOT_A_PDF, detail="x.txt")
    rebuilt = RemoteError.wrap(original).unwrap()
    assert type(rebuilt) is InputError
    assert rebuilt.code is ErrorCode.NOT_A_PDF
    assert rebuilt.user_message == original.user_message
    assert rebuilt.detail == "x.txt"


@pytest.mark.timeout(60)
def test_a_crashing_task_fails_alone_and_the_pool_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    poison = tmp_path / "poison.pdf"
    poison.write_bytes(b"%PDF-1.7 crash me")
    fine = tmp_path / "fine.pdf"
    fine.write_bytes(b"%PDF-1.7 fine")
    digest = hashlib.sha256(poison.read_bytes()).hexdigest()
    monkeypatch.setenv(FAULT_ENV, f"sha256:{digest[:16]}")
    executor = ProcessExecutor(2)
    try:
        slow = executor.submit(time.sleep, 1.0)  # an innocent task in flight at the crash
        crash = executor.submit(os.path.getsize, str(poison))
        queued = [executor.submit(sniff, str(fine), Limits()) for _ in range(3)]
        assert slow.result(timeout=30) is None
        assert isinstance(crash.exception(timeout=30), WorkerError)
        assert crash.exception().code is ErrorCode.WORKER_CRASHED  # type: ignore[union-attr]
        assert [f.result(timeout=30) for f in queued] == [fine.stat().st_size] * 3
        assert executor.crashes == 1
        # Our own errors cross the process boundary with their code.
        failure = executor.submit(sniff, str(tmp_path / "missing.pdf"), Limits())
        error = failure.exception(timeout=30)
        assert isinstance(error, InputError)
        assert error.code is ErrorCode.FILE_NOT_FOUND
    finally:
        executor.shutdown()


def test_shutdown_cancels_queued_tasks() -> None:
    executor = ProcessExecutor(1)
    running = executor.submit(time.sleep, 0.5)
    queued = [executor.submit(time.sleep, 5) for _ in range(3)]
    time.sleep(0.1)
    executor.shutdown()
    assert running.done()
    assert all(f.cancelled() for f in queued)
    with pytest.raises(RuntimeError):
        executor.submit(time.sleep, 0)
