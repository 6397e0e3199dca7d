"""The team view: jobs teammates put in the shared bucket, read from their progress.json.

Every synced job has ``<env>/jobs/<job_id>/progress.json`` in the bucket, pushed live
while it runs and in its final state once every result is verified there. Listing
those files (``ListObjectsV2``, 1,000 keys a page) and reading each one gives the team
view, read-only. A finished job also has an *index entry*
``<env>/index/<sha256>/<options fingerprint>/<job_id>.json``, written last: one
listing answers whether a teammate already processed a PDF with the same options.
Downloading results is ``jobs/``' business (it verifies bundles with ``pipeline/``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..storage.base import FileStorage
from ..storage.keys import (
    InvalidKeyError,
    index_key,
    index_prefix,
    job_key,
    jobs_prefix,
    split_job_key,
)
from ._errors import RemoteJobNotFoundError

log = logging.getLogger(__name__)

READERS = 8  # progress.json files read in parallel
_TERMINAL = ("success", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class RemoteJob:
    """A job as its progress.json in the bucket describes it (read-only).

    Attributes:
        job_id: the job id (unique across installations: time + random).
        env: the environment it was found in.
        source_name: the PDF's file name.
        source_sha256: the PDF's sha256.
        pages: page count, once known.
        status: ``queued | running | success | failed | cancelled``.
        step: the current or terminal step.
        percent: overall progress.
        message: the last message.
        updated_at: when progress.json was last written.
        outputs: result files by kind (``result``, ``markdown``, ``report``, ``bundle``).
        progress: the whole progress.json document.
    """

    job_id: str
    env: str
    source_name: str
    source_sha256: str
    pages: int | None
    status: str
    step: str
    percent: float
    message: str
    updated_at: str
    outputs: Mapping[str, str] = field(default_factory=dict)
    progress: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def finished(self) -> bool:
        """Whether the job has ended (success, failed or cancelled)."""
        return self.status in _TERMINAL

    @classmethod
    def from_progress(cls, env: str, doc: Mapping[str, Any]) -> RemoteJob:
        """Read the fields of a progress.json document.

        Raises:
            ValueError: the document is not a schema 1 progress.json.
        """
        try:
            source = doc["source"]
            if doc["schema"] != 1:
                raise ValueError(f"unknown progress.json schema {doc['schema']!r}")
            return cls(
                job_id=split_job_key(job_key(env, str(doc["job_id"]), "progress.json"))[1],
                env=env,
                source_name=str(source["name"]),
                source_sha256=str(source["sha256"]),
                pages=source.get("pages"),
                status=str(doc["status"]),
                step=str(doc["step"]),
                percent=float(doc["percent"]),
                message=str(doc.get("message") or ""),
                updated_at=str(doc["updated_at"]),
                outputs=dict(doc.get("outputs") or {}),
                progress=dict(doc),
            )
        except (KeyError, TypeError, InvalidKeyError) as exc:
            raise ValueError(f"not a progress.json document: {exc}") from exc


def _read(storage: FileStorage, env: str, job_id: str) -> RemoteJob:
    key = job_key(env, job_id, "progress.json")
    with storage.open_read(key) as handle:
        doc = json.load(handle)
    job = RemoteJob.from_progress(env, doc)
    if job.job_id != job_id:
        raise ValueError(f"{key} describes job {job.job_id}")
    return job


def read_remote_job(storage: FileStorage, env: str, job_id: str) -> RemoteJob:
    """The job ``job_id`` of ``env`` in the bucket.

    Raises:
        RemoteJobNotFoundError: it has no (readable) progress.json there.
        StorageError: the bucket cannot be read.
    """
    try:
        return _read(storage, env, job_id)
    except FileNotFoundError:
        raise RemoteJobNotFoundError(
            f"The shared bucket has no job '{job_id}' in environment '{env}'. List them with "
            "'dataflow remote jobs'."
        ) from None
    except ValueError as exc:
        raise RemoteJobNotFoundError(
            f"The progress.json of job '{job_id}' in the shared bucket is damaged.",
            detail=str(exc),
        ) from exc


def _read_many(storage: FileStorage, env: str, job_ids: Iterable[str]) -> list[RemoteJob]:
    def one(job_id: str) -> RemoteJob | None:
        try:
            return _read(storage, env, job_id)
        except FileNotFoundError:
            return None  # removed since the listing
        except ValueError as exc:
            log.warning("team view: ignoring the damaged progress.json of %s: %s", job_id, exc)
            return None

    ids = list(dict.fromkeys(job_ids))
    with ThreadPoolExecutor(max(1, min(READERS, len(ids)))) as pool:
        found = [job for job in pool.map(one, ids) if job is not None]
    return sorted(found, key=lambda job: job.job_id, reverse=True)


def remote_job_ids(storage: FileStorage, env: str) -> list[str]:
    """Ids of every job of ``env`` with a progress.json in the bucket, newest first."""
    ids: list[str] = []
    for info in storage.list(jobs_prefix(env)):
        if not info.key.endswith("/progress.json"):
            continue
        try:
            _, job_id, name = split_job_key(info.key)
        except InvalidKeyError:
            continue  # not ours to interpret
        if name == "progress.json":
            ids.append(job_id)
    return sorted(set(ids), reverse=True)


def list_remote_jobs(storage: FileStorage, env: str) -> list[RemoteJob]:
    """Every job of ``env`` in the bucket (running ones included), newest first."""
    return _read_many(storage, env, remote_job_ids(storage, env))


def resolve_job_id(storage: FileStorage, env: str, text: str) -> str:
    """The full id of the remote job ``text`` names (its id or a unique prefix of it).

    Raises:
        RemoteJobNotFoundError: no job, or several, match.
    """
    ids = remote_job_ids(storage, env)
    if text in ids:
        return text
    matches = [job_id for job_id in ids if job_id.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    why = "several jobs match" if matches else "no job matches"
    raise RemoteJobNotFoundError(
        f"The shared bucket has no single job '{text}' in environment '{env}' ({why}). "
        "List them with 'dataflow remote jobs'."
    )


def find_duplicates(
    storage: FileStorage, env: str, sha256: str, options_fp: str
) -> list[RemoteJob]:
    """Finished jobs of the bucket over the same PDF bytes and options, newest first."""
    prefix = index_prefix(env, sha256, options_fp)
    ids = []
    for info in storage.list(prefix):
        name = info.key[len(prefix) :]
        if name.endswith(".json") and "/" not in name:
            ids.append(name.removesuffix(".json"))
    valid = []
    for job_id in ids:
        try:
            valid.append(split_job_key(job_key(env, job_id, "progress.json"))[1])
        except InvalidKeyError:
            continue
    return [job for job in _read_many(storage, env, valid) if job.status == "success"]


def index_entry(
    env: str, job_id: str, source: Mapping[str, Any], options_fp: str, writer: str
) -> tuple[str, bytes]:
    """The key and content of a synced job's index entry.

    Args:
        env: the job's environment.
        job_id: the job.
        source: ``{name, sha256, bytes}`` of its PDF.
        options_fp: ``PipelineOptions.fingerprint()`` of its options.
        writer: the installation id of the app that processed it.
    """
    key = index_key(env, str(source["sha256"]), options_fp, job_id)
    doc = {
        "schema": 1,
        "job_id": job_id,
        "source": {k: source[k] for k in ("name", "sha256", "bytes")},
        "options_fp": options_fp,
        "writer": writer,
    }
    return key, json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()


__all__ = [
    "RemoteJob",
    "find_duplicates",
    "index_entry",
    "list_remote_jobs",
    "read_remote_job",
    "remote_job_ids",
    "resolve_job_id",
]
