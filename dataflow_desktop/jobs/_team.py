"""The sync half of :class:`~.service.JobService`: sync state, pushes, the team view, pulls.

The GUI calls these (``docs/SYNC.md``, "API for the GUI"): per-job
:meth:`JobTeam.sync_state`, :meth:`JobTeam.sync_pending` to push what waits,
:meth:`JobTeam.remote_jobs` for teammates' jobs (read live from their progress.json),
and :meth:`JobTeam.pull` to import one. Pulled bundles are checked with
:func:`~dataflow_desktop.pipeline.bundle.verify_bundle` and extracted with
:func:`~dataflow_desktop.pipeline.bundle.safe_extract` (zip-slip and zip bombs
refused) before anything enters local storage.
"""

from __future__ import annotations

import builtins
import json
import logging
import shutil
from pathlib import Path

from ..config import Settings
from ..errors import DataflowError, StorageError
from ..events import CancelToken
from ..pipeline.bundle import BundleError, safe_extract, verify_bundle
from ..pipeline.options import PipelineOptions
from ..storage._hashing import sha256_file
from ..storage.base import FileStorage
from ..storage.keys import check_name, job_key
from ..storage.ops import exists
from ..sync.profiles import Remote, pick_remote
from ..sync.team import RemoteJob, find_duplicates, list_remote_jobs, read_remote_job
from ..sync.team import resolve_job_id as resolve_remote_id
from ._admin import JobStateError
from ._schema import JobRecord, OutputRecord
from ._sync import JobSync
from ._synclog import SyncState, SyncStates, SyncStatus
from .runner import JobRunner
from .store import JobStore

log = logging.getLogger(__name__)


