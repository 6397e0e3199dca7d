"""``dataflow`` as a user runs it: a subprocess with its own data folder (DATAFLOW_HOME)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.corpus

REPO = Path(__file__).resolve().parents[2]
AES = "encrypted-pypdf-r6-aes256-user-password.pdf"
MANY = "manypages-pymupdf-mupdf-explored.pdf"
TEXT_FR = "text-fr-pdfplumber-proces-verbal-comite-demolition.pdf"
GOOD = [
    "text-en-pypdf-crazyones.pdf",
    "multilingual-pypdf-multilang.pdf",
    "tables-camelot-twotables-2.pdf",
]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")}
    env.update(DATAFLOW_HOME=str(home), DATAFLOW_WORKERS="2", PYTHONPATH=str(REPO))
    return env


def dataflow(
    home: Path, *args: str | Path, timeout: float = 150
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataflow_desktop.cli", *map(str, args)],
        cwd=REPO, env=_env(home), capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def start(home: Path, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dataflow_desktop.cli", *map(str, args)],
        cwd=REPO, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, workers included
    )  # fmt: skip


def rows(home: Path) -> list[dict[str, Any]]:
    if not (home / "dataflow.sqlite3").exists():
        return []
    conn = sqlite3.connect(f"file:{home / 'dataflow.sqlite3'}?mode=ro", uri=True, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM jobs")]
    except sqlite3.OperationalError:
        return []  # not created yet
    finally:
        conn.close()


def wait_for(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_batch_reports_each_file_and_fails_on_any_failure(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    text = tmp_path / "readme.pdf"
    text.write_text("just text, not a PDF", encoding="utf-8")
    files = [corpus_dir / GOOD[0], corpus_dir / "broken-ocrmypdf-invalid.pdf", text,
             corpus_dir / GOOD[1]]  # fmt: skip
    run = dataflow(home, "process", *files, "--json")
    assert run.returncode == 1, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["source"] for line in lines] == [str(f) for f in files]
    assert [line["status"] for line in lines] == ["success", "failed", "skipped", "success"]
    assert lines[1]["error"]["code"] == "corrupt_pdf"
    assert lines[1]["job_id"]
    assert lines[2]["error"]["code"] == "not_a_pdf"
    assert lines[2]["job_id"] is None
    for line in (lines[0], lines[3]):
        assert line["error"] is None
        assert set(line["outputs"]) == {"result", "markdown", "report", "bundle"}
        assert all(Path(p).is_file() for p in line["outputs"].values())
    failures = [line for line in run.stderr.splitlines() if line.startswith("dataflow: ")]
    assert len(failures) == 2, run.stderr  # one line per failed file, none for the others
    assert "damaged" in run.stderr
    assert "not a PDF" in run.stderr

    again = dataflow(home, "process", files[0], files[3], "--json")  # duplicates: nothing to do
    assert again.returncode == 0, again.stderr
    assert [json.loads(row)["job_id"] for row in again.stdout.splitlines()] == [
        lines[0]["job_id"],
        lines[3]["job_id"],
    ]
    assert len(rows(home)) == 3

    listed = dataflow(home, "jobs", "--status", "success", "--json")
    assert {json.loads(row)["job_id"] for row in listed.stdout.splitlines()} == {
        lines[0]["job_id"],
        lines[3]["job_id"],
    }
    shown = dataflow(home, "show", lines[1]["job_id"][:20])
    assert shown.returncode == 0
    assert "corrupt_pdf" in shown.stdout
    assert dataflow(home, "show", "20990101-000000-00000000").returncode == 5

    found = dataflow(home, "search", "Привет", "--json")
    assert found.returncode == 0
    assert json.loads(found.stdout.splitlines()[0])["job_id"] == lines[3]["job_id"]
    assert dataflow(home, "search", "zzzznotthere").returncode == 1

    export = dataflow(home, "export", lines[0]["job_id"], "--to", tmp_path / "out")
    assert export.returncode == 0
    assert (tmp_path / "out" / "result.json").is_file()
    assert dataflow(home, "export", lines[1]["job_id"], "--to", tmp_path / "x").returncode == 2

    assert dataflow(home, "rm", lines[1]["job_id"]).returncode == 0
    assert len(rows(home)) == 2
    assert not (home / "storage" / "dev" / "jobs" / lines[1]["job_id"]).exists()
    assert (home / "logs" / "dataflow.log").is_file()


def test_encrypted_file_with_and_without_password(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    run = dataflow(home, "process", corpus_dir / AES)
    assert run.returncode == 1
    assert "password" in run.stderr.lower()
    [job] = rows(home)
    assert job["error_code"] == "password_required"
    retry = dataflow(home, "retry", job["id"], "--password", "asdfzxcv", "--json")
    assert retry.returncode == 0, retry.stderr
    assert json.loads(retry.stdout)["status"] == "success"
    other = dataflow(home, "process", corpus_dir / "encrypted-tables-camelot-health-protected.pdf",
                     "--password", "userpass", "--json")  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert "userpass" not in (home / "logs" / "dataflow.log").read_text(encoding="utf-8")


def test_cancel_from_another_process(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    proc = start(home, "process", corpus_dir / MANY, "--json")
    try:
        wait_for(lambda: any(r["status"] == "running" and r["percent"] > 5 for r in rows(home)))
        job_id = rows(home)[0]["id"]
        cancel = dataflow(home, "cancel", job_id)
        assert cancel.returncode == 0, cancel.stderr
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode != 0
    assert json.loads(out)["status"] == "cancelled"
    assert "CANCELLED" in err
    [row] = rows(home)
    assert (row["status"], row["error_code"]) == ("cancelled", "cancelled")
    assert dataflow(home, "cancel", job_id).returncode == 2  # nothing left to cancel


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_cancels_running_jobs_and_exits_130(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    proc = start(home, "process", corpus_dir / MANY)
    try:
        wait_for(lambda: any(r["status"] == "running" and r["percent"] > 5 for r in rows(home)))
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert {r["status"] for r in rows(home)} == {"cancelled"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_crash_mid_batch_then_run_again(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    batch = [corpus_dir / name for name in ("multicolumn-pdfjs-tracemonkey.pdf", *GOOD, TEXT_FR)]
    proc = start(home, "process", *batch)
    # Killed once the 14-page paper is past its extraction chunks: the rerun must reuse them.
    wait_for(lambda: any(r["status"] == "running" and r["percent"] > 45 for r in rows(home)), 90)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers die mid-write
    proc.wait()
    assert any(r["status"] in ("queued", "running") for r in rows(home))

    again = dataflow(home, "process", *batch, "--json", timeout=170)
    assert again.returncode == 0, again.stderr
    assert "resuming interrupted job" in again.stderr
    log = (home / "logs" / "dataflow.log").read_text(encoding="utf-8")
    assert "extraction reuses" in log or "raster reuses" in log  # resumed at chunk level
    final = rows(home)
    assert len(final) == len(batch)
    for row in final:
        assert row["status"] == "success" or (row["status"], row["error_code"]) == (
            "failed",
            "interrupted",
        )
    conn = sqlite3.connect(home / "dataflow.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    storage = home / "storage"
    assert list(storage.rglob(".tmp-*")) == []
    for result in storage.rglob("result.json"):
        assert json.loads(result.read_text(encoding="utf-8"))["schema"] == 1
    assert not any((home / "work").iterdir()) if (home / "work").exists() else True
