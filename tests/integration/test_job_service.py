"""JobService over real corpus PDFs: progress contract, outputs, duplicates, passwords,
cancel, retry, remove, export, search, recovery and worker-crash isolation."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import STEPS, JobService, JobStateError, ProcessExecutor, progress_schema
from dataflow_desktop.jobs.executor import FAULT_ENV
from dataflow_desktop.pipeline.markdown import write_markdown
from dataflow_desktop.pipeline.preflight import inspect
from dataflow_desktop.pipeline.result import iter_result_pages, read_result_header
from dataflow_desktop.pipeline.schemas import load_schema
from dataflow_desktop.storage.keys import job_prefix

pytestmark = pytest.mark.corpus

CRAZY = "text-en-pypdf-crazyones.pdf"
FRENCH = "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf"
TWOCOL = "multicolumn-sample-files-latex-2col.pdf"
TABLES = "tables-camelot-twotables-2.pdf"
MANY = "manypages-pymupdf-mupdf-explored.pdf"
AES = "encrypted-pypdf-r6-aes256-user-password.pdf"


def _keys(service: JobService, job_id: str) -> set[str]:
    prefix = job_prefix("dev", job_id)
    return {info.key[len(prefix) :] for info in service.storage.list(prefix)}


def _run(service: JobService, *paths: Path, **kwargs: object) -> list[str]:
    subs = service.submit(list(paths), **kwargs)  # type: ignore[arg-type]
    ids = [s.job_id for s in subs if s.job_id]
    assert service.wait(ids, timeout=120)
    return ids


def test_progress_is_valid_at_every_write_and_results_are_stored(
    service: JobService, corpus_dir: Path, tmp_path: Path
) -> None:
    ids = _run(service, corpus_dir / TWOCOL, corpus_dir / CRAZY)
    validator = jsonschema.Draft202012Validator(progress_schema())
    recorded = service.storage.progress  # type: ignore[attr-defined]
    for job_id in ids:
        docs = recorded[job_id]
        assert len(docs) >= 10
        for doc in docs:
            validator.validate(doc)
        percents = [doc["percent"] for doc in docs]
        assert percents == sorted(percents), "percent went backwards"
        names = [step["name"] for step in docs[-1]["steps"]]
        assert names == list(STEPS)
        assert docs[0]["status"] == "queued"
        assert docs[-1]["status"] == "success"
        job = service.get(job_id)
        assert (job.status, job.step, job.percent, job.error) == ("success", "success", 100, None)
        keys = _keys(service, job_id)
        assert {"source.pdf", "progress.json", "result.json", "document.md", "report.html",
                "bundle.zip", "pages/0001.png", "thumbs/0001.png"} <= keys  # fmt: skip
        assert {o.name for o in service.store.outputs(job_id)} == keys - {
            "source.pdf",
            "progress.json",
        }
        result = service.storage.local_path(f"{job_prefix('dev', job_id)}result.json")
        assert result is not None
        data = json.loads(result.read_text(encoding="utf-8"))
        jsonschema.validate(data, load_schema("result.schema.json"))
        assert data["source"]["sha256"] == job.sha256
        assert [p["number"] for p in data["pages"]] == list(range(1, job.pages + 1))  # type: ignore[operator]
        # The text layer comes from extraction, not from a pass of its own at init.
        assert data["document"]["text_layer"] == inspect(corpus_dir / job.source_name)["text_layer"]
        # document.md's pages were written before the analysis, its front matter after.
        markdown = service.storage.local_path(f"{job_prefix('dev', job_id)}document.md")
        assert markdown is not None
        expected = tmp_path / f"{job_id}.md"
        write_markdown(expected, read_result_header(result), list(iter_result_pages(result)))
        assert markdown.read_bytes() == expected.read_bytes()
        assert not (service.settings.work_root / job_id).exists()
        steps = {s.name: s for s in service.store.steps(job_id)}
        assert steps["extraction"].done == steps["extraction"].total == job.pages
        assert steps["ocr"].status == "skipped"
    hits = service.search("crazy ones")
    assert hits
    assert hits[0].source_name == CRAZY


def test_duplicates_are_detected_unless_forced(service: JobService, corpus_dir: Path) -> None:
    [first] = _run(service, corpus_dir / CRAZY)
    again = service.submit([corpus_dir / CRAZY])
    assert [(s.status, s.job_id) for s in again] == [("duplicate", first)]
    changed = service.submit(
        [corpus_dir / CRAZY], options=service.default_options().__class__(dpi=72)
    )
    assert changed[0].status == "queued"
    forced = service.submit([corpus_dir / CRAZY], force=True)
    assert forced[0].status == "queued"
    assert forced[0].job_id != first
    service.wait()


def test_folders_are_walked_and_non_pdfs_skipped(
    service: JobService, corpus_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.pdf").write_bytes((corpus_dir / CRAZY).read_bytes())
    (folder / "notes.pdf").write_text("not really a PDF", encoding="utf-8")
    subs = service.submit([folder, tmp_path / "missing.pdf"])
    by_name = {s.path.name: s for s in subs}
    assert by_name["a.pdf"].status == "queued"
    assert not by_name["a.pdf"].explicit
    assert by_name["notes.pdf"].error is not None
    assert by_name["notes.pdf"].error.code == "not_a_pdf"
    assert by_name["missing.pdf"].explicit
    assert by_name["missing.pdf"].error.code == "file_not_found"
    service.wait()


def test_encrypted_file_needs_its_password_and_retry_supplies_it(
    service: JobService, corpus_dir: Path
) -> None:
    [job_id] = _run(service, corpus_dir / AES)
    job = service.get(job_id)
    assert (job.status, job.error_code, job.error_step) == ("failed", "password_required", "init")
    assert _keys(service, job_id) == {"source.pdf", "progress.json"}
    service.retry(job_id, password="wrong")
    service.wait([job_id])
    assert service.get(job_id).error_code == "wrong_password"
    service.retry(job_id, password="asdfzxcv")
    service.wait([job_id])
    assert service.get(job_id).status == "success"
    assert "asdfzxcv" not in service.store.db.execute("SELECT * FROM jobs").fetchall().__repr__()
    progress = json.dumps(service.progress(job_id))
    assert "asdfzxcv" not in progress


def test_cancel_removes_partial_outputs(service: JobService, corpus_dir: Path) -> None:
    [sub] = service.submit([corpus_dir / MANY])
    assert sub.job_id
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        doc = service.progress(sub.job_id)
        if doc and doc["step"] == "extraction" and doc["steps"][-1].get("done", 0) > 0:
            break
        time.sleep(0.05)
    assert service.cancel(sub.job_id)
    assert service.wait([sub.job_id], timeout=30)
    job = service.get(sub.job_id)
    assert (job.status, job.error_code) == ("cancelled", "cancelled")
    assert _keys(service, sub.job_id) == {"source.pdf", "progress.json"}
    assert service.store.outputs(sub.job_id) == []
    assert not (service.settings.work_root / sub.job_id).exists()
    doc = service.progress(sub.job_id)
    assert doc is not None
    assert doc["status"] == doc["step"] == "cancelled"
    assert not service.cancel(sub.job_id)  # already over


def test_export_and_remove(service: JobService, corpus_dir: Path, tmp_path: Path) -> None:
    [job_id] = _run(service, corpus_dir / TABLES)
    files = service.export(job_id, tmp_path / "export")
    names = {p.relative_to(tmp_path / "export").as_posix() for p in files}
    assert {"result.json", "document.md", "report.html", "bundle.zip", "pages/0001.png"} <= names
    assert any(name.startswith("tables/") for name in names)
    service.remove(job_id)
    assert service.list() == []
    assert _keys(service, job_id) == set()
    assert service.search("literacy") == []
    [failed] = _run(service, corpus_dir / "broken-ocrmypdf-invalid.pdf")
    with pytest.raises(JobStateError):
        service.export(failed, tmp_path / "nothing")


def test_recover_resumes_orphans_and_fails_repeat_offenders(
    service: JobService, corpus_dir: Path
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    first, second = _run(service, corpus_dir / CRAZY, corpus_dir / FRENCH)
    for job_id, attempts in ((first, 1), (second, 3)):
        service.store.update_job(job_id, status="running", step="raster", owner_pid=dead_pid,
                                 heartbeat_at=time.time(), attempts=attempts)  # fmt: skip
    resumed = service.recover()
    assert resumed == [first]
    service.wait(resumed)
    assert service.get(first).status == "success"
    repeat = service.get(second)
    assert (repeat.status, repeat.error_code) == ("failed", "interrupted")
    doc = service.progress(second)
    assert doc is not None
    assert doc["error"]["code"] == "interrupted"
    assert service.store.active_jobs() == []


@pytest.mark.timeout(120)
def test_a_worker_crash_fails_only_the_guilty_job(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    poison = corpus_dir / TWOCOL
    monkeypatch.setenv(FAULT_ENV, "sha256:" + hashlib.sha256(poison.read_bytes()).hexdigest())
    settings = Settings(home=tmp_path / "home", workers=2, concurrent_jobs=2)
    executor = ProcessExecutor(2)  # spawned after the variable is set
    try:
        with JobService(settings, executor=executor) as service:
            subs = service.submit([poison, corpus_dir / FRENCH, corpus_dir / CRAZY])
            service.wait(timeout=100)
            status = {s.path.name: service.get(s.job_id) for s in subs if s.job_id}
    finally:
        executor.shutdown()
    guilty = status[TWOCOL]
    assert (guilty.status, guilty.error_code, guilty.error_step) == (
        "failed",
        "worker_crashed",
        "init",
    )
    assert status[FRENCH].status == "success"
    assert status[CRAZY].status == "success"
    assert executor.crashes >= 1
    assert os.environ[FAULT_ENV]


def test_a_resumed_encrypted_job_without_its_password_fails_clearly(
    settings: Settings, pool: ProcessExecutor, corpus_dir: Path
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with JobService(settings, executor=pool) as first:
        [job_id] = _run(first, corpus_dir / AES, password="asdfzxcv")
        assert first.get(job_id).status == "success"
        first.store.update_job(job_id, status="running", step="extraction",
                               owner_pid=int(dead.stdout), heartbeat_at=time.time())  # fmt: skip
    with JobService(settings, executor=pool) as restarted:  # the password died with `first`
        assert restarted.recover() == [job_id]
        restarted.wait([job_id])
        job = restarted.get(job_id)
    assert (job.status, job.error_code) == ("failed", "password_required")
