"""Follow jobs through their progress.json in a shared bucket (no Temporal needed).

Whoever runs a job (a Temporal worker, a teammate's app), its progress.json is the
contract (DESIGN.md), so following is reading that file. :class:`ProgressFollower`
polls the files of a set of jobs and reports the ones that changed; the CLI draws them
as progress bars, and a GUI can call :meth:`ProgressFollower.poll` from a timer (it
blocks on the bucket: call it off the GUI thread).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import StorageError
from ..jobs.progress import TERMINAL_STEPS, read_progress
from ..storage.base import FileStorage
from ..storage.keys import job_key

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 0.5


class ProgressFollower:
    """The latest progress.json of each job, and which changed since the last poll.

    Args:
        storage: the shared bucket (the environment's).
        env: the jobs' environment.
        job_ids: the jobs to follow.
    """

    def __init__(self, storage: FileStorage, env: str, job_ids: Iterable[str]) -> None:
        self.storage = storage
        self.env = env
        self.docs: dict[str, dict[str, Any] | None] = dict.fromkeys(job_ids)

    def poll(self) -> dict[str, dict[str, Any]]:
        """Read every unfinished job's progress.json; returns those that changed.

        A transient storage error skips a job until the next poll (it is logged).
        """
        changed: dict[str, dict[str, Any]] = {}
        for job_id, previous in self.docs.items():
            if previous is not None and previous["status"] in TERMINAL_STEPS:
                continue
            try:
                doc = read_progress(self.storage, job_key(self.env, job_id, "progress.json"))
            except (StorageError, ValueError) as exc:  # a torn read is not possible, a hiccup is
                log.warning("Cannot read the progress of %s yet: %s", job_id, exc)
                continue
            if doc is not None and doc != previous:
                changed[job_id] = doc
        self.docs.update(changed)
        return changed

    @property
    def finished(self) -> bool:
        """Whether every job reached ``success``, ``failed`` or ``cancelled``."""
        return all(
            doc is not None and doc["status"] in TERMINAL_STEPS for doc in self.docs.values()
        )

    def follow(
        self,
        on_change: Callable[[dict[str, dict[str, Any]]], None] | None = None,
        *,
        interval: float = DEFAULT_INTERVAL,
        timeout: float | None = None,
    ) -> bool:
        """Poll until every job ended (``True``) or ``timeout`` seconds passed (``False``).

        Args:
            on_change: called with the changed documents after each poll that found some.
            interval: seconds between polls.
            timeout: give up after this long (``None``: wait as long as it takes).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            changed = self.poll()
            if changed and on_change is not None:
                on_change(changed)
            if self.finished:
                return True
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(interval)


__all__ = ["ProgressFollower"]
