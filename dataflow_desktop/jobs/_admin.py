"""The housekeeping half of :class:`~.service.JobService`: remove, export, output paths."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from ..errors import ErrorCode, JobStoreError, StorageError
from ..events import CancelFlag
from ..storage._hashing import sha256_file
from ..storage.base import FileStorage
from ..storage.keys import check_name, job_key, job_prefix
from ..storage.local import LocalStorage
from ..storage.ops import remove_prefix
from ._owners import owned_elsewhere
from ._schema import JobRecord
from ._work import WorkDir
from .progress import OUTPUT_NAMES
from .runner import JobRunner
from .store import JobStore

log = logging.getLogger(__name__)


class JobStateError(JobStoreError):
    """The job is not in a state that allows the operation (running, or has no results)."""

    code = ErrorCode.JOB_BUSY


class JobAdmin:
    """Mixin of :class:`~.service.JobService` (which sets these attributes)."""

    store: JobStore
    storage: FileStorage
    runner: JobRunner
    _cond: threading.Condition
    _active: dict[str, CancelFlag]
    _passwords: dict[str, str]
    _host: str

    def wait(self, job_ids: Iterable[str] | None = None, timeout: float | None = None) -> bool:
        """See :meth:`JobService.wait`."""
        raise NotImplementedError

    def _not_busy(self, job: JobRecord) -> JobRecord:
        """``job`` if no live process runs it, else :class:`JobStateError`."""
        with self._cond:
            ours = job.id in self._active
        if job.active and (ours or owned_elsewhere(job, host=self._host)):
            raise JobStateError(
                f"The job {job.id} is still {job.status}. Cancel it or wait for it to end."
            )
        return job

    def sweep_temp_files(self) -> int:
        """Delete temp files a crash left in storage and work folders; returns how many."""
        removed = 0
        if isinstance(self.storage, LocalStorage):
            removed += self.storage.sweep_temp_files()
        for path in self.runner.settings.work_root.rglob(".tmp-*"):
            path.unlink(missing_ok=True)
            removed += 1
        if removed:
            log.info("Removed %d temporary files left by an interrupted run", removed)
        return removed

    def remove(self, job_id: str) -> None:
        """Delete a job: its row, its stored files and its work folder.

        A job this service runs is cancelled first; a job another live process runs
        raises :class:`JobStateError`.
        """
        job = self.store.get(job_id)
        with self._cond:
            flag = self._active.get(job.id)
        if flag is not None:
            flag.cancel()
            self.wait([job.id])
        job = self._not_busy(self.store.get(job.id))
        removed = remove_prefix(self.storage, job_prefix(job.env, job.id))
        WorkDir(self.runner.settings.work_root, job.id).remove()
        self.store.delete_job(job.id)
        self._passwords.pop(job.id, None)
        log.info("Removed job %s (%d stored files)", job.id, removed)

    def output_paths(self, job_id: str) -> dict[str, str]:
        """The main results (``result``, ``markdown``, ``report``, ``bundle``) of a job.

        Values are local file paths when the storage has them, else storage keys.
        """
        job = self.store.get(job_id)
        if job.status != "success":
            return {}
        paths: dict[str, str] = {}
        for name, file in OUTPUT_NAMES.items():
            key = job_key(job.env, job.id, file)
            local = self.storage.local_path(key)
            paths[name] = str(local) if local is not None else key
        return paths

    def export(self, job_id: str, dest_dir: Path) -> list[Path]:
        """Copy every result file of a finished job into ``dest_dir`` (checksums verified).

        Returns:
            The written files.
        """
        job = self.store.get(job_id)
        if job.status != "success":
            raise JobStateError(f"The job {job.id} has no results to export (it is {job.status}).")
        written: list[Path] = []
        for output in self.store.outputs(job.id):
            target = dest_dir.joinpath(*check_name(output.name).split("/"))
            self.storage.get(output.key, target)
            if output.sha256 is not None and sha256_file(target) != output.sha256:
                raise StorageError(
                    "An exported file does not match the stored result. Export again.",
                    detail=output.name,
                )
            written.append(target)
        log.info("Exported %d files of job %s to %s", len(written), job.id, dest_dir)
        return written


__all__ = ["JobAdmin", "JobStateError"]