class JobTeam:
    """Mixin of :class:`~.service.JobService` (which sets these attributes)."""

    settings: Settings
    store: JobStore
    storage: FileStorage
    runner: JobRunner
    sync: JobSync | None
    _remotes: dict[str, Remote]

    # -- which remote ----------------------------------------------------------------

    def remote(self, remote: Remote | str | None = None) -> Remote:
        """The remote ``remote`` names (default: the sync remote, else the only one)."""
        if isinstance(remote, Remote):
            return remote
        if self.sync is not None and remote in (None, self.sync.remote.name):
            return self.sync.remote
        profile = pick_remote(remote, self.settings.sync_remote)
        if profile.name not in self._remotes:
            self._remotes[profile.name] = Remote.from_profile(profile)
        return self._remotes[profile.name]

    def _job_sync(self, remote: Remote | str | None) -> tuple[JobSync, bool]:
        """A :class:`JobSync` for ``remote`` and whether the caller must close it."""
        chosen = self.remote(remote)
        if self.sync is not None and chosen is self.sync.remote:
            return self.sync, False
        return JobSync(
            remote=chosen, store=self.store, storage=self.storage, settings=self.settings
        ), True

    # -- sync state --------------------------------------------------------------------

    def sync_state(self, job_id: str, remote: str | None = None) -> SyncState:
        """The job's sync state (``local`` when it was never asked to sync)."""
        return SyncStates(self.store).get(self.store.get(job_id).id, remote)

    def sync_states(self, remote: str | None = None) -> dict[str, SyncState]:
        """The sync state of every job that has one, by job id (others are ``local``)."""
        return SyncStates(self.store).all(remote)

    def sync_pending(
        self,
        remote: Remote | str | None = None,
        *,
        job_ids: builtins.list[str] | None = None,
        include_local: bool = False,
        cancel: CancelToken | None = None,
    ) -> builtins.list[SyncState]:
        """Push finished jobs whose sync is not complete (``dataflow sync``).

        Args:
            remote: the remote (default: the sync remote, else the only one).
            job_ids: only these jobs (default: every unfinished sync on the remote).
            include_local: also jobs that were never synced (processed with sync off).
            cancel: stops between jobs and uploads.

        Returns:
            The resulting state of each job pushed.
        """
        job_sync, own = self._job_sync(remote)
        name = job_sync.remote.name
        try:
            if job_ids is not None:
                ids = [self.store.get(job_id).id for job_id in job_ids]
            else:
                ids = [state.job_id for state in job_sync.states.unfinished(name)]
                if include_local:
                    known = set(job_sync.states.all(name))
                    ids += [j.id for j in self.store.list_jobs("success") if j.id not in known]
            results = []
            for job_id in dict.fromkeys(ids):
                if cancel is not None:
                    cancel.check()
                if self.store.get(job_id).status == "success":  # others have nothing to send
                    results.append(job_sync.push(job_id, cancel=cancel))
            return results
        finally:
            if own:
                job_sync.close()

    # -- the team view -----------------------------------------------------------------

    def remote_jobs(
        self, remote: Remote | str | None = None, *, env: str | None = None
    ) -> builtins.list[RemoteJob]:
        """Jobs in the shared bucket (teammates' and ours), newest first, read-only."""
        env = env or self.settings.env
        return list_remote_jobs(self.remote(remote).storage(env), env)

    def remote_job(
        self, job_id: str, remote: Remote | str | None = None, *, env: str | None = None
    ) -> RemoteJob:
        """One job of the bucket (its id or a unique prefix), read live."""
        env = env or self.settings.env
        storage = self.remote(remote).storage(env)
        return read_remote_job(storage, env, resolve_remote_id(storage, env, job_id))

    def find_remote_duplicate(
        self, sha256: str, options_fp: str, remote: Remote | str | None = None
    ) -> RemoteJob | None:
        """A finished job in the bucket over the same PDF and options, if any."""
        env = self.settings.env
        found = find_duplicates(self.remote(remote).storage(env), env, sha256, options_fp)
        return found[0] if found else None

    def _reuse_remote(self, sha256: str, options_fp: str) -> JobRecord | None:
        """Pull a teammate's equal job instead of processing again (``submit``)."""
        if self.sync is None:
            return None
        try:
            found = self.find_remote_duplicate(sha256, options_fp, self.sync.remote)
            return None if found is None else self.pull(found.job_id, self.sync.remote)
        except DataflowError as exc:
            log.warning("Could not look for an equal job in the bucket: %s", exc)
            return None

    # -- pulling -----------------------------------------------------------------------

    def pull(
        self, job_id: str, remote: Remote | str | None = None, *, env: str | None = None
    ) -> JobRecord:
        """Import a finished job of the bucket (or restore a cloud-only one of ours).

        A job of ours that ended here without success (killed after its upload, then
        marked ``interrupted``) while its results reached the bucket is replaced by the
        bucket's finished copy, keeping its source path.

        Raises:
            RemoteJobNotFoundError: no such job in the bucket.
            JobStateError: it has not succeeded (yet), or it is still queued or running here.
            StorageError: a download failed, or the bundle is damaged or unsafe.
        """
        chosen = self.remote(remote)
        found = self.remote_job(job_id, chosen, env=env)
        local = self.store.find(found.job_id)
        if local is not None and local.active:
            raise JobStateError(
                f"The job {local.id} is {local.status} here; pull it once it has ended."
            )
        ended_here = local if local is not None and local.status != "success" else None
        if ended_here is not None and self.sync is not None:
            # Its failed state may be on its way to the bucket: drop it or let it land,
            # then read the bucket again, so that state cannot land over an import.
            self.sync.mirror.close_job(ended_here.id)
            found = self.remote_job(found.job_id, chosen, env=env)
        if found.status != "success":
            raise JobStateError(
                f"The job {found.job_id} in the bucket is {found.status} ({found.step}); pull "
                "it once it has succeeded."
            )
        storage = chosen.storage(found.env)
        if local is not None and ended_here is None:
            return self._restore(local, storage)
        work = self.settings.work_root / f".pull-{found.job_id}"
        shutil.rmtree(work, ignore_errors=True)
        try:
            record = self._import(found, storage, work, replacing=ended_here)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        SyncStates(self.store).set(
            record.id, chosen.name, SyncStatus.SYNCED, message=f"Pulled from {chosen.name}"
        )
        log.info("Pulled job %s (%s) from %s", record.id, record.source_name, chosen.name)
        return record

    def _import(
        self, found: RemoteJob, storage: FileStorage, work: Path, *, replacing: JobRecord | None
    ) -> JobRecord:
        env, job_id = found.env, found.job_id
        bundle, files = work / "bundle.zip", work / "files"
        progress = work / "progress.json"
        storage.get(job_key(env, job_id, "bundle.zip"), bundle)  # checked against its sha256
        storage.get(job_key(env, job_id, "progress.json"), progress)
        try:
            manifest = verify_bundle(bundle)
            safe_extract(bundle, files)
            names = [check_name(str(entry["name"])) for entry in manifest["files"]]
            header = json.loads((files / "result.json").read_text(encoding="utf-8"))
        except (BundleError, ValueError, OSError) as exc:
            raise StorageError(
                f"The results bundle of job {job_id} in the bucket is damaged or unsafe, so "
                "nothing was imported. Ask its author to sync it again.",
                detail=str(exc),
            ) from exc
        options = PipelineOptions.from_dict(header.get("options") or {})
        if replacing is not None:  # only once the bucket's copy has proved whole
            self.runner.discard_partial(replacing)
            self.store.delete_job(replacing.id)
        record = self.store.create_job(
            job_id=job_id,
            source_name=found.source_name,
            source_path=None if replacing is None else replacing.source_path,
            sha256=found.source_sha256,
            size=int(header["source"]["bytes"]),
            options=options,
            env=env,
        )
        try:
            self.store.update_job(job_id, pages=found.pages)
            outputs = []
            for entry, name in zip(manifest["files"], names, strict=True):
                key = job_key(env, job_id, name)
                self.storage.put(key, files.joinpath(*name.split("/")))
                outputs.append(OutputRecord(job_id, name, key, entry["bytes"], entry["sha256"]))
            key = job_key(env, job_id, "bundle.zip")
            info = self.storage.put(key, bundle)
            outputs.append(OutputRecord(job_id, "bundle.zip", key, info.size, sha256_file(bundle)))
            self.store.add_outputs(outputs)
            pages = header.get("pages") or []
            self.store.index_pages(job_id, ((p["number"], p.get("text") or "") for p in pages))
            self.storage.put(job_key(env, job_id, "progress.json"), progress)
            self.runner._observe(job_id, dict(found.progress))  # job and step rows
        except BaseException:
            self.runner.discard_partial(record)
            self.storage.delete(job_key(env, job_id, "progress.json"))
            self.store.delete_job(job_id)
            raise
        return self.store.get(job_id)

    def _restore(self, job: JobRecord, storage: FileStorage) -> JobRecord:
        """Download the job's files that are missing locally (after a cloud-only clean)."""
        wanted = [(o.key, o.sha256) for o in self.store.outputs(job.id)]
        wanted.append((job_key(job.env, job.id, "source.pdf"), job.sha256))
        restored = 0
        for key, sha256 in wanted:
            if exists(self.storage, key) or not exists(storage, key):
                continue
            tmp = self.settings.work_root / f".pull-{job.id}" / key.rsplit("/", 1)[-1]
            try:
                storage.get(key, tmp)
                if sha256 is not None and sha256_file(tmp) != sha256:
                    raise StorageError(
                        f"The bucket's copy of '{key}' differs from the job's result. Not restored."
                    )
                self.storage.put(key, tmp)
                restored += 1
            finally:
                tmp.unlink(missing_ok=True)
        shutil.rmtree(self.settings.work_root / f".pull-{job.id}", ignore_errors=True)
        log.info("Restored %d files of job %s from the bucket", restored, job.id)
        states = SyncStates(self.store)
        state = states.get(job.id)
        if state.remote is not None and state.cloud_only:
            states.set(job.id, state.remote, state.status, cloud_only=False,
                       message="Local copies restored from the bucket")  # fmt: skip
        return job

    def close_remotes(self) -> None:
        """Close the remotes opened for the team view."""
        for remote in self._remotes.values():
            remote.close()
        self._remotes.clear()


__all__ = ["JobTeam"]
