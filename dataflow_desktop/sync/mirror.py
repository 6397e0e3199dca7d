"""Live progress.json in the bucket while a job runs, so teammates can follow it.

:class:`ProgressMirror` keeps the latest document offered per job and pushes it from
one background thread, at most once per ``interval`` per job: a slow or absent
network never slows a job down, and an offline queue would be pointless for a file
that is replaced every second (the final state is pushed by the sync engine itself,
with retries). Each push is logged like any other upload, so the job owns the object;
a remote progress.json the job did not write is never replaced.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from ..errors import DataflowError
from ..storage.base import StorageTransientError
from .log import LogUpdate, SyncLog
from .planner import LogState
from .profiles import Remote

log = logging.getLogger(__name__)

BACKOFF_SECONDS = 15.0  # after a transient failure, the remote is left alone this long


@dataclass
class _Offer:
    remote: Remote
    env: str
    key: str
    blob: bytes
    due: float


class ProgressMirror:
    """Pushes running jobs' progress.json to their remote (latest value wins).

    Args:
        log: the sync log (ownership of the remote object).
        interval: seconds between two pushes of one job's document.
    """

    def __init__(self, log: SyncLog, *, interval: float = 1.0) -> None:
        self._log = log
        self._interval = interval
        self._cond = threading.Condition()
        self._offers: dict[str, _Offer] = {}
        self._last: dict[str, float] = {}
        self._busy: str | None = None
        self._refused: set[str] = set()  # jobs whose remote progress.json is not ours
        self._paused_until: dict[str, float] = {}
        self._stop = False
        self._thread = threading.Thread(target=self._loop, name="dataflow-mirror", daemon=True)
        self._thread.start()

    def offer(self, remote: Remote, env: str, job_id: str, key: str, blob: bytes) -> None:
        """Queue ``blob`` as the job's progress.json (replaces an unsent one)."""
        with self._cond:
            if self._stop or job_id in self._refused:
                return
            due = self._last.get(job_id, 0.0) + self._interval
            self._offers[job_id] = _Offer(remote, env, key, blob, due)
            self._cond.notify_all()

    def close_job(self, job_id: str) -> None:
        """Drop the job's unsent document and wait for a push in flight to end.

        Called before the job's final state is uploaded, so an older document can
        never land after it.
        """
        with self._cond:
            self._offers.pop(job_id, None)
            while self._busy == job_id:
                self._cond.wait()

    def close(self) -> None:
        """Stop the thread (unsent documents are dropped)."""
        with self._cond:
            self._stop = True
            self._offers.clear()
            self._cond.notify_all()
        self._thread.join()

    def _next(self) -> tuple[str, _Offer] | None:
        with self._cond:
            while not self._stop:
                now = time.monotonic()
                ready = [
                    (job_id, offer)
                    for job_id, offer in self._offers.items()
                    if offer.due <= now and self._paused_until.get(offer.remote.name, 0.0) <= now
                ]
                if ready:
                    job_id, offer = min(ready, key=lambda item: item[1].due)
                    del self._offers[job_id]
                    self._busy = job_id
                    return job_id, offer
                self._cond.wait(timeout=0.1 if self._offers else None)
            return None

    def _loop(self) -> None:
        while (item := self._next()) is not None:
            job_id, offer = item
            try:
                self._push(job_id, offer)
            except StorageTransientError as exc:
                log.info("mirror: %s unreachable (%s); pausing", offer.remote.name, exc)
                with self._cond:
                    self._paused_until[offer.remote.name] = time.monotonic() + BACKOFF_SECONDS
            except (DataflowError, OSError) as exc:
                log.warning("mirror: progress of job %s not pushed: %s", job_id, exc)
            finally:
                with self._cond:
                    self._busy = None
                    self._last[job_id] = time.monotonic()
                    self._cond.notify_all()

    def _push(self, job_id: str, offer: _Offer) -> None:
        storage = offer.remote.storage(offer.env)
        sha = hashlib.sha256(offer.blob).hexdigest()
        entry = self._log.snapshot(job_id, offer.remote.name).get(offer.key)
        ours = entry is not None and entry.state is not LogState.CONFLICT
        if not ours:
            try:
                current = storage.info(offer.key)
            except FileNotFoundError:
                current = None
            if current is not None and current.sha256 != sha:
                log.warning("mirror: %s exists remotely and is not ours; not mirrored", offer.key)
                with self._cond:
                    self._refused.add(job_id)
                return
        update = LogUpdate(offer.key, sha, len(offer.blob), LogState.PENDING)
        self._log.record(job_id, offer.remote.name, [update])
        info = storage.put(offer.key, offer.blob)
        state = LogState.VERIFIED if info.sha256 == sha else LogState.UPLOADED
        verified = sha if state is LogState.VERIFIED else None
        self._log.record(
            job_id, offer.remote.name, [LogUpdate(offer.key, sha, len(offer.blob), state, verified)]
        )


__all__ = ["ProgressMirror"]
