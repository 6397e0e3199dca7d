"""The app-lifetime process pool for PDF work, with crash isolation, and its serial twin.

PyMuPDF must not be used from several threads, and a malformed PDF can crash MuPDF
natively, so page work runs in ``spawn`` worker processes (RECIPES.md §10: one pool for
the app's life, since each new pool costs over a second). A native crash breaks a
``concurrent.futures`` pool for every task in flight; :class:`ProcessExecutor` keeps at
most ``max_workers`` tasks in the pool so that only those few are suspects, rebuilds the
pool, and re-runs each suspect alone in a one-worker quarantine pool: the one that
crashes again is guilty (:class:`~dataflow_desktop.errors.WorkerError`), the others
deliver their results as if nothing happened.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from ..errors import ErrorCode, WorkerError
from ._worker import FAULT_ALLOC_ENV, FAULT_ENV, FAULT_HANG_ENV, RemoteError, invoke, worker_init

log = logging.getLogger(__name__)

_KILL_GRACE_S = 10.0  # how long a killed worker may take to be reaped


class Executor(Protocol):
    """Runs picklable tasks (module-level functions over file paths) and returns futures."""

    @property
    def max_workers(self) -> int: ...

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]: ...

    def shutdown(self, *, wait: bool = True) -> None: ...


def task_pages(args: tuple[Any, ...]) -> int:
    """How many pages a task covers, for its time budget.

    Page tasks take their page indices as a list (``extract_pages``, ``render_pages``,
    the OCR hook); ``analyze_work`` takes ``(first, stop)`` ranges. Anything else
    (pre-flight) counts as one page.
    """
    for arg in args:
        if not isinstance(arg, list | tuple | range) or not arg:
            continue
        if all(isinstance(item, int) for item in arg):
            return len(arg)
        spans = [item for item in arg if isinstance(item, tuple) and len(item) == 2]
        if len(spans) == len(arg):
            return max(1, sum(int(stop) - int(first) for first, stop in spans))
    return 1


def _deliver(outer: Future[Any], inner: Future[Any]) -> None:
    exc = inner.exception()
    if exc is None:
        outer.set_result(inner.result())
    elif isinstance(exc, RemoteError):
        outer.set_exception(exc.unwrap())
    else:
        outer.set_exception(exc)


def _workers(pool: ProcessPoolExecutor) -> list[BaseProcess]:
    # ProcessPoolExecutor has no public way to reach or kill its workers before
    # Python 3.14 (terminate_workers); its ``_processes`` map is stable since 3.2.
    return list((getattr(pool, "_processes", None) or {}).values())


def _kill(processes: list[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(_KILL_GRACE_S)


def _killed_by_system(processes: list[BaseProcess]) -> bool:
    """Whether a dead worker got SIGKILL we did not send: the kernel's OOM killer."""
    deadline = time.monotonic() + _KILL_GRACE_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        # The pool's own thread reaps a dead worker too: when it wins, this thread's wait
        # finds no child and the exit code shows only once that thread has recorded it.
        while process.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.01)
    return any(process.exitcode == -9 for process in processes)


def _timeout_error(task: _Task) -> WorkerError:
    name = getattr(task.fn, "__name__", "task")
    return WorkerError(code=ErrorCode.WORKER_TIMEOUT,
                       detail=f"{name} ran over its {task.budget:g} s limit")  # fmt: skip


@dataclass(eq=False)
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    budget: float = 0.0  # seconds the task may run in a worker (0: no limit)
    outer: Future[Any] = field(default_factory=Future)
    generation: int = -1
    deadline: float = 0.0
    pool: ProcessPoolExecutor | None = None  # the pool it runs in (pools are replaced)
    workers: list[BaseProcess] = field(default_factory=list)  # that pool's processes


