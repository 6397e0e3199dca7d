"""What submitting a file gave: a new job, an existing equal job, or a reason to skip it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import DataflowError


@dataclass(frozen=True, slots=True)
class Submission:
    """What happened to one submitted file.

    Attributes:
        path: the file.
        status: ``queued`` (a new job), ``duplicate`` (an equal job exists: ``job_id``)
            or ``skipped`` (not processed: ``error`` says why).
        job_id: the new or existing job.
        error: why it was skipped.
        explicit: named by the caller (``False`` when found by walking a folder).
        reused_from: for a ``duplicate`` pulled from the shared bucket (a teammate
            already processed it with the same options): the remote's name.
    """

    path: Path
    status: Literal["queued", "duplicate", "skipped"]
    job_id: str | None = None
    error: DataflowError | None = None
    explicit: bool = True
    reused_from: str | None = None


def expand_paths(paths: Iterable[Path | str]) -> list[tuple[Path, bool]]:
    """Files to consider: named files as given, folders walked recursively (sorted)."""
    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend((p, False) for p in sorted(path.rglob("*")) if p.is_file())
        else:
            found.append((path, True))
    return found


__all__ = ["Submission", "expand_paths"]
