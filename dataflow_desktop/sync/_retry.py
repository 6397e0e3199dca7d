"""Retries and progress for the sync executor: the policy, tenacity, a byte meter.

Transient failures (``StorageTransientError``: network down, server restarting,
throttled) and a stored copy that failed verification are retried with exponential
backoff; the wait is cut short by cancellation. When the policy runs out, the last
error propagates and the caller leaves the job *waiting for network*.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from ..events import CancelToken
from ..storage.base import StorageTransientError
from ..storage.remote import StorageIntegrityError

log = logging.getLogger(__name__)

RETRYABLE: tuple[type[Exception], ...] = (StorageTransientError, StorageIntegrityError)
ProgressFn = Callable[[int, int], None]
"""Called with ``(bytes done, bytes total)`` of the job (throttled)."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long transient failures are retried before the sync is left waiting.

    The default gives up after about 7 s of waits (1 + 2 + 4): long enough for a
    server restart or a Wi-Fi hand-over, short enough that an offline batch is not
    held up; later retries are the offline queue's job.

    Attributes:
        attempts: attempts at most (the first one included).
        initial: first wait in seconds (doubled each time).
        maximum: longest single wait.
        deadline: give up after this many seconds in total.
    """

    attempts: int = 4
    initial: float = 1.0
    maximum: float = 10.0
    deadline: float = 60.0


def retrying(policy: RetryPolicy, fn: Callable[[], _T], cancel: CancelToken) -> _T:
    """Call ``fn`` until it succeeds, raises a non-retryable error, or ``policy`` ends.

    Raises:
        Cancelled: ``cancel`` was set while waiting between attempts.
    """

    def sleep(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            cancel.check()
            time.sleep(min(left, 0.1))

    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.info("sync: attempt %d failed (%s); retrying", state.attempt_number, error)

    runner = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(RETRYABLE),
        stop=tenacity.stop_after_attempt(policy.attempts)
        | tenacity.stop_after_delay(policy.deadline),
        wait=tenacity.wait_exponential(multiplier=policy.initial, max=policy.maximum),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    return runner(fn)


class Meter:
    """Bytes done of one push, reported at most every ``interval`` seconds.

    ``add`` is called from the transfer threads (negative counts when a part is
    retried); the total never goes below zero nor above ``total``.
    """

    def __init__(self, total: int, report: ProgressFn | None, interval: float) -> None:
        self.total = total
        self._report = report
        self._interval = interval
        self._lock = threading.Lock()
        self._done = 0
        self._shown = -1.0

    def start(self, base: int) -> None:
        """Start (again) from ``base`` bytes already in the bucket."""
        with self._lock:
            self._done = base
        self._emit(force=True)

    def add(self, count: int) -> None:
        """Count ``count`` more bytes sent."""
        with self._lock:
            self._done = max(0, min(self.total, self._done + count))
        self._emit(force=False)

    def _emit(self, *, force: bool) -> None:
        if self._report is None:
            return
        now = time.monotonic()
        if not force and now - self._shown < self._interval:
            return
        self._shown = now
        self._report(self._done, self.total)


__all__ = ["RETRYABLE", "Meter", "ProgressFn", "RetryPolicy", "retrying"]
