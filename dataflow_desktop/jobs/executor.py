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

import hashlib
import importlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Protocol

from ..errors import DataflowError, ErrorCode, WorkerError

log = logging.getLogger(__name__)

FAULT_ENV = "DATAFLOW_FAULT_ABORT_ON"
"""Test hook: a worker calls ``os.abort()`` (as a native MuPDF crash would end it) on a
task whose path argument contains this text or, for ``sha256:<prefix>``, whose file
content has a sha256 starting with ``<prefix>``. Never set in production."""


class Executor(Protocol):
    """Runs picklable tasks (module-level functions over file paths) and returns futures."""

    @property
    def max_workers(self) -> int: ...

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]: ...

    def shutdown(self, *, wait: bool = True) -> None: ...


class RemoteError(Exception):
    """A :class:`DataflowError` raised in a worker, carried across the process boundary.

    ``DataflowError`` takes keyword-only arguments, which plain exception pickling loses
    (the code would fall back to the class default); this envelope keeps them.
    """

    def __init__(self, module: str, qualname: str, code: str, message: str, detail: str | None):
        super().__init__(module, qualname, code, message, detail)
        self.parts = (module, qualname, code, message, detail)

    @classmethod
    def wrap(cls, exc: DataflowError) -> RemoteError:
        """Envelope for ``exc``."""
        kind = type(exc)
        return cls(kind.__module__, kind.__qualname__, exc.code.value, exc.user_message, exc.detail)

    def unwrap(self) -> DataflowError:
        """The original error class, code, message and detail."""
        module, qualname, code, message, detail = self.parts
        kind: type[DataflowError] = DataflowError
        if module.split(".")[0] == "dataflow_desktop" and "." not in qualname:
            found = getattr(importlib.import_module(module), qualname, None)
            if isinstance(found, type) and issubclass(found, DataflowError):
                kind = found
        error = kind.__new__(kind)
        # Bypass subclass __init__ signatures: every DataflowError is rebuilt the same way.
        DataflowError.__init__(error, message, code=ErrorCode(code), detail=detail)
        return error


def _worker_init() -> None:
    # Ctrl+C reaches the whole process group; the parent cancels jobs cooperatively, so
    # workers ignore it instead of dying and breaking the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _fault_hook(args: tuple[Any, ...]) -> None:
    marker = os.environ.get(FAULT_ENV)
    if not marker:
        return
    for arg in args:
        if not isinstance(arg, str | PurePath):
            continue
        if marker.startswith("sha256:"):
            try:
                digest = hashlib.sha256(Path(arg).read_bytes()).hexdigest()
            except OSError:
                continue
            if digest.startswith(marker[7:]):
                os.abort()
        elif marker in str(arg):
            os.abort()


def _invoke(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run one task in a worker, translating our errors into a picklable envelope."""
    _fault_hook(args)
    try:
        return fn(*args, **kwargs)
    except DataflowError as exc:
        raise RemoteError.wrap(exc) from None


def _deliver(outer: Future[Any], inner: Future[Any]) -> None:
    exc = inner.exception()
    if exc is None:
        outer.set_result(inner.result())
    elif isinstance(exc, RemoteError):
        outer.set_exception(exc.unwrap())
    else:
        outer.set_exception(exc)


@dataclass(eq=False)
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    outer: Future[Any] = field(default_factory=Future)
    generation: int = -1


class ProcessExecutor:
    """A spawn process pool that lives as long as the app, isolating native crashes.

    Args:
        max_workers: worker processes (``settings.workers``).
    """

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max(1, max_workers)
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
        return ProcessPoolExecutor(workers, mp_context=self._context, initializer=_worker_init)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue ``fn(*args, **kwargs)``; the future may be cancelled until it starts."""
        if self._closing:
            raise RuntimeError("executor is shut down")
        task = _Task(fn, args, kwargs)
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
            kind, payload = self._events.get()
            if kind == "submit":
                self._pending.append(payload)
            elif kind == "done":
                self._on_done(payload)
            elif kind == "shutdown":
                stopping = True
                for task in self._pending:
                    task.outer.cancel()
                self._pending.clear()
            if stopping and not self._inflight:
                break
            self._fill()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._quarantine.put(None)
        self._closed.set()

    def _fill(self) -> None:
        while self._pending and len(self._inflight) < self._max_workers:
            task = self._pending.popleft()
            if task.generation < 0 and not task.outer.set_running_or_notify_cancel():
                continue  # cancelled by its job before it started
            if self._pool is None:
                self._pool = self._new_pool(self._max_workers)
            try:
                inner = self._pool.submit(_invoke, task.fn, task.args, task.kwargs)
            except BrokenProcessPool:
                self._replace_pool(self._generation)
                task.generation = self._generation
                self._pending.appendleft(task)
                continue
            except RuntimeError as exc:  # the interpreter is exiting: fail, don't hang
                task.outer.set_exception(exc)
                continue
            task.generation = self._generation
            self._inflight[inner] = task
            inner.add_done_callback(lambda done: self._events.put(("done", done)))

    def _on_done(self, inner: Future[Any]) -> None:
        task = self._inflight.pop(inner)
        if isinstance(inner.exception(), BrokenProcessPool):
            self._replace_pool(task.generation)
            log.warning("Task %s was in flight when a worker crashed; re-running it alone",
                        getattr(task.fn, "__name__", task.fn))  # fmt: skip
            self._quarantine.put(task)
        else:
            _deliver(task.outer, inner)

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
            inner = pool.submit(_invoke, task.fn, task.args, task.kwargs)
            if isinstance(inner.exception(), BrokenProcessPool):
                name = getattr(task.fn, "__name__", "task")
                log.error("Task %s crashed its worker again when run alone: it is the cause", name)
                task.outer.set_exception(WorkerError(detail=f"{name} crashed a worker process"))
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


__all__ = ["FAULT_ENV", "Executor", "ProcessExecutor", "RemoteError", "SerialExecutor"]
