"""Sync tables of the job store: the executor's log and each job's sync state.

``sync/`` defines what its executor needs as the ``SyncLog`` protocol (it may not
import ``jobs/``); :class:`SqliteSyncLog` implements it on the ``sync_log`` table.
:class:`SyncStates` reads and writes ``job_sync``: the per-job state the GUI shows
(``local``, ``uploading`` n %, ``synced``, ``waiting`` for the network, ``error``,
``conflict``). Both go through the store's one serialized writer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..sync.log import LogUpdate
from ..sync.planner import LogState, SnapshotEntry
from ._time import utc_iso
from .store import JobStore


class SyncStatus(StrEnum):
    """A job's sync state on one remote."""

    LOCAL = "local"  # not asked to sync (no row)
    PENDING = "pending"  # asked, not started yet
    UPLOADING = "uploading"
    SYNCED = "synced"  # every file verified in the bucket
    WAITING = "waiting"  # waiting for the network; retried later
    ERROR = "error"  # needs a person (keys, rights, quota...)
    CONFLICT = "conflict"  # remote files this job did not write are in the way


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the GUI shows of a job's sync (``JobService.sync_state``).

    Attributes:
        job_id: the job.
        remote: the remote's name (``None`` for ``local``).
        status: a :class:`SyncStatus`.
        done_bytes: bytes verified or sent so far.
        total_bytes: bytes of the job's files.
        message: a sentence for people (why it waits, what is wrong).
        error_code: stable code of the last error.
        conflicts: keys left alone because of a conflict.
        attempts: sync attempts so far.
        next_attempt_at: POSIX time of the next automatic retry (``waiting``).
        cloud_only: the heavy local copies were removed after verification.
        updated_at: last change.
    """

    job_id: str
    remote: str | None
    status: SyncStatus
    done_bytes: int = 0
    total_bytes: int = 0
    message: str = ""
    error_code: str | None = None
    conflicts: tuple[str, ...] = ()
    attempts: int = 0
    next_attempt_at: float | None = None
    cloud_only: bool = False
    updated_at: str | None = None

    @property
    def percent(self) -> float:
        """Upload progress, 0-100 (100 once synced)."""
        if self.status is SyncStatus.SYNCED:
            return 100.0
        if self.total_bytes <= 0:
            return 0.0
        return round(min(100.0, 100.0 * self.done_bytes / self.total_bytes), 1)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SyncState:
        """Build a state from a ``job_sync`` row."""
        return cls(
            job_id=row["job_id"],
            remote=row["remote"],
            status=SyncStatus(row["state"]),
            done_bytes=row["done_bytes"],
            total_bytes=row["total_bytes"],
            message=row["message"],
            error_code=row["error_code"],
            conflicts=tuple(json.loads(row["conflicts"] or "[]")),
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            cloud_only=bool(row["cloud_only"]),
            updated_at=row["updated_at"],
        )


class SqliteSyncLog:
    """The ``SyncLog`` of :mod:`dataflow_desktop.sync.log` on the ``sync_log`` table."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def snapshot(self, job_id: str, remote: str) -> dict[str, SnapshotEntry]:
        """Every entry of ``job_id`` on ``remote``, by key."""
        rows = self.store._query(
            "SELECT key, sha256, size, state, remote_sha256, local_deleted FROM sync_log "
            "WHERE job_id = ? AND remote = ?",
            [job_id, remote],
        )
        return {
            row["key"]: SnapshotEntry(
                row["key"],
                row["sha256"],
                row["size"],
                LogState(row["state"]),
                row["remote_sha256"],
                bool(row["local_deleted"]),
            )
            for row in rows
        }

    def record(self, job_id: str, remote: str, updates: Sequence[LogUpdate]) -> None:
        """Upsert ``updates`` in one transaction (``None`` fields keep their value)."""
        if not updates:
            return
        now = utc_iso()
        rows = [
            (
                job_id,
                remote,
                u.key,
                u.sha256,
                u.size,
                u.state.value,
                u.remote_sha256,
                None if u.local_deleted is None else int(u.local_deleted),
                now,
            )
            for u in updates
        ]
        with self.store._write() as conn:
            conn.executemany(
                "INSERT INTO sync_log (job_id, remote, key, sha256, size, state, remote_sha256, "
                "local_deleted, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?) "
                "ON CONFLICT (job_id, remote, key) DO UPDATE SET sha256 = excluded.sha256, "
                "size = excluded.size, state = excluded.state, "
                "remote_sha256 = COALESCE(?7, sync_log.remote_sha256), "
                "local_deleted = COALESCE(?8, sync_log.local_deleted), "
                "updated_at = excluded.updated_at",
                rows,
            )

    def count(self, job_id: str, remote: str, state: LogState) -> int:
        """How many keys of the job are in ``state`` (tests, diagnostics)."""
        rows = self.store._query(
            "SELECT COUNT(*) AS n FROM sync_log WHERE job_id = ? AND remote = ? AND state = ?",
            [job_id, remote, state.value],
        )
        return int(rows[0]["n"])


