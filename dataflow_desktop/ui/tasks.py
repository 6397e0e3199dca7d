"""The only module of the window that touches threads (STYLE.md §2).

A :class:`Task` is a ``QRunnable`` holding a ``QObject`` that carries its signals
(superqt's ``WorkerBase``); it runs on the :class:`TaskManager`'s own ``QThreadPool``.
Progress reaches the GUI at most every ``progress_interval`` seconds and the newest
value wins (or values are merged with a ``coalesce`` function when every change must
arrive, e.g. per-job updates). Workers never touch widgets: they only emit signals,
which Qt queues to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import Cancelled

log = logging.getLogger(__name__)

Coalesce = Callable[[Any, Any], Any]


class TaskCancel:
    """A thread-safe cancellation token (``events.CancelToken``) that can also be slept on."""

    def __init__(self) -> None:
        self._event = threading.Event()

    @property
    def cancelled(self) -> bool:
        """Whether cancellation was asked for."""
        return self._event.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._event.set()

    def check(self) -> None:
        """Raise :class:`~dataflow_desktop.errors.Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking early on cancel; returns ``cancelled``."""
        return self._event.wait(timeout)


class TaskSignals(QObject):
    """Signals of one :class:`Task` (emitted from the worker thread, delivered queued).

    Signals:
        started(): the function began running.
        progress(object): the newest (or coalesced) progress value.
        succeeded(object): the function's return value.
        failed(object): the exception the function raised.
        cancelled(): the task was cancelled (before or while running).
        finished(): always last, whatever the outcome.
    """

    started = Signal()
    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """Runs ``fn(*args, **kwargs)`` on a pool thread.

    With ``controlled=True`` the function also gets keyword-only ``progress`` (a
    callable taking one value) and ``cancel`` (a :class:`TaskCancel`).
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        controlled: bool = False,
        progress_interval: float = 0.1,
        coalesce: Coalesce | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__()
        # We hold the reference (TaskManager._live); Qt must not delete the wrapper.
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self.token = TaskCancel()
        self.name = name or getattr(fn, "__qualname__", repr(fn))
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._controlled = controlled
        self._interval = progress_interval
        self._coalesce = coalesce
        self._lock = threading.Lock()
        self._pending: Any = None
        self._has_pending = False
        self._last_emit = float("-inf")

    def cancel(self) -> None:
        """Ask the task to stop (cooperative: the function checks ``cancel``)."""
        self.token.cancel()

    def _report(self, value: Any) -> None:
        """The ``progress`` callable given to the function (thread-safe, throttled)."""
        with self._lock:
            if self._has_pending and self._coalesce is not None:
                value = self._coalesce(self._pending, value)
            self._pending, self._has_pending = value, True
            now = time.monotonic()
            if now - self._last_emit < self._interval:
                return
            self._last_emit = now
            value, self._pending, self._has_pending = self._pending, None, False
        self.signals.progress.emit(value)

    def _flush(self) -> None:
        with self._lock:
            if not self._has_pending:
                return
            value, self._pending, self._has_pending = self._pending, None, False
        self.signals.progress.emit(value)

    def run(self) -> None:
        """Run the function and emit its outcome (called by the pool thread)."""
        signals = self.signals
        if self.token.cancelled:
            signals.cancelled.emit()
            signals.finished.emit()
            return
        signals.started.emit()
        kwargs = dict(self._kwargs)
        if self._controlled:
            kwargs.update(progress=self._report, cancel=self.token)
        try:
            result = self._fn(*self._args, **kwargs)
        except Cancelled:
            self._flush()
            signals.cancelled.emit()
        # The thread boundary: anything the function raises is carried to the GUI
        # thread's single handler (crash.report_exception) instead of dying here.
        except Exception as exc:
            log.debug("Task %s failed", self.name, exc_info=True)
            self._flush()
            signals.failed.emit(exc)
        else:
            self._flush()
            signals.succeeded.emit(result)
        signals.finished.emit()


class TaskManager(QObject):
    """Our ``QThreadPool`` and the tasks alive on it; cancels and awaits them on quit.

    Signals:
        task_failed(object): a task without its own failure slot raised this exception.
    """

    task_failed = Signal(object)

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[Task] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        """Run a plain call ``fn(*args, **kwargs)`` in the background."""
        task = Task(fn, *args, **kwargs)
        return self.start(task, on_success=on_success, on_failure=on_failure)

    def start(
        self,
        task: Task,
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Any], None] | None = None,
    ) -> Task:
        """Start ``task``, keeping it referenced until it finishes."""
        if on_success is not None:
            task.signals.succeeded.connect(on_success)
        task.signals.failed.connect(on_failure if on_failure is not None else self.task_failed)
        task.signals.finished.connect(lambda: self._live.discard(task))
        self._live.add(task)
        self.pool.start(task)
        return task

    @property
    def active(self) -> int:
        """How many tasks are queued or running."""
        return len(self._live)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel every task, drop the queued ones and wait for the running ones.

        Returns:
            Whether every task ended within ``timeout_ms``.
        """
        for task in list(self._live):
            task.cancel()
            if self.pool.tryTake(task):
                self._live.discard(task)
        done = self.pool.waitForDone(timeout_ms)
        if not done:
            log.warning("Background tasks still running after %d ms", timeout_ms)
        return done


__all__ = ["Task", "TaskCancel", "TaskManager", "TaskSignals"]
