"""The SQLite job store: migrations, WAL, one writer, duplicates, full-text search."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from dataflow_desktop.jobs import JobNotFoundError, JobStore, OutputRecord, StepRecord
from dataflow_desktop.jobs._fts import fts_query
from dataflow_desktop.jobs._schema import MIGRATIONS
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.storage.keys import new_job_id

SHA = "a" * 64


def _job(store: JobStore, name: str = "a.pdf", sha: str = SHA, **options: object) -> str:
    job_id = new_job_id()
    store.create_job(
        job_id=job_id, source_name=name, source_path=f"/in/{name}", sha256=sha, size=10,
        options=PipelineOptions(**options), env="dev",  # type: ignore[arg-type]
    )  # fmt: skip
    return job_id


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "db.sqlite3")


def test_migrations_run_once_in_order_and_wal_is_on(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = JobStore(path)
    assert first.schema_version == len(MIGRATIONS)
    assert first.pragma("journal_mode") == "wal"
    assert int(first.pragma("busy_timeout")) >= 5000
    job_id = _job(first)
    first.close()
    again = JobStore(path)  # re-opening applies nothing and keeps the data
    assert again.schema_version == len(MIGRATIONS)
    assert again.get(job_id).status == "queued"
    assert again.pragma("integrity_check") == "ok"


def test_upgrade_from_version_1_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    MIGRATIONS[0](conn)
    conn.execute(
        "INSERT INTO jobs (id, source_name, sha256, bytes, options_json, options_fp, env, status,"
        " step, created_at, updated_at) VALUES ('20260101-000000-0000abcd', 'x.pdf', ?, 1, '{}',"
        " 'fp', 'dev', 'success', 'success', 't', 't')",
        [SHA],
    )
    conn.commit()
    conn.close()
    store = JobStore(path)
    assert store.schema_version == len(MIGRATIONS)
    job = store.get("20260101-000000-0000abcd")
    assert job.cancel_requested == 0
    assert job.attempts == 0


def test_get_by_prefix_and_not_found(store: JobStore) -> None:
    job_id = _job(store)
    assert store.get(job_id[:12]).id == job_id
    with pytest.raises(JobNotFoundError) as info:
        store.get("20990101")
    assert info.value.exit_code == 5


def test_update_rejects_unknown_columns(store: JobStore) -> None:
    job_id = _job(store)
    store.update_job(job_id, status="running", percent=12.5)
    assert store.get(job_id).percent == 12.5
    with pytest.raises(ValueError, match="not updatable"):
        store.update_job(job_id, id="x")


def test_duplicate_needs_same_bytes_and_options(store: JobStore) -> None:
    job_id = _job(store)
    fp = PipelineOptions().fingerprint()
    assert store.find_duplicate(SHA, fp) is not None  # queued counts as in progress
    store.update_job(job_id, status="failed")
    assert store.find_duplicate(SHA, fp) is None  # a failed job is no reason to skip
    store.update_job(job_id, status="success")
    assert store.find_duplicate(SHA, fp).id == job_id  # type: ignore[union-attr]
    assert store.find_duplicate(SHA, PipelineOptions(dpi=300).fingerprint()) is None
    assert store.find_duplicate("b" * 64, fp) is None


def test_steps_outputs_and_delete(store: JobStore) -> None:
    job_id = _job(store)
    store.save_step(StepRecord(job_id, "init", "done", None, None, "a", "b", 3))
    store.save_step(StepRecord(job_id, "init", "done", 1, 1, "a", "b", 4))
    assert [s.duration_ms for s in store.steps(job_id)] == [4]
    store.add_outputs([OutputRecord(job_id, "result.json", "k", 3, SHA)])
    assert store.outputs(job_id)[0].name == "result.json"
    store.index_pages(job_id, [(1, "hello world")])
    store.delete_job(job_id)
    assert store.find(job_id) is None
    assert store.outputs(job_id) == []
    assert store.search("hello") == []


def test_search_ranks_snippets_and_is_safe(store: JobStore) -> None:
    one = _job(store, "one.pdf")
    two = _job(store, "two.pdf", sha="b" * 64)
    store.index_pages(one, [(1, "The quick brown fox"), (2, "Procès-verbal de la séance")])
    store.index_pages(two, [(1, "lazy dog and a fox")])
    hits = store.search("fox")
    assert {(h.source_name, h.page) for h in hits} == {("one.pdf", 1), ("two.pdf", 1)}
    assert "[fox]" in hits[0].snippet
    assert [h.page for h in store.search("seance")] == [2]  # diacritics folded
    assert store.search("qui*")[0].page == 1  # prefix search kept
    for hostile in [
        '"',
        "fox AND",
        "NEAR(",
        "text:fox",
        "a OR",
        "-",
        "*",
        "'); DROP TABLE jobs;--",
    ]:
        store.search(hostile)  # never an FTS5 syntax error
    assert [h.source_name for h in store.search("fox AND dog")] == ["two.pdf"]  # a word here
    store.index_pages(one, [(1, "replaced")])  # re-indexing replaces the job's pages
    assert store.search("quick") == []


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('say "hi" now*') == '"say" """hi""" "now"*'
    assert fts_query("  ") == ""


def test_writes_from_many_threads_are_serialized(store: JobStore) -> None:
    ids = [_job(store, f"{i}.pdf", sha=f"{i:064d}") for i in range(4)]

    def bump(job_id: str) -> None:
        for n in range(50):
            store.update_job(job_id, percent=float(n))
            store.heartbeat(ids, float(n))

    threads = [threading.Thread(target=bump, args=(job_id,)) for job_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {store.get(job_id).percent for job_id in ids} == {49.0}


def test_cancel_request_is_seen_by_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    owner = JobStore(path)
    job_id = _job(owner)
    other = JobStore(path)  # e.g. `dataflow cancel` in another process
    other.request_cancel(job_id)
    assert owner.cancel_requested([job_id]) == {job_id}