class ProcessExecutor:
    """A spawn process pool that lives as long as the app, isolating native crashes.

    A task that runs longer than ``page_timeout_s`` per page it covers (see
    :func:`task_pages`) has its worker killed and fails with ``worker_timeout``; the
    other tasks in flight are re-run as after a crash. Each worker's address space is
    capped at ``memory_mb``: a task that reaches the cap fails with ``out_of_memory``.

    Args:
        max_workers: worker processes (``settings.workers``).
        page_timeout_s: seconds allowed per page (``settings.page_timeout_s``; 0: none).
        memory_mb: address-space cap of each worker (``settings.worker_memory_mb``; 0: none).
    """

    def __init__(self, max_workers: int, *, page_timeout_s: float = 0, memory_mb: int = 0) -> None:
        self._max_workers = max(1, max_workers)
        self._page_timeout = max(0.0, page_timeout_s)
        self._memory_mb = max(0, memory_mb)
        self._context = multiprocessing.get_context("spawn")
        self._events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._pending: deque[_Task] = deque()
        self._inflight: dict[Future[Any], _Task] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0
        self._closing = False
        self._closed = threading.Event()
        self._quarantine: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self.crashes = 0
        self.timeouts = 0
        self._dispatcher = threading.Thread(
            target=self._dispatch_loop, name="dataflow-dispatch", daemon=True
        )
        self._isolator = threading.Thread(
            target=self._quarantine_loop, name="dataflow-quarantine", daemon=True
        )
        self._dispatcher.start()
        self._isolator.start()

    @property
    def max_workers(self) -> int:
        """How many tasks run at once."""
        return self._max_workers

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self._context,
                                   initializer=partial(worker_init, self._memory_mb))  # fmt: skip

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue ``fn(*args, **kwargs)``; the future may be cancelled until it starts."""
        if self._closing:
            raise RuntimeError("executor is shut down")
        task = _Task(fn, args, kwargs, budget=self._page_timeout * task_pages(args))
        self._events.put(("submit", task))
        return task.outer

    def shutdown(self, *, wait: bool = True) -> None:
        """Cancel queued tasks, let running ones finish (if ``wait``), stop the workers."""
        if not self._closing:
            self._closing = True
            self._events.put(("shutdown", None))
        if wait:
            self._closed.wait()
            self._dispatcher.join()
            self._isolator.join()

    # -- dispatcher thread ----------------------------------------------------------------

    def _dispatch_loop(self) -> None:
        # Stop only once the shutdown event itself is handled: ``_closing`` is set by the
        # caller's thread and may be seen while earlier submit events are still queued.
        stopping = False
        while True:
            try:
                kind, payload = self._events.get(timeout=self._until_next_deadline())
            except queue.Empty:
                kind, payload = "tick", None
            if kind == "submit":
                self._pending.append(payload)
            elif kind == "done":
                self._on_done(payload)
            elif kind == "shutdown":
                stopping = True
                for task in self._pending:
                    task.outer.cancel()
                self._pending.clear()
            self._expire()
            if stopping and not self._inflight:
                break
            self._fill()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._quarantine.put(None)
        self._closed.set()

    def _until_next_deadline(self) -> float | None:
        deadlines = [task.deadline for task in self._inflight.values() if task.budget]
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _fill(self) -> None:
        while self._pending and len(self._inflight) < self._max_workers:
            task = self._pending.popleft()
            if task.generation < 0 and not task.outer.set_running_or_notify_cancel():
                continue  # cancelled by its job before it started
            if self._pool is None:
                self._pool = self._new_pool(self._max_workers)
            try:
                inner = self._pool.submit(invoke, task.fn, task.args, task.kwargs)
            except BrokenProcessPool:
                self._replace_pool(self._generation)
                task.generation = self._generation
                self._pending.appendleft(task)
                continue
            except RuntimeError as exc:  # the interpreter is exiting: fail, don't hang
                task.outer.set_exception(exc)
                continue
            task.generation = self._generation
            task.pool = self._pool
            task.workers = _workers(self._pool)  # a retired pool no longer lists them
            # At most max_workers tasks are in the pool, so each starts at once; the
            # clock includes a fresh worker's start-up, small against a page budget.
            task.deadline = time.monotonic() + task.budget
            self._inflight[inner] = task
            inner.add_done_callback(lambda done: self._events.put(("done", done)))

    def _on_done(self, inner: Future[Any]) -> None:
        task = self._inflight.pop(inner, None)
        if task is None:
            return  # a timed-out task, already failed by _expire
        if isinstance(inner.exception(), BrokenProcessPool):
            self._replace_pool(task.generation)
            log.warning("Task %s was in flight when a worker crashed; re-running it alone",
                        getattr(task.fn, "__name__", task.fn))  # fmt: skip
            self._quarantine.put(task)
        else:
            _deliver(task.outer, inner)
            error = inner.exception()
            if isinstance(error, RemoteError) and error.parts[2] == ErrorCode.OUT_OF_MEMORY:
                self._retire_pool(task.generation)

    def _retire_pool(self, generation: int) -> None:
        """Start new workers for what follows a task that ran out of memory.

        Its worker survived the failed allocation, but its heap may stay near the cap
        (freed memory is not always returned), so the next task there could fail for no
        fault of its own. The tasks already running in the old pool finish in it.
        """
        if generation != self._generation or self._pool is None:
            return
        log.warning("A worker ran out of memory; starting fresh workers for the next tasks")
        self._pool.shutdown(wait=False)
        self._pool = None
        self._generation += 1

    def _expire(self) -> None:
        """Fail the tasks past their deadline and kill the pool they hang in."""
        now = time.monotonic()
        overdue = [inner for inner, task in self._inflight.items()
                   if task.budget and task.deadline <= now and not inner.done()]  # fmt: skip
        if not overdue:
            return
        hung = []
        for inner in overdue:
            task = self._inflight.pop(inner)
            hung.append(task)
            log.error("Task %s ran over its %g s limit; stopping its worker",
                      getattr(task.fn, "__name__", task.fn), task.budget)  # fmt: skip
            task.outer.set_exception(_timeout_error(task))
            self.timeouts += 1
        # One hung worker cannot be told apart from the others, and killing any worker
        # breaks the pool anyway: the others' tasks are re-run alone, as after a crash.
        # The pool a task hangs in may be one _retire_pool already replaced.
        for task in hung:
            _kill(task.workers)
        if self._pool is not None and any(task.pool is self._pool for task in hung):
            self._pool.shutdown(wait=False)
            self._pool = None
            self._generation += 1

    def _replace_pool(self, broken_generation: int) -> None:
        if broken_generation != self._generation:
            return  # this breakage was already handled
        self.crashes += 1
        log.error("A PDF worker process crashed; restarting the worker pool")
        if self._pool is not None:
            self._pool.shutdown(wait=False)
        self._pool = None
        self._generation += 1

    # -- quarantine thread ----------------------------------------------------------------

    def _quarantine_loop(self) -> None:
        pool: ProcessPoolExecutor | None = None
        while (task := self._quarantine.get()) is not None:
            pool = pool or self._new_pool(1)
            inner = pool.submit(invoke, task.fn, task.args, task.kwargs)
            workers = _workers(pool)
            name = getattr(task.fn, "__name__", "task")
            try:
                error = inner.exception(timeout=task.budget or None)
            except FutureTimeout:
                log.error("Task %s ran over its %g s limit when run alone", name, task.budget)
                self.timeouts += 1
                task.outer.set_exception(_timeout_error(task))
                _kill(workers)
                pool.shutdown(wait=False)
                pool = None
                continue
            if isinstance(error, BrokenProcessPool):
                log.error("Task %s crashed its worker again when run alone: it is the cause", name)
                if _killed_by_system(workers):
                    detail = f"{name}: worker killed by the system"
                    failure = WorkerError(code=ErrorCode.OUT_OF_MEMORY, detail=detail)
                else:
                    failure = WorkerError(detail=f"{name} crashed a worker process")
                task.outer.set_exception(failure)
                pool.shutdown(wait=False)
                pool = None
            else:
                _deliver(task.outer, inner)
        if pool is not None:
            pool.shutdown(wait=True)


class SerialExecutor:
    """Runs each task inline in the calling thread (the deterministic twin for tests)."""

    max_workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn`` now; its result or exception is in the returned future."""
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 -- moved into the future, as a pool would
            future.set_exception(exc)
        return future

    def shutdown(self, *, wait: bool = True) -> None:
        """Nothing to stop."""


__all__ = [
    "FAULT_ALLOC_ENV",
    "FAULT_ENV",
    "FAULT_HANG_ENV",
    "Executor",
    "ProcessExecutor",
    "RemoteError",
    "SerialExecutor",
    "task_pages",
]
