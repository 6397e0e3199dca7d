"""The sync log: what the executor remembers of every key it handled, per job and remote.

``sync/`` sits below ``jobs/`` (import-linter's layers), so it cannot reach the job
store itself. It names what it needs as the :class:`SyncLog` protocol; ``jobs/``
implements it on the SQLite store (table ``sync_log``, ``jobs/_synclog.py``) and hands
it to :class:`~.engine.SyncEngine`. :class:`MemorySyncLog` is the in-memory twin for
tests.

The log is the ownership marker: a remote object whose content this job once sent
(``sha256``) or verified (``remote_sha256``) is ours to replace; anything else in the
bucket is left alone.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from .planner import LogState, SnapshotEntry


@dataclass(frozen=True, slots=True)
class LogUpdate:
    """A change to one key's log entry.

    Attributes:
        key: the storage key.
        sha256: the content attempted or verified.
        size: its size.
        state: the new state.
        remote_sha256: the content now verified in the bucket (``None``: unchanged).
        local_deleted: the local copy was removed (``None``: unchanged).
    """

    key: str
    sha256: str
    size: int
    state: LogState
    remote_sha256: str | None = None
    local_deleted: bool | None = None


class SyncLog(Protocol):
    """Durable memory of the executor (each call is one transaction)."""

    def snapshot(self, job_id: str, remote: str) -> dict[str, SnapshotEntry]:
        """Every entry of ``job_id`` on ``remote``, by key."""
        ...

    def record(self, job_id: str, remote: str, updates: Sequence[LogUpdate]) -> None:
        """Insert or update entries (``None`` fields keep their stored value)."""
        ...


def apply(entry: SnapshotEntry | None, update: LogUpdate) -> SnapshotEntry:
    """``entry`` after ``update`` (the upsert rule every implementation follows)."""
    if entry is None:
        entry = SnapshotEntry(update.key, update.sha256, update.size, update.state)
    return replace(
        entry,
        sha256=update.sha256,
        size=update.size,
        state=update.state,
        remote_sha256=update.remote_sha256 or entry.remote_sha256,
        local_deleted=entry.local_deleted if update.local_deleted is None else update.local_deleted,
    )


class MemorySyncLog:
    """A :class:`SyncLog` in a dict (unit tests, benchmarks of the planner)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], dict[str, SnapshotEntry]] = {}
        self._lock = threading.Lock()
        self.writes = 0  # transactions, for tests that count them

    def snapshot(self, job_id: str, remote: str) -> dict[str, SnapshotEntry]:
        """Every entry of ``job_id`` on ``remote``."""
        with self._lock:
            return dict(self._entries.get((job_id, remote), {}))

    def record(self, job_id: str, remote: str, updates: Sequence[LogUpdate]) -> None:
        """Apply ``updates`` at once."""
        if not updates:
            return
        with self._lock:
            entries = self._entries.setdefault((job_id, remote), {})
            for update in updates:
                entries[update.key] = apply(entries.get(update.key), update)
            self.writes += 1


__all__ = ["LogState", "LogUpdate", "MemorySyncLog", "SnapshotEntry", "SyncLog", "apply"]
