"""The SQLite job store (sqlite-utils): jobs, steps, outputs and a full-text page index.

One writer: every write goes through a single connection guarded by a lock, so any
thread may call the store (Anki's serialized DB access). WAL lets other processes (a
second CLI, the GUI) read while a job writes, and ``busy_timeout`` makes a competing
writer wait instead of failing. Passwords are never stored.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import ErrorCode, JobStoreError
from ..pipeline.options import PipelineOptions
from ._fts import PageIndex
from ._schema import ACTIVE_STATUSES, MIGRATIONS, JobRecord, OutputRecord, StepRecord
from ._time import utc_iso

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# Columns callers may set through update_job (ids, hashes and options are immutable).
_UPDATABLE = frozenset(
    {
        "source_path", "sha256", "bytes", "pages", "status", "step", "percent", "message",
        "error_code", "error_message", "error_step", "started_at", "ended_at",
        "cancel_requested", "owner_pid", "owner_host", "heartbeat_at", "attempts",
    }
)  # fmt: skip


class JobNotFoundError(JobStoreError):
    """No job has the given id (or the prefix matches none or several)."""

    code = ErrorCode.JOB_NOT_FOUND

    def __init__(self, job_id: str, detail: str | None = None) -> None:
        super().__init__(f"No job has the id {job_id!r}. It may have been removed.", detail=detail)
        self.job_id = job_id


class JobStore(PageIndex):
    """Job rows, step rows, output rows and the page-text index of one installation."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        try:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.enable_wal()
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; fsync at checkpoint
            self._migrate()
        except sqlite3.Error as exc:
            raise JobStoreError(detail=f"{path}: {exc}") from exc

    # -- plumbing ---------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One serialized write transaction (``BEGIN IMMEDIATE`` takes the lock up front)."""
        with self._lock:
            conn = self.db.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise JobStoreError(detail=str(exc)) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return [dict(row) for row in self.db.query(sql, list(params))]
            except sqlite3.Error as exc:
                raise JobStoreError(detail=str(exc)) from exc

    def _migrate(self) -> None:
        with self._write() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            current = int(row[0]) if row else 0
            for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                log.info("Migrating job store %s to schema version %d", self.path, number)
                migration(conn)
                conn.execute("UPDATE schema_version SET version = ?", (number,))

    @property
    def schema_version(self) -> int:
        """The number of migrations applied."""
        return int(self._query("SELECT version FROM schema_version")[0]["version"])

    def pragma(self, name: str) -> str:
        """The value of a read-only pragma (``journal_mode``, ``integrity_check``...)."""
        if not name.isidentifier():
            raise ValueError(name)
        return str(self._query(f"PRAGMA {name}")[0].popitem()[1])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.db.conn.close()

    # -- jobs -------------------------------------------------------------------------

    def create_job(
        self,
        *,
        job_id: str,
        source_name: str,
        source_path: str | None,
        sha256: str,
        size: int,
        options: PipelineOptions,
        env: str,
    ) -> JobRecord:
        """Insert a ``queued`` job at step ``init``."""
        now = utc_iso()
        row = {
            "id": job_id, "source_name": source_name, "source_path": source_path,
            "sha256": sha256, "bytes": size, "pages": None,
            "options_json": options_to_json(options), "options_fp": options.fingerprint(),
            "env": env, "status": "queued", "step": "init", "percent": 0.0, "message": "",
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._write() as conn:
            conn.execute(f"INSERT INTO jobs ({names}) VALUES ({marks})", list(row.values()))
        return self.get(job_id)

    def update_job(self, job_id: str, **values: Any) -> None:
        """Set columns of a job (``updated_at`` follows)."""
        bad = set(values) - _UPDATABLE
        if bad:
            raise ValueError(f"not updatable: {sorted(bad)}")
        values["updated_at"] = utc_iso()
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self._write() as conn:
            conn.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", [*values.values(), job_id])

    def find(self, job_id: str) -> JobRecord | None:
        """The job with this exact id, or ``None``."""
        rows = self._query("SELECT * FROM jobs WHERE id = ?", [job_id])
        return JobRecord.from_row(rows[0]) if rows else None

    def get(self, job_id: str) -> JobRecord:
        """The job with this id, or the only one whose id starts with it."""
        record = self.find(job_id)
        if record is not None:
            return record
        pattern = job_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._query("SELECT * FROM jobs WHERE id LIKE ? ESCAPE '\\' LIMIT 2", [pattern])
        if len(rows) != 1:
            raise JobNotFoundError(job_id, detail="ambiguous prefix" if rows else None)
        return JobRecord.from_row(rows[0])

    def list_jobs(self, status: str | None = None) -> list[JobRecord]:
        """Jobs, newest first, optionally only those with ``status``."""
        if status is None:
            rows = self._query("SELECT * FROM jobs ORDER BY created_at DESC, id DESC")
        else:
            rows = self._query(
                "SELECT * FROM jobs WHERE status = ? ORDER BY created_at DESC, id DESC", [status]
            )
        return [JobRecord.from_row(row) for row in rows]

    def active_jobs(self) -> list[JobRecord]:
        """Jobs left ``queued`` or ``running``, oldest first."""
        marks = ", ".join("?" for _ in ACTIVE_STATUSES)
        rows = self._query(
            f"SELECT * FROM jobs WHERE status IN ({marks}) ORDER BY created_at, id",
            ACTIVE_STATUSES,
        )
        return [JobRecord.from_row(row) for row in rows]

    def find_duplicate(self, sha256: str, options_fp: str) -> JobRecord | None:
        """A succeeded job (else an active one) over the same bytes and options."""
        rows = self._query(
            "SELECT * FROM jobs WHERE sha256 = ? AND options_fp = ? "
            "AND status IN ('success', 'queued', 'running') "
            "ORDER BY status = 'success' DESC, created_at DESC LIMIT 1",
            [sha256, options_fp],
        )
        return JobRecord.from_row(rows[0]) if rows else None

    def delete_job(self, job_id: str) -> None:
        """Remove the job and its steps, outputs and indexed text."""
        with self._write() as conn:
            for table in ("page_text", "outputs", "steps"):
                conn.execute(f"DELETE FROM {table} WHERE job_id = ?", [job_id])
            conn.execute("DELETE FROM jobs WHERE id = ?", [job_id])

    # -- cross-process control ----------------------------------------------------------

    def request_cancel(self, job_id: str) -> None:
        """Flag the job for cancellation; its owning process polls the flag."""
        self.update_job(job_id, cancel_requested=1)

    def cancel_requested(self, job_ids: Iterable[str]) -> set[str]:
        """Which of ``job_ids`` have a pending cancel request."""
        ids = list(job_ids)
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = self._query(
            f"SELECT id FROM jobs WHERE cancel_requested = 1 AND id IN ({marks})", ids
        )
        return {str(row["id"]) for row in rows}

    def heartbeat(self, job_ids: Iterable[str], now: float) -> None:
        """Renew the owner's lease on ``job_ids``."""
        ids = list(job_ids)
        if not ids:
            return
        marks = ", ".join("?" for _ in ids)
        with self._write() as conn:
            conn.execute(f"UPDATE jobs SET heartbeat_at = ? WHERE id IN ({marks})", [now, *ids])

    # -- steps and outputs -----------------------------------------------------------------

    def save_step(self, step: StepRecord) -> None:
        """Insert or replace one step row."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO steps (job_id, name, status, done, total, started_at, "
                "ended_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [step.job_id, step.name, step.status, step.done, step.total, step.started_at,
                 step.ended_at, step.duration_ms],
            )  # fmt: skip

    def steps(self, job_id: str) -> list[StepRecord]:
        """The job's step rows (unordered; callers order by the step list)."""
        rows = self._query("SELECT * FROM steps WHERE job_id = ?", [job_id])
        return [StepRecord(**row) for row in rows]

    def reset_run(self, job_id: str) -> None:
        """Forget steps, outputs, index and error so the job can run again from ``queued``."""
        with self._write() as conn:
            for table in ("page_text", "outputs", "steps"):
                conn.execute(f"DELETE FROM {table} WHERE job_id = ?", [job_id])
            conn.execute(
                "UPDATE jobs SET status = 'queued', step = 'init', percent = 0, message = '', "
                "error_code = NULL, error_message = NULL, error_step = NULL, started_at = NULL, "
                "ended_at = NULL, cancel_requested = 0, updated_at = ? WHERE id = ?",
                [utc_iso(), job_id],
            )

    def add_outputs(self, outputs: Iterable[OutputRecord]) -> None:
        """Record stored result files (replacing rows of the same name)."""
        rows = [(o.job_id, o.name, o.key, o.bytes, o.sha256) for o in outputs]
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO outputs (job_id, name, key, bytes, sha256) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def clear_outputs(self, job_id: str) -> None:
        """Forget the job's output rows and indexed text (after a failure or cancel)."""
        with self._write() as conn:
            conn.execute("DELETE FROM outputs WHERE job_id = ?", [job_id])
            conn.execute("DELETE FROM page_text WHERE job_id = ?", [job_id])

    def outputs(self, job_id: str) -> list[OutputRecord]:
        """The job's stored result files, by name."""
        rows = self._query("SELECT * FROM outputs WHERE job_id = ? ORDER BY name", [job_id])
        return [OutputRecord(**row) for row in rows]


def options_to_json(options: PipelineOptions) -> str:
    """Canonical JSON of the options (the password is not an option, by design)."""
    return json.dumps(options.to_dict(), sort_keys=True, separators=(",", ":"))


__all__ = ["JobNotFoundError", "JobStore", "options_to_json"]
