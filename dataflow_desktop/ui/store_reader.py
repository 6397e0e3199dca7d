"""Read-only polling of the job store and of active jobs' progress.json (no Qt).

Runs on a task thread. Jobs started by another process (the CLI) on the same data
folder appear here too: ``PRAGMA data_version`` tells cheaply whether any other
connection committed since the last poll, and only rows whose ``updated_at`` moved are
read again. progress.json of queued and running jobs is re-read only when its
modification time changes; whichever of the row and the file is newer wins. Each
job's sync state (the ``job_sync`` table, most recently updated remote) is read in the
same poll, so the Sync column moves with an upload.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ..errors import StorageError
from ..storage.base import FileStorage
from ..storage.keys import InvalidKeyError, job_key

log = logging.getLogger(__name__)

ACTIVE = frozenset({"queued", "running"})
_COLUMNS = (
    "id, source_name, source_path, sha256, pages, env, status, step, percent, message, "
    "error_code, error_message, created_at, started_at, ended_at, updated_at, owner_pid"
)
# The latest sync state of each job (a job synced to two remotes shows the newer one).
_SYNC_QUERY = (
    "SELECT job_id, state, done_bytes, total_bytes, message FROM job_sync ORDER BY updated_at"
)


@dataclass(frozen=True, slots=True)
class JobRow:
    """What the job list shows of one job.

    Attributes:
        done: units done in the current step (from progress.json), if known.
        total: units of the current step, if known.
        sync: the sync state (``local``, ``pending``, ``uploading``, ``synced``,
            ``waiting``, ``error``, ``conflict``).
        sync_percent: upload progress, 0-100.
        sync_message: why a sync waits or failed (English, from the engine).
    """

    id: str
    name: str
    source_path: str | None
    pages: int | None
    env: str
    status: str
    step: str
    percent: float
    message: str
    error_code: str | None
    error_message: str | None
    created_at: str
    started_at: str | None
    ended_at: str | None
    updated_at: str
    done: int | None = None
    total: int | None = None
    sha256: str = ""
    owner_pid: int | None = None
    sync: str = "local"
    sync_percent: float = 0.0
    sync_message: str = ""

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.status in ACTIVE


@dataclass
class Changes:
    """Rows that appeared or changed, and ids that disappeared, since the last poll."""

    upserts: dict[str, JobRow] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.upserts or self.removed)

    def merge(self, newer: Changes) -> Changes:
        """This batch followed by ``newer`` (for coalescing undelivered updates)."""
        upserts = {k: v for k, v in self.upserts.items() if k not in newer.removed}
        upserts.update(newer.upserts)
        removed = (self.removed - set(newer.upserts)) | newer.removed
        return Changes(upserts, removed)


def coalesce(older: Changes, newer: Changes) -> Changes:
    """``Task`` coalesce function: no change is lost when updates are throttled."""
    return older.merge(newer)


class StoreReader:
    """Polls one data folder's job store and progress files.

    Args:
        db_path: the SQLite job store (``settings.db_path``).
        storage: the storage holding progress.json files.
    """

    def __init__(self, db_path: Path, storage: FileStorage) -> None:
        self._db_path = db_path
        self._storage = storage
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._rows: dict[str, JobRow] = {}
        self._progress_mtime: dict[str, float] = {}
        self._reset = False

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            # Our own connection: its data_version moves when *any* other one commits.
            conn = sqlite3.connect(self._db_path, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 2000")
            conn.execute("PRAGMA query_only = ON")
            self._conn = conn
        return self._conn

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def invalidate(self) -> None:
        """Forget what was seen: the next poll reports every job again (F5).

        Called from the GUI thread while :meth:`poll` runs on the poller thread, so it
        only raises a flag that the poller acts on.
        """
        self._reset = True

    def poll(self) -> Changes:
        """What changed since the previous call (everything on the first call)."""
        changes = Changes()
        if not self._db_path.exists():
            return changes
        if self._reset:
            self._reset = False
            self._version = None
            self._rows.clear()
            self._progress_mtime.clear()
        try:
            self._poll_rows(changes)
        except sqlite3.Error as exc:
            # Busy, briefly locked, or not created yet: report nothing, try next poll.
            log.debug("Job store poll failed: %s", exc)
        for row in list(self._rows.values()):
            if row.active:
                self._poll_progress(row, changes)
        return changes

    def _poll_rows(self, changes: Changes) -> None:
        conn = self._connect()
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        if version == self._version:
            return
        stamps = {r[0]: r[1] for r in conn.execute("SELECT id, updated_at FROM jobs")}
        stale = [
            i for i, s in stamps.items() if i not in self._rows or self._rows[i].updated_at != s
        ]
        for chunk_start in range(0, len(stale), 500):
            chunk = stale[chunk_start : chunk_start + 500]
            marks = ", ".join("?" for _ in chunk)
            query = f"SELECT {_COLUMNS} FROM jobs WHERE id IN ({marks})"
            for record in conn.execute(query, chunk):
                row = _row(record)
                old = self._rows.get(row.id)
                if old is not None and old.step == row.step and old.total is not None:
                    row = replace(row, done=old.done, total=old.total)
                if old is not None:  # the sync state is read below, from its own table
                    row = replace(row, sync=old.sync, sync_percent=old.sync_percent,
                                  sync_message=old.sync_message)  # fmt: skip
                self._rows[row.id] = row
                changes.upserts[row.id] = row
        for gone in set(self._rows) - set(stamps):
            del self._rows[gone]
            self._progress_mtime.pop(gone, None)
            changes.removed.add(gone)
        self._poll_sync(conn, changes)
        self._version = version

    def _poll_sync(self, conn: sqlite3.Connection, changes: Changes) -> None:
        """Apply each job's latest sync state (one small query, only after a commit)."""
        latest: dict[str, tuple[str, float, str]] = {}
        for job_id, state, done, total, message in conn.execute(_SYNC_QUERY):
            percent = 100.0 if state == "synced" else 100.0 * done / total if total > 0 else 0.0
            latest[job_id] = (state, round(min(percent, 100.0), 1), message or "")
        for job_id, row in self._rows.items():
            state, percent, message = latest.get(job_id, ("local", 0.0, ""))
            if (row.sync, row.sync_percent, row.sync_message) != (state, percent, message):
                synced = replace(row, sync=state, sync_percent=percent, sync_message=message)
                self._rows[job_id] = synced
                changes.upserts[job_id] = synced

    def _poll_progress(self, row: JobRow, changes: Changes) -> None:
        try:
            key = job_key(row.env, row.id, "progress.json")
            mtime = self._storage.info(key).modified
        except (FileNotFoundError, InvalidKeyError, StorageError):
            return
        if self._progress_mtime.get(row.id) == mtime:
            return
        try:
            with self._storage.open_read(key) as handle:
                doc: dict[str, Any] = json.load(handle)
        except (FileNotFoundError, ValueError, StorageError):
            return  # replaced between info and read; the next poll sees the new file
        self._progress_mtime[row.id] = mtime
        merged = merge_progress(row, doc)
        if merged != row:
            self._rows[row.id] = merged
            changes.upserts[row.id] = merged