class SyncStates:
    """The ``job_sync`` table: one row per job and remote it was asked to sync to."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def set(self, job_id: str, remote: str, status: SyncStatus, **values: Any) -> None:
        """Insert or update the row; unnamed columns keep their value (or default)."""
        allowed = {
            "done_bytes",
            "total_bytes",
            "message",
            "error_code",
            "conflicts",
            "attempts",
            "next_attempt_at",
            "cloud_only",
        }
        bad = set(values) - allowed
        if bad:
            raise ValueError(f"unknown sync state columns {sorted(bad)}")
        if "conflicts" in values:
            values["conflicts"] = json.dumps(list(values["conflicts"]))
        if isinstance(values.get("error_code"), StrEnum):
            values["error_code"] = values["error_code"].value
        values.update(state=status.value, updated_at=utc_iso())
        names = ", ".join(["job_id", "remote", *values])
        marks = ", ".join("?" for _ in range(len(values) + 2))
        assignments = ", ".join(f"{name} = excluded.{name}" for name in values)
        with self.store._write() as conn:
            conn.execute(
                f"INSERT INTO job_sync ({names}) VALUES ({marks}) "
                f"ON CONFLICT (job_id, remote) DO UPDATE SET {assignments}",
                [job_id, remote, *values.values()],
            )

    def progress(self, job_id: str, remote: str, done: int, total: int) -> None:
        """Record upload progress (cheap: two columns)."""
        with self.store._write() as conn:
            conn.execute(
                "UPDATE job_sync SET done_bytes = ?, total_bytes = ?, updated_at = ? "
                "WHERE job_id = ? AND remote = ?",
                [done, total, utc_iso(), job_id, remote],
            )

    def get(self, job_id: str, remote: str | None = None) -> SyncState:
        """The job's state on ``remote`` (default: its most recently updated one)."""
        if remote is None:
            rows = self.store._query(
                "SELECT * FROM job_sync WHERE job_id = ? ORDER BY updated_at DESC LIMIT 1",
                [job_id],
            )
        else:
            rows = self.store._query(
                "SELECT * FROM job_sync WHERE job_id = ? AND remote = ?", [job_id, remote]
            )
        if not rows:
            return SyncState(job_id, remote, SyncStatus.LOCAL)
        return SyncState.from_row(rows[0])

    def all(self, remote: str | None = None) -> dict[str, SyncState]:
        """Every job's state, by job id (the most recent remote per job)."""
        rows = self.store._query("SELECT * FROM job_sync ORDER BY updated_at")
        return {
            row["job_id"]: SyncState.from_row(row)
            for row in rows
            if remote is None or row["remote"] == remote
        }

    def unfinished(self, remote: str | None = None) -> list[SyncState]:
        """Rows not ``synced``, oldest first (what ``dataflow sync`` pushes)."""
        rows = self.store._query(
            "SELECT * FROM job_sync WHERE state != 'synced' ORDER BY updated_at"
        )
        return [
            SyncState.from_row(row) for row in rows if remote is None or row["remote"] == remote
        ]


__all__ = ["SqliteSyncLog", "SyncState", "SyncStates", "SyncStatus"]
