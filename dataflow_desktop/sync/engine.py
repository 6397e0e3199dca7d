"""The sync executor: lists, plans (:mod:`.planner`), uploads, verifies, logs every step.

One :meth:`SyncEngine.push` is a series of *attempts*. Each attempt starts from
scratch — remote listing, the log's snapshot, :func:`~.planner.plan` — so resuming
after a crash, a dead server or a retry is the same code as a first sync: what the
log and the bucket already agree on is skipped, never sent twice.

Every upload is logged ``pending`` before it starts (one transaction per batch) and
``verified`` (or ``uploaded``/``corrupt``) after :func:`~..storage.batch.put_many`
re-checked the stored copy's size and sha256. Transient failures
(``StorageTransientError``, and a copy that failed verification) are retried with
exponential backoff (tenacity); when the policy runs out the error propagates and the
caller records the job as *waiting for network*. Any other storage error (keys,
rights, quota) propagates at once. Uploads go in *waves*: a wave starts only once the
earlier ones are verified (results before progress.json and the index entry).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..errors import StorageError
from ..events import CancelToken, NeverCancel
from ..storage.base import FileStorage
from ..storage.batch import UploadItem, UploadOutcome, put_many
from ..storage.remote import StorageIntegrityError
from ._retry import RETRYABLE, Meter, ProgressFn, RetryPolicy, retrying
from .log import LogUpdate, SyncLog
from .planner import (
    Conflict,
    DeleteLocal,
    LocalFile,
    LogState,
    RemoteObject,
    SkipVerified,
    SnapshotEntry,
    Upload,
    plan,
    trusted,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncRequest:
    """One job's files and where to look for them remotely.

    Attributes:
        job_id: the job.
        files: its files (keys are the same locally and remotely).
        prefixes: remote prefixes whose listing covers every key of ``files``.
        deletable: keys whose local copy goes once the whole job is verified.
        anchors: keys that must be verified before anything local is deleted.
    """

    job_id: str
    files: tuple[LocalFile, ...]
    prefixes: tuple[str, ...]
    deletable: frozenset[str] = frozenset()
    anchors: frozenset[str] = frozenset()


@dataclass
class SyncReport:
    """What a push did (the last attempt's view, plus totals)."""

    job_id: str
    files: int
    total_bytes: int
    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    attempts: int = 0

    @property
    def complete(self) -> bool:
        """Every file is verified in the bucket."""
        return not self.conflicts and len(set(self.uploaded) | set(self.skipped)) == self.files


class SyncEngine:
    """Pushes jobs' files to one remote backend, logging every action.

    Args:
        remote: the bucket.
        log: the sync log (SQLite in the app, :class:`~.log.MemorySyncLog` in tests).
        remote_name: the remote's name in the log.
        local: the local storage (needed by :meth:`clean` to delete local copies).
        retry: the retry policy for transient failures.
        progress_interval: seconds between two progress reports.
    """

    def __init__(
        self,
        remote: FileStorage,
        log: SyncLog,
        *,
        remote_name: str,
        local: FileStorage | None = None,
        retry: RetryPolicy | None = None,
        progress_interval: float = 0.2,
    ) -> None:
        self.remote = remote
        self.log = log
        self.remote_name = remote_name
        self.local = local
        self.retry = retry or RetryPolicy()
        self.progress_interval = progress_interval

    # -- public -----------------------------------------------------------------------

    def push(
        self,
        request: SyncRequest,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncReport:
        """Bring the bucket up to date with ``request.files``.

        Returns:
            The report; conflicts are in it (left alone, never raised).

        Raises:
            StorageTransientError: still failing when the retry policy ran out.
            StorageError: a failure retrying cannot fix (keys, rights, quota...).
            Cancelled: ``cancel`` was set.
        """
        total = sum(f.size for f in request.files)
        report = SyncReport(request.job_id, len(request.files), total)
        meter = Meter(total, progress, self.progress_interval)
        token = cancel or NeverCancel()

        def attempt() -> SyncReport:
            report.attempts += 1
            self._attempt(request, report, meter, token)
            return report

        return retrying(self.retry, attempt, token)

    def clean(self, request: SyncRequest, *, cancel: CancelToken | None = None) -> list[str]:
        """Delete the local copies of ``request.deletable`` once all is verified.

        Returns:
            The deleted keys (none unless the plan says every file is verified).
        """
        if not request.deletable:
            return []
        if self.local is None:
            raise ValueError("clean needs the local storage")
        local, token = self.local, cancel or NeverCancel()

        def attempt() -> list[str]:
            snapshot = self.log.snapshot(request.job_id, self.remote_name)
            remote = self._enrich(request.files, self._listing(request), snapshot)
            actions = plan(
                request.files,
                remote,
                snapshot,
                deletable=request.deletable,
                anchors=request.anchors,
            )
            deletions = [a for a in actions if isinstance(a, DeleteLocal)]
            done: list[str] = []
            try:
                for action in deletions:
                    token.check()
                    local.delete(action.key)
                    done.append(action.key)
            finally:
                sizes = {f.key: f.size for f in request.files}
                gone = set(done)
                self.log.record(
                    request.job_id,
                    self.remote_name,
                    [
                        LogUpdate(a.key, a.sha256, sizes[a.key], LogState.VERIFIED, a.sha256, True)
                        for a in deletions
                        if a.key in gone
                    ],
                )
            return done

        return retrying(self.retry, attempt, token)

    # -- one attempt ------------------------------------------------------------------

    def _listing(self, request: SyncRequest) -> dict[str, RemoteObject]:
        wanted = {f.key for f in request.files}
        found: dict[str, RemoteObject] = {}
        for prefix in request.prefixes:
            for info in self.remote.list(prefix):
                if info.key in wanted:
                    found[info.key] = RemoteObject(info.key, info.size, info.sha256)
        return found

    def _enrich(
        self,
        files: tuple[LocalFile, ...],
        remote: dict[str, RemoteObject],
        snapshot: dict[str, SnapshotEntry],
    ) -> dict[str, RemoteObject]:
        """Fill in the sha256 of listed objects the planner cannot judge by size alone."""
        for local in files:
            listed = remote.get(local.key)
            entry = snapshot.get(local.key)
            if listed is None or listed.sha256 is not None or trusted(entry, local, listed):
                continue
            if entry is not None and entry.state is LogState.CORRUPT:
                continue  # ours and damaged: it is sent again whatever it holds
            try:
                info = self.remote.info(local.key)
                sha = info.sha256 or self.remote.fingerprint(local.key)
            except FileNotFoundError:
                del remote[local.key]  # removed since the listing
                continue
            remote[local.key] = RemoteObject(local.key, info.size, sha)
        return remote

    def _attempt(
        self, request: SyncRequest, report: SyncReport, meter: Meter, cancel: CancelToken
    ) -> None:
        job, name = request.job_id, self.remote_name
        files = {f.key: f for f in request.files}
        snapshot = self.log.snapshot(job, name)
        remote = self._enrich(request.files, self._listing(request), snapshot)
        actions = plan(request.files, remote, snapshot)
        skips = [a for a in actions if isinstance(a, SkipVerified)]
        found = [a for a in actions if isinstance(a, Conflict)]
        self.log.record(
            job,
            name,
            [
                LogUpdate(a.key, a.sha256, a.size, LogState.VERIFIED, a.sha256)
                for a in skips
                if not trusted(snapshot.get(a.key), files[a.key], remote.get(a.key))
            ]
            + [
                LogUpdate(c.key, c.local_sha256, files[c.key].size, LogState.CONFLICT)
                for c in found
            ],
        )
        report.skipped = [a.key for a in skips]
        report.conflicts = found
        for conflict in found:
            log.warning("sync: %s exists remotely with other content; left alone", conflict.key)
        meter.start(sum(a.size for a in skips))
        blocked = min((files[c.key].wave for c in found), default=None)
        todo = [a for a in actions if isinstance(a, Upload)]
        for wave in sorted({a.file.wave for a in todo}):
            if blocked is not None and wave > blocked:
                log.warning("sync: job %s stops before wave %d (conflicts)", job, wave)
                break
            batch = [a.file for a in todo if a.file.wave == wave]
            self._upload(request, batch, report, meter, cancel)

    def _upload(
        self,
        request: SyncRequest,
        batch: list[LocalFile],
        report: SyncReport,
        meter: Meter,
        cancel: CancelToken,
    ) -> None:
        job, name = request.job_id, self.remote_name
        self.log.record(
            job, name, [LogUpdate(f.key, f.sha256, f.size, LogState.PENDING) for f in batch]
        )
        items = [UploadItem(f.key, f.size, f.sha256, f.path, f.data) for f in batch]
        outcomes = put_many(self.remote, items, on_bytes=meter.add, cancel=cancel)
        by_key = {f.key: f for f in batch}
        self.log.record(job, name, [_update(by_key[o.key], o) for o in outcomes if o.sent])
        before = set(report.uploaded)
        report.uploaded += [o.key for o in outcomes if o.ok and o.key not in before]
        errors = [o.error for o in outcomes if o.error is not None]
        if errors:
            failed = len(errors)
            log.warning("sync: %d of %d uploads of job %s failed", failed, len(items), job)
            raise _first(errors)


def _update(local: LocalFile, outcome: UploadOutcome) -> LogUpdate:
    if outcome.ok:
        return LogUpdate(local.key, local.sha256, local.size, LogState.VERIFIED, local.sha256)
    state = (
        LogState.CORRUPT if isinstance(outcome.error, StorageIntegrityError) else LogState.UPLOADED
    )
    return LogUpdate(local.key, local.sha256, local.size, state)


def _first(errors: list[Exception]) -> Exception:
    """The error to raise: one retrying cannot fix, else the first transient one."""
    for error in errors:
        if isinstance(error, StorageError) and not isinstance(error, RETRYABLE):
            return error
    for error in errors:
        if isinstance(error, OSError):  # a local file vanished or cannot be read
            return StorageError(
                "A result file of the job could not be read from the local disk. Check the "
                "data folder, then sync again.",
                detail=f"{type(error).__name__}: {error}",
            )
    return errors[0]


__all__ = ["RETRYABLE", "ProgressFn", "RetryPolicy", "SyncEngine", "SyncReport", "SyncRequest"]