def merge_progress(row: JobRow, doc: dict[str, Any]) -> JobRow:
    """``row`` updated from its progress.json when the file is at least as new."""
    step = str(doc.get("step") or row.step)
    done = total = None
    for entry in doc.get("steps") or ():
        if entry.get("name") == step and entry.get("total"):
            done, total = int(entry.get("done") or 0), int(entry["total"])
    if str(doc.get("updated_at") or "") < row.updated_at:
        # The row is newer (the store mirrors each write): keep it, add the step counts.
        return replace(row, done=done, total=total) if step == row.step else row
    error = doc.get("error") or {}
    pages = (doc.get("source") or {}).get("pages")
    return replace(
        row,
        status=str(doc.get("status") or row.status),
        step=step,
        percent=max(row.percent, float(doc.get("percent") or 0.0)),
        message=str(doc.get("message") or ""),
        error_code=error.get("code", row.error_code),
        error_message=error.get("message", row.error_message),
        pages=int(pages) if pages else row.pages,
        updated_at=str(doc.get("updated_at")),
        done=done,
        total=total,
    )


def _row(record: sqlite3.Row) -> JobRow:
    return JobRow(
        id=record["id"],
        name=record["source_name"],
        source_path=record["source_path"],
        pages=record["pages"],
        env=record["env"],
        status=record["status"],
        step=record["step"],
        percent=float(record["percent"] or 0.0),
        message=record["message"] or "",
        error_code=record["error_code"],
        error_message=record["error_message"],
        created_at=record["created_at"],
        started_at=record["started_at"],
        ended_at=record["ended_at"],
        updated_at=record["updated_at"],
        sha256=record["sha256"] or "",
        owner_pid=record["owner_pid"],
    )


class Sleeper(Protocol):
    """A cancel token one can sleep on (``tasks.TaskCancel``)."""

    @property
    def cancelled(self) -> bool: ...

    def wait(self, timeout: float) -> bool: ...


def follow(
    reader: StoreReader,
    *,
    progress: Callable[[Changes], None],
    cancel: Sleeper,
    interval: float = 0.2,
) -> None:
    """Poll ``reader`` every ``interval`` seconds until cancelled, reporting changes.

    Meant to run as a controlled :class:`~dataflow_desktop.ui.tasks.Task`.
    """
    try:
        while not cancel.cancelled:
            changes = reader.poll()
            if changes:
                progress(changes)
            cancel.wait(interval)
    finally:
        reader.close()


__all__ = ["Changes", "JobRow", "Sleeper", "StoreReader", "coalesce", "follow", "merge_progress"]
