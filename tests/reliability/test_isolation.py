"""Worker isolation: a hung or runaway task fails alone, the pool and the other jobs go on.

Fault hooks (``jobs/_worker.py``) make a worker hang, abort or allocate without bound
on one chosen input, as a malformed PDF would inside MuPDF.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataflow_desktop.config import Settings
from dataflow_desktop.errors import MESSAGES, ErrorCode, WorkerError
from dataflow_desktop.jobs import JobService
from dataflow_desktop.jobs._worker import is_out_of_memory
from dataflow_desktop.jobs.executor import (
    FAULT_ALLOC_ENV,
    FAULT_HANG_ENV,
    ProcessExecutor,
    task_pages,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals and rlimits")

SAMPLE = Path(__file__).resolve().parents[2] / "dataflow_desktop/resources/samples"


def _sha_marker(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def test_task_pages_reads_the_page_list_of_each_kind_of_task() -> None:
    assert task_pages(("a.pdf", [4, 5, 6])) == 3  # extract_pages / render_pages / OCR
    assert task_pages(("work", [(0, 16), (16, 20)], {})) == 20  # analyze_work
    assert task_pages(("a.pdf",)) == 1  # pre-flight


@pytest.mark.timeout(90)
def test_a_hung_task_is_killed_at_its_deadline_and_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hung = tmp_path / "hung.pdf"
    hung.write_bytes(b"%PDF-1.7 hang here")
    fine = tmp_path / "fine.pdf"
    fine.write_bytes(b"%PDF-1.7 fine")
    monkeypatch.setenv(FAULT_HANG_ENV, "hung.pdf")
    executor = ProcessExecutor(2, page_timeout_s=6)
    try:
        started = time.monotonic()
        stuck = executor.submit(os.path.getsize, str(hung))
        innocent = executor.submit(time.sleep, 0.5)  # in flight when the pool is killed
        error = stuck.exception(timeout=60)
        waited = time.monotonic() - started
        assert isinstance(error, WorkerError)
        assert error.code is ErrorCode.WORKER_TIMEOUT
        assert error.user_message == MESSAGES[ErrorCode.WORKER_TIMEOUT]
        assert 6 <= waited < 30  # killed at its deadline, not left to hang
        assert innocent.result(timeout=60) is None
        after = [executor.submit(os.path.getsize, str(fine)) for _ in range(3)]
        assert [f.result(timeout=60) for f in after] == [fine.stat().st_size] * 3
        assert executor.timeouts == 1
        assert executor.crashes == 0
    finally:
        executor.shutdown()


@pytest.mark.timeout(90)
def test_a_runaway_allocation_is_stopped_by_the_memory_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    greedy = tmp_path / "greedy.pdf"
    greedy.write_bytes(b"%PDF-1.7 eat memory")
    monkeypatch.setenv(FAULT_ALLOC_ENV, _sha_marker(greedy))
    executor = ProcessExecutor(1, memory_mb=768)
    try:
        failed = executor.submit(os.path.getsize, str(greedy))
        error = failed.exception(timeout=60)
        assert isinstance(error, WorkerError)
        assert error.code is ErrorCode.OUT_OF_MEMORY
        assert "memory" in error.user_message
        # The same worker goes on: the failed allocation was an exception, not a death.
        assert executor.submit(sum, [1, 2]).result(timeout=60) == 3
        assert executor.crashes == 0
    finally:
        executor.shutdown()


@pytest.mark.timeout(90)
def test_a_worker_killed_by_the_system_is_reported_as_out_of_memory() -> None:
    # SIGKILL from outside is what the kernel's OOM killer sends when no cap is set.
    executor = ProcessExecutor(1)
    try:
        killed = executor.submit(signal.raise_signal, signal.SIGKILL)
        error = killed.exception(timeout=60)
        assert isinstance(error, WorkerError)
        assert error.code is ErrorCode.OUT_OF_MEMORY
        assert executor.submit(sum, [2, 3]).result(timeout=60) == 5
    finally:
        executor.shutdown()


def test_mupdf_allocation_failures_count_as_out_of_memory() -> None:
    import pymupdf

    class FakeMuPdfError(RuntimeError):
        pass

    FakeMuPdfError.__module__ = pymupdf.__name__

    def wrapped() -> None:
        try:
            raise FakeMuPdfError("code=2: malloc (1073741824 bytes) failed")
        except RuntimeError as inner:
            raise ValueError("page 3 failed") from inner  # as the pipeline wraps it

    with pytest.raises(ValueError, match="page 3") as caught:
        wrapped()
    assert is_out_of_memory(caught.value)
    assert not is_out_of_memory(FakeMuPdfError("code=7: syntax error"))
    assert is_out_of_memory(MemoryError())


def test_the_cap_sets_the_address_space_limit_of_the_process() -> None:
    code = (
        "import resource; from dataflow_desktop.jobs._worker import cap_address_space;"
        "assert cap_address_space(512);"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)  # fmt: skip
    assert out.stdout.strip() == "512"


@pytest.mark.corpus
@pytest.mark.timeout(240)
def test_hung_and_runaway_documents_fail_alone_in_the_job_service(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "in"
    files.mkdir()
    good = [shutil.copy(corpus_dir / name, files) for name in
            ("text-en-pypdf-crazyones.pdf", "tables-camelot-twotables-2.pdf")]  # fmt: skip
    hung = shutil.copy(corpus_dir / "multilingual-pypdf-multilang.pdf", files / "hung.pdf")
    greedy = shutil.copy(SAMPLE / "facture-exemple.pdf", files / "greedy.pdf")
    monkeypatch.setenv(FAULT_HANG_ENV, _sha_marker(Path(hung)))
    monkeypatch.setenv(FAULT_ALLOC_ENV, _sha_marker(Path(greedy)))
    settings = Settings(home=tmp_path / "home", workers=2, concurrent_jobs=4, ocr="never",
                        page_timeout_s=8, worker_memory_mb=1024)  # fmt: skip
    started = time.monotonic()
    with JobService(settings) as service:  # its own pool, spawned with the hooks set
        submitted = service.submit([*good, hung, greedy])
        assert service.wait(timeout=200)
        jobs = {Path(s.path).name: service.get(s.job_id or "") for s in submitted}
    assert time.monotonic() - started < 200
    assert (jobs["hung.pdf"].status, jobs["hung.pdf"].error_code) == ("failed", "worker_timeout")
    assert jobs["hung.pdf"].error_message == MESSAGES[ErrorCode.WORKER_TIMEOUT]
    assert (jobs["greedy.pdf"].status, jobs["greedy.pdf"].error_code) == (
        "failed", "out_of_memory"
    )  # fmt: skip
    assert jobs["greedy.pdf"].error_message == MESSAGES[ErrorCode.OUT_OF_MEMORY]
    for path in good:
        assert jobs[Path(path).name].status == "success"
