"""Submit documents to a Temporal cluster, cancel them, wait for them (no Qt).

This is the API behind ``dataflow submit`` and the GUI's "Run on: team cluster":

.. code-block:: python

    client = await connect("temporal.example.lan:7233")
    done = await submit_documents(client, bucket, [Path("a.pdf")], task_queue="dataflow")
    follower = ProgressFollower(bucket, "dev", [d.job_id for d in done if d.job_id])
    follower.follow(on_change=print)           # progress.json, as workers write it

Submitting uploads each PDF to ``<env>/jobs/<job_id>/source.pdf``, writes a ``queued``
progress.json and starts one ``ProcessDocument`` workflow (id ``dataflow-<env>-<job_id>``)
per file. Files are recognised by content (``preflight.sniff``), as a local submit does:
a file that is no PDF is skipped with its error; a damaged PDF is submitted and fails on
the cluster. Passwords are not supported (workflow inputs are kept in Temporal's
history, and a password must not be). :func:`submit_blocking` wraps it all for callers
without an event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import CancelledError

from ...errors import DataflowError, ErrorCode, InputError
from ...jobs._intake import expand_paths
from ...jobs.progress import ProgressWriter
from ...pipeline.options import PipelineOptions
from ...storage._hashing import sha256_file
from ...storage.base import FileStorage
from ...storage.keys import job_key, new_job_id
from ._types import WORKFLOW_NAME, DocumentRequest, RunPolicy, workflow_id

log = logging.getLogger(__name__)

DEFAULT_TASK_QUEUE = "dataflow"


@dataclass(frozen=True)
class Submitted:
    """What submitting one file gave.

    Attributes:
        path: the file.
        status: ``started`` (a workflow runs it) or ``skipped`` (``error`` says why).
        job_id: the job (its folder in the bucket), when started.
        workflow_id: the Temporal workflow id, when started.
        error: why the file was skipped.
    """

    path: Path
    status: Literal["started", "skipped"]
    job_id: str | None = None
    workflow_id: str | None = None
    error: DataflowError | None = None


async def connect(target: str, *, namespace: str = "default") -> Client:
    """A client of the Temporal frontend at ``target`` (``host:port``)."""
    return await Client.connect(target, namespace=namespace)


def _stage(
    storage: FileStorage, path: Path, env: str, options: PipelineOptions
) -> tuple[Submitted, dict[str, Any]]:
    """Check, upload and mark ``queued`` one file (blocking: runs on a thread).

    Returns:
        What happened, and the ``source`` of the file (name, sha256, bytes).
    """
    from ...pipeline.preflight import sniff

    try:
        size = sniff(path, options.limits)
        sha256 = sha256_file(path)
    except InputError as exc:
        return Submitted(path, "skipped", error=exc), {}
    except OSError as exc:
        error = InputError(code=ErrorCode.FILE_NOT_FOUND, detail=str(exc))
        return Submitted(path, "skipped", error=error), {}
    job_id = new_job_id()
    storage.put(job_key(env, job_id, "source.pdf"), path)
    source = {"name": path.name, "sha256": sha256, "bytes": size}
    writer = ProgressWriter(storage, job_key(env, job_id, "progress.json"), job_id=job_id,
                            source={**source, "pages": None})  # fmt: skip
    writer.queued("Waiting for a worker of the cluster")
    return Submitted(path, "started", job_id, workflow_id(env, job_id)), source


async def submit_documents(
    client: Client,
    storage: FileStorage,
    paths: Sequence[Path | str],
    *,
    task_queue: str = DEFAULT_TASK_QUEUE,
    env: str = "dev",
    options: PipelineOptions | None = None,
    slots: int = 4,
    policy: RunPolicy | None = None,
) -> list[Submitted]:
    """Upload each PDF and start its workflow; folders are walked recursively.

    Args:
        client: a connected Temporal client.
        storage: the shared bucket of ``env`` (the workers use the same).
        paths: files and folders.
        task_queue: the queue the workers poll.
        env: ``dev``, ``staging`` or ``prod``.
        options: pipeline options (default: ``PipelineOptions()``).
        slots: worker processes of the cluster; sizes each document's page ranges.
        policy: timeouts and retries (default: :class:`RunPolicy`).

    Returns:
        One :class:`Submitted` per file, in order.
    """
    options = options or PipelineOptions()
    policy = policy or RunPolicy()
    results = []
    for path, _explicit in expand_paths(paths):
        staged, source = await asyncio.to_thread(_stage, storage, path, env, options)
        if staged.job_id is not None:
            request = DocumentRequest(staged.job_id, env, source, options.to_dict(),
                                      slots=max(1, slots), policy=policy)  # fmt: skip
            await client.start_workflow(
                WORKFLOW_NAME, request, id=workflow_id(env, staged.job_id), task_queue=task_queue,
                task_timeout=timedelta(seconds=policy.workflow_task_seconds),
            )  # fmt: skip
            log.info("Started %s for %s", staged.workflow_id, path)
        results.append(staged)
    return results


async def cancel_document(client: Client, env: str, job_id: str) -> None:
    """Ask the job's workflow to stop; it ends ``cancelled`` once its activities stopped."""
    await client.get_workflow_handle(workflow_id(env, job_id)).cancel()


async def wait_document(client: Client, env: str, job_id: str) -> dict[str, Any]:
    """Wait for the job's workflow; returns ``{"status", "outputs" | "error"}``."""
    handle = client.get_workflow_handle(workflow_id(env, job_id))
    try:
        result: dict[str, Any] = await handle.result()
    except WorkflowFailureError as exc:
        cause = exc.cause
        code = getattr(cause, "type", None) or ErrorCode.INTERNAL_ERROR.value
        status = "cancelled" if isinstance(cause, CancelledError) else "failed"
        message = getattr(cause, "message", None) or str(cause)
        return {"status": status, "error": {"code": code, "message": message}}
    return result


def submit_blocking(
    target: str,
    storage: FileStorage,
    paths: Sequence[Path | str],
    *,
    namespace: str = "default",
    **kwargs: Any,
) -> list[Submitted]:
    """:func:`submit_documents` for callers without an event loop (a GUI job thread)."""

    async def run() -> list[Submitted]:
        client = await connect(target, namespace=namespace)
        return await submit_documents(client, storage, paths, **kwargs)

    return asyncio.run(run())


__all__ = [
    "DEFAULT_TASK_QUEUE",
    "Submitted",
    "cancel_document",
    "connect",
    "submit_blocking",
    "submit_documents",
    "wait_document",
]
