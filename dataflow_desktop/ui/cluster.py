"""The engine's side of "Run on: team cluster" (no Qt; runs in the engine process).

With ``Settings.run_on == "cluster"`` the engine does not process dropped PDFs itself:
:class:`ClusterJobs` hands them to the team's Temporal cluster through
:func:`~dataflow_desktop.orchestration.temporal.client.submit_blocking` (the API behind
``dataflow submit``), records each one as a job of the local store, and follows its
progress.json in the shared bucket (:class:`~dataflow_desktop.orchestration.follow.
ProgressFollower`), mirroring every change into the store and the local progress.json,
so the window lists it with live progress like a local job. A job that succeeded is
then pulled (``JobService.pull``): the viewer and the search see its results as for a
local one. ``temporalio`` is imported only by this module, only in cluster mode.

The jobs it follows carry ``owner_host = "<host> (cluster)"`` and a heartbeat this
follower renews, so ``JobService.recover`` never resumes them locally; after a restart
in cluster mode the follower adopts the ones still queued or running.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import DataflowError, ErrorCode
from ..orchestration.follow import ProgressFollower
from ..pipeline.options import PipelineOptions
from ..storage.base import FileStorage
from ..storage.keys import job_key

if TYPE_CHECKING:
    from ..jobs import JobService, Submission

log = logging.getLogger(__name__)

FOLLOW_SECONDS = 0.5
HEARTBEAT_SECONDS = 2.0
_TERMINAL = frozenset({"success", "failed", "cancelled"})


def cluster_host() -> str:
    """The ``owner_host`` of jobs that run on the cluster (followed from this machine)."""
    from ..jobs._owners import this_host

    return f"{this_host()} (cluster)"


class ClusterJobs:
    """Submits to the Temporal cluster and follows the jobs there (engine threads).

    Args:
        service: the engine's job service (its store, storage and sync remote).
        settings: ``temporal_address``, ``temporal_task_queue``, ``env``, ``sync_remote``.
        interval: seconds between two reads of the followed progress.json files.

    Raises:
        DataflowError: the settings name no Temporal address or no shared bucket.
    """

    def __init__(
        self, service: JobService, settings: Settings, *, interval: float = FOLLOW_SECONDS
    ) -> None:
        if not settings.temporal_address or not settings.sync_remote:
            raise DataflowError(
                "Run on team cluster needs the cluster's address and a remote profile for "
                "the shared bucket. Set both in the settings, or run on this computer.",
                code=ErrorCode.INTERNAL_ERROR,
            )
        self.service = service
        self.settings = settings
        self.interval = interval
        self.host = cluster_host()
        self._lock = threading.Lock()
        self._follower: ProgressFollower | None = None
        self._stop = threading.Event()
        adopted = [j.id for j in service.store.active_jobs() if j.owner_host == self.host]
        if adopted:
            self._claim(adopted)
            self._follow(adopted)
            log.info("Following %d cluster job(s) again", len(adopted))
        self._thread = threading.Thread(target=self._loop, name="dataflow-cluster", daemon=True)
        self._thread.start()

    @property
    def storage(self) -> FileStorage:
        """The shared bucket of the environment (the workers read and write it)."""
        return self.service.remote().storage(self.settings.env)

    # -- the engine's calls ----------------------------------------------------------------

    def submit(
        self,
        paths: Sequence[Path | str],
        *,
        options: PipelineOptions | None = None,
        **_local_only: Any,
    ) -> list[Submission]:
        """Start one workflow per PDF and list each as a local job (``JobService.submit``).

        ``password``, ``force`` and ``reuse_remote`` of a local submit do not apply: the
        cluster takes no passwords (they would stay in Temporal's history).
        """
        from ..jobs import Submission
        from ..orchestration.temporal.client import submit_blocking

        options = options or self.service.default_options()
        env, storage, store = self.settings.env, self.storage, self.service.store
        started = submit_blocking(
            self.settings.temporal_address, storage, list(paths),
            task_queue=self.settings.temporal_task_queue, env=env, options=options,
            slots=max(1, self.settings.workers),
        )  # fmt: skip
        results: list[Submission] = []
        ids: list[str] = []
        for item in started:
            if item.job_id is None:
                results.append(Submission(item.path, "skipped", error=item.error))
                continue
            doc = self._read(item.job_id) or {}
            source = doc.get("source") or {}
            store.create_job(
                job_id=item.job_id, source_name=item.path.name,
                source_path=str(item.path.resolve()), sha256=str(source.get("sha256") or ""),
                size=int(source.get("bytes") or 0), options=options, env=env,
            )  # fmt: skip
            ids.append(item.job_id)
            results.append(Submission(item.path, "queued", item.job_id))
        self._claim(ids)
        self._follow(ids)
        return results

    def cancel(self, job_id: str) -> bool:
        """Cancel a cluster job's workflow (or a local job, as ``JobService.cancel``)."""
        job = self.service.get(job_id)
        if job.owner_host != self.host or not job.active:
            return self.service.cancel(job_id)
        from ..orchestration.temporal.client import cancel_document, connect

        async def run() -> None:
            client = await connect(self.settings.temporal_address)
            await cancel_document(client, job.env, job.id)

        self.service.store.request_cancel(job.id)
        asyncio.run(run())  # the workflow ends "cancelled"; the follower records it
        return True

    def close(self) -> None:
        """Stop following (the cluster goes on; a restart in cluster mode follows again)."""
        self._stop.set()
        self._thread.join()

    # -- following ---------------------------------------------------------------------------

    def _claim(self, ids: list[str]) -> None:
        for job_id in ids:
            self.service.store.update_job(
                job_id, owner_pid=os.getpid(), owner_host=self.host, heartbeat_at=time.time()
            )

    def _follow(self, ids: list[str]) -> None:
        with self._lock:
            if self._follower is None:
                self._follower = ProgressFollower(self.storage, self.settings.env, ids)
            else:
                self._follower.docs.update(dict.fromkeys(ids))

    def _read(self, job_id: str) -> dict[str, Any] | None:
        from ..jobs import read_progress

        return read_progress(self.storage, job_key(self.settings.env, job_id, "progress.json"))

    def _loop(self) -> None:
        last_beat = 0.0
        while not self._stop.wait(self.interval):
            with self._lock:
                follower = self._follower
                if follower is None:
                    continue
                try:
                    changed = follower.poll()
                except DataflowError as exc:
                    log.warning("Cannot read the cluster's progress: %s", exc)
                    continue
                running = [i for i, d in follower.docs.items() if not _ended(d)]
            for job_id, doc in changed.items():
                self._record(job_id, doc)
            if running and time.time() - last_beat >= HEARTBEAT_SECONDS:
                self.service.store.heartbeat(running, time.time())
                last_beat = time.time()

    def _record(self, job_id: str, doc: dict[str, Any]) -> None:
        """Mirror one progress.json into the store; import the results once it succeeded."""
        env = self.settings.env
        try:
            if doc["status"] == "success":
                self._import(job_id, doc)
                return
            self.service.storage.put(job_key(env, job_id, "progress.json"),
                                     json.dumps(doc).encode("utf-8"))  # fmt: skip
            self.service.mirror_progress(job_id, doc)
            if doc["status"] in _TERMINAL:
                self.service.store.update_job(job_id, owner_pid=None, heartbeat_at=None)
        except DataflowError:
            log.exception("Cluster job %s: its progress could not be recorded", job_id)

    def _import(self, job_id: str, doc: dict[str, Any]) -> None:
        """Replace the placeholder row by the job pulled from the bucket (results, index)."""
        store = self.service.store
        placeholder = store.get(job_id)
        store.delete_job(job_id)
        try:
            self.service.pull(job_id)
        except DataflowError as exc:
            log.error("Cluster job %s succeeded but its results cannot be pulled: %s", job_id, exc)
            options = PipelineOptions.from_dict(json.loads(placeholder.options_json))
            store.create_job(
                job_id=job_id, source_name=placeholder.source_name,
                source_path=placeholder.source_path, sha256=placeholder.sha256,
                size=placeholder.bytes, options=options, env=placeholder.env,
            )  # fmt: skip
            self.service.mirror_progress(job_id, doc)
            return
        # Pulled jobs have no source path; this one was submitted from here.
        store.update_job(job_id, source_path=placeholder.source_path)


def _ended(doc: dict[str, Any] | None) -> bool:
    return doc is not None and doc["status"] in _TERMINAL


__all__ = ["ClusterJobs", "cluster_host"]
