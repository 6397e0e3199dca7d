"""The job store's schema: ordered migrations and the typed rows read back from it.

Migrations are append-only: a released migration is never edited, a change is a new
function at the end of :data:`MIGRATIONS`. ``schema_version`` holds the number of the
last one applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Final

JOB_STATUSES: Final = ("queued", "running", "success", "failed", "cancelled")
ACTIVE_STATUSES: Final = ("queued", "running")
TERMINAL_STATUSES: Final = ("success", "failed", "cancelled")


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # Not executescript(): it commits first, and a migration must run inside the
    # caller's transaction so that a failed one leaves the schema as it was.
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1_tables(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            source_name TEXT NOT NULL,
            source_path TEXT,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            pages INTEGER,
            options_json TEXT NOT NULL,
            options_fp TEXT NOT NULL,
            env TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('queued', 'running', 'success', 'failed', 'cancelled')),
            step TEXT NOT NULL,
            percent REAL NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT '',
            error_code TEXT,
            error_message TEXT,
            error_step TEXT,
            created_at TEXT NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX jobs_status ON jobs (status);
        CREATE INDEX jobs_duplicate ON jobs (sha256, options_fp, status);
        CREATE TABLE steps (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            done INTEGER,
            total INTEGER,
            started_at TEXT,
            ended_at TEXT,
            duration_ms INTEGER,
            PRIMARY KEY (job_id, name)
        );
        CREATE TABLE outputs (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            sha256 TEXT,
            PRIMARY KEY (job_id, name)
        );
        -- remove_diacritics so that "resume" finds "résumé" in French documents.
        CREATE VIRTUAL TABLE page_text USING fts5 (
            text, job_id UNINDEXED, page UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """,
    )


def _v2_control(conn: sqlite3.Connection) -> None:
    # Cross-process control: a `dataflow cancel` in another process sets
    # cancel_requested; the owning process polls it and renews its heartbeat so that
    # recovery can tell a live owner from a crashed one.
    _script(
        conn,
        """
        ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
        ALTER TABLE jobs ADD COLUMN owner_host TEXT;
        ALTER TABLE jobs ADD COLUMN heartbeat_at REAL;
        ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        """,
    )


def _v3_sync(conn: sqlite3.Connection) -> None:
    # Sync: sync_log is the executor's durable memory (one row per job, remote and key;
    # it is also the ownership marker: what this job wrote remotely), job_sync the
    # per-job sync state the GUI and the CLI show. Rows go with their job (CASCADE).
    _script(
        conn,
        """
        CREATE TABLE sync_log (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            remote TEXT NOT NULL,
            key TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('pending', 'uploaded', 'verified', 'corrupt', 'conflict')),
            remote_sha256 TEXT,
            local_deleted INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (job_id, remote, key)
        );
        CREATE TABLE job_sync (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            remote TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'uploading', 'synced', 'waiting', 'error', 'conflict')),
            done_bytes INTEGER NOT NULL DEFAULT 0,
            total_bytes INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT '',
            error_code TEXT,
            conflicts TEXT NOT NULL DEFAULT '[]',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL,
            cloud_only INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (job_id, remote)
        );
        CREATE INDEX job_sync_state ON job_sync (state)
        """,
    )


Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: Final[tuple[Migration, ...]] = (_v1_tables, _v2_control, _v3_sync)
"""Applied in order; version ``n`` means ``MIGRATIONS[:n]`` have run."""


@dataclass(frozen=True, slots=True)
class JobRecord:
    """One row of ``jobs`` (never holds a password).

    Attributes:
        id: the job id (``storage.keys.new_job_id``).
        source_name: the file name shown to people.
        source_path: where the file was picked up (may no longer exist).
        status: ``queued | running | success | failed | cancelled``.
        step: the current (or terminal) step name.
        error_code: stable :class:`~dataflow_desktop.errors.ErrorCode` value, if any.
    """

    id: str
    source_name: str
    source_path: str | None
    sha256: str
    bytes: int
    pages: int | None
    options_json: str
    options_fp: str
    env: str
    status: str
    step: str
    percent: float
    message: str
    error_code: str | None
    error_message: str | None
    error_step: str | None
    created_at: str
    started_at: str | None
    ended_at: str | None
    updated_at: str
    cancel_requested: int = 0
    owner_pid: int | None = None
    owner_host: str | None = None
    heartbeat_at: float | None = None
    attempts: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> JobRecord:
        """Build a record from a ``SELECT *`` row."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})

    @property
    def active(self) -> bool:
        """Whether the job is queued or running."""
        return self.status in ACTIVE_STATUSES

    @property
    def error(self) -> dict[str, str | None] | None:
        """``{code, message, step}`` or ``None``."""
        if self.error_code is None:
            return None
        return {"code": self.error_code, "message": self.error_message, "step": self.error_step}


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One row of ``steps``."""

    job_id: str
    name: str
    status: str
    done: int | None
    total: int | None
    started_at: str | None
    ended_at: str | None
    duration_ms: int | None


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One stored result file of a job (``name`` is relative to the job folder)."""

    job_id: str
    name: str
    key: str
    bytes: int
    sha256: str | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One page matching a full-text query.

    Attributes:
        job_id: the job.
        source_name: the document's file name.
        page: 1-based page number.
        snippet: matching text with hits between the caller's markers.
    """

    job_id: str
    source_name: str
    page: int
    snippet: str


__all__ = [
    "ACTIVE_STATUSES",
    "JOB_STATUSES",
    "MIGRATIONS",
    "TERMINAL_STATUSES",
    "JobRecord",
    "OutputRecord",
    "SearchHit",
    "StepRecord",
]
