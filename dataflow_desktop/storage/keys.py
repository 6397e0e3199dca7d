"""Storage keys, built only here and only from checked parts (DESIGN.md → Storage layout)."""

from __future__ import annotations

import re
import secrets
import time
from typing import Final

ENVIRONMENTS: Final = ("dev", "staging", "prod")

_JOB_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$")
# A relative name inside a job folder: lowercase-ish segments, no dot-segments.
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip


class InvalidKeyError(ValueError):
    """A key part failed validation (never built from unchecked user text)."""


def new_job_id(now: float | None = None) -> str:
    """A sortable, unguessable job id: ``YYYYMMDD-HHMMSS-<8 hex>`` (UTC)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    return f"{stamp}-{secrets.token_hex(4)}"


def check_env(env: str) -> str:
    """Return ``env`` if it is one of :data:`ENVIRONMENTS`."""
    if env not in ENVIRONMENTS:
        raise InvalidKeyError(f"unknown environment {env!r}; expected one of {ENVIRONMENTS}")
    return env


def check_job_id(job_id: str) -> str:
    """Return ``job_id`` if it has the shape :func:`new_job_id` makes."""
    if not _JOB_ID.match(job_id):
        raise InvalidKeyError(f"invalid job id {job_id!r}")
    return job_id


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe relative ``/``-separated path inside a job folder."""
    parts = name.split("/")
    if not name or len(parts) > 4:
        raise InvalidKeyError(f"invalid object name {name!r}")
    for part in parts:
        stem = part.split(".", 1)[0].lower()
        if not _SEGMENT.match(part) or part.endswith(".") or stem in _WINDOWS_RESERVED:
            raise InvalidKeyError(f"invalid object name {name!r}")
    return name


def jobs_prefix(env: str) -> str:
    """The prefix under which every job of ``env`` lives."""
    return f"{check_env(env)}/jobs/"


def job_prefix(env: str, job_id: str) -> str:
    """The folder key (with trailing slash) of one job."""
    return f"{jobs_prefix(env)}{check_job_id(job_id)}/"


def job_key(env: str, job_id: str, name: str) -> str:
    """The key of file ``name`` (e.g. ``pages/0001.png``) of a job."""
    return job_prefix(env, job_id) + check_name(name)


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


def index_prefix(env: str, sha256: str, options_fp: str) -> str:
    """The folder of index entries of jobs over the same bytes with the same options.

    ``<env>/index/<sha256>/<options fingerprint>/``: one listing answers "did a
    teammate already process this PDF with these options?" (sync dedupe).
    """
    if not _SHA256.match(sha256) or not _FINGERPRINT.match(options_fp):
        raise InvalidKeyError(f"invalid index digest {sha256!r}/{options_fp!r}")
    return f"{check_env(env)}/index/{sha256}/{options_fp}/"


def index_key(env: str, sha256: str, options_fp: str, job_id: str) -> str:
    """The index entry of one synced job (written once all its files are verified)."""
    return f"{index_prefix(env, sha256, options_fp)}{check_job_id(job_id)}.json"


PROBE_PREFIX: Final = "_dataflow-probe/"


def probe_key(token: str) -> str:
    """A key under the reserved probe prefix (``dataflow remote test``), never a job's."""
    if not re.fullmatch(r"[0-9a-f]{8,64}", token):
        raise InvalidKeyError(f"invalid probe token {token!r}")
    return f"{PROBE_PREFIX}{token}.txt"


def split_job_key(key: str) -> tuple[str, str, str]:
    """Inverse of :func:`job_key`: ``(env, job_id, name)``; ``InvalidKeyError`` if not a job key."""
    parts = key.split("/", 3)
    if len(parts) != 4 or parts[1] != "jobs":
        raise InvalidKeyError(f"not a job key: {key!r}")
    env, _, job_id, name = parts
    return check_env(env), check_job_id(job_id), check_name(name)
