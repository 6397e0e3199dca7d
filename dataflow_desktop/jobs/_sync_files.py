"""What a job sends to the bucket: its files, progress.json and its index entry.

The sha256 of each result comes from the job's ``outputs`` rows (computed when the
file was stored) and the source's from the job row, so listing a job costs no
hashing; anything else is hashed on the spot. Wave 0 holds the results; wave 1 the
final progress.json and the index entry, sent only once every result is verified.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from ..storage.base import FileStorage
from ..storage.keys import check_name, index_prefix, job_key, job_prefix
from ..storage.ops import read_bytes
from ..sync.engine import SyncRequest
from ..sync.planner import LocalFile
from ..sync.team import index_entry
from ._schema import JobRecord, StepRecord
from ._time import parse_iso, utc_iso
from .store import JobStore

HEAVY = ("pages/", "thumbs/", "images/", "bundle.zip", "source.pdf")  # cloud-only removes these


def dumps(doc: dict[str, Any]) -> bytes:
    """progress.json bytes exactly as :class:`~.progress.ProgressWriter` writes them."""
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def heavy(name: str) -> bool:
    """Whether a job file is a heavy copy that cloud-only mode removes locally."""
    return name.startswith(HEAVY[:3]) or name in HEAVY[3:]


def amend_upload(doc: dict[str, Any], total: int) -> dict[str, Any]:
    """``doc`` (a finished job's progress.json) with its upload step recorded as done."""
    doc = copy.deepcopy(doc)
    now = utc_iso()
    steps: list[dict[str, Any]] = doc["steps"]
    entry = next((e for e in steps if e["name"] == "upload"), None)
    if entry is None:
        entry = {"name": "upload", "started_at": now}
        at = next((i for i, e in enumerate(steps) if e["name"] == "clean"), len(steps))
        steps.insert(at, entry)
    entry.pop("reason", None)
    entry.update(status="done", done=total, total=total, ended_at=now)
    entry.setdefault("started_at", now)
    doc["updated_at"] = now
    return doc


def upload_step(job_id: str, doc: dict[str, Any]) -> StepRecord:
    """The ``steps`` row of the upload step of an amended progress.json."""
    entry = next(e for e in doc["steps"] if e["name"] == "upload")
    started, ended = entry["started_at"], entry["ended_at"]
    took = max(0, int((parse_iso(ended) - parse_iso(started)).total_seconds() * 1000))
    return StepRecord(job_id, "upload", "done", entry["done"], entry["total"], started, ended, took)


def sha256_of(blob: bytes) -> str:
    """Hex sha256 of ``blob``."""
    return hashlib.sha256(blob).hexdigest()


def job_files(store: JobStore, storage: FileStorage, job: JobRecord) -> list[LocalFile]:
    """The job's local files except progress.json (wave 0)."""
    prefix = job_prefix(job.env, job.id)
    shas = {o.key: o.sha256 for o in store.outputs(job.id) if o.sha256}
    shas[job_key(job.env, job.id, "source.pdf")] = job.sha256
    files = []
    for info in storage.list(prefix):
        if info.key == prefix + "progress.json":
            continue
        check_name(info.key[len(prefix) :])
        sha = shas.get(info.key) or storage.fingerprint(info.key)
        path = storage.local_path(info.key)
        data = None if path is not None else read_bytes(storage, info.key)
        files.append(LocalFile(info.key, info.size, sha, path, data))
    return files


def job_request(
    store: JobStore,
    storage: FileStorage,
    job: JobRecord,
    publish: dict[str, Any] | None,
    *,
    writer: str,
    cloud_only: bool,
) -> SyncRequest:
    """Results, then ``publish`` as progress.json plus the index entry (wave 1).

    Args:
        store: the job store (sha256 of the outputs).
        storage: the local storage.
        job: the job.
        publish: the progress.json to publish once the results are verified (``None``:
            results only).
        writer: this installation's id (recorded in the index entry).
        cloud_only: let the heavy local copies go once everything is verified.
    """
    files = job_files(store, storage, job)
    progress_key = job_key(job.env, job.id, "progress.json")
    if publish is not None:
        blob = dumps(publish)
        files.append(LocalFile(progress_key, len(blob), sha256_of(blob), data=blob, wave=1))
        source = {"name": job.source_name, "sha256": job.sha256, "bytes": job.bytes}
        key, entry = index_entry(job.env, job.id, source, job.options_fp, writer)
        files.append(LocalFile(key, len(entry), sha256_of(entry), data=entry, wave=1))
    prefix = job_prefix(job.env, job.id)
    deletable = frozenset(f.key for f in files if cloud_only and heavy(f.key[len(prefix) :]))
    prefixes = (prefix, index_prefix(job.env, job.sha256, job.options_fp))
    return SyncRequest(job.id, tuple(files), prefixes, deletable, frozenset({progress_key}))


__all__ = [
    "HEAVY",
    "amend_upload",
    "dumps",
    "heavy",
    "job_files",
    "job_request",
    "sha256_of",
    "upload_step",
]
