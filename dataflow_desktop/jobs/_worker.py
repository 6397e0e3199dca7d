"""What runs inside a pool worker process: its memory cap, the task wrapper, the fault hooks.

Kept apart from :mod:`.executor` (the parent side) because everything here is pickled
by reference and executed in the ``spawn`` workers.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from ..errors import DataflowError, ErrorCode, WorkerError

log = logging.getLogger(__name__)

FAULT_ENV = "DATAFLOW_FAULT_ABORT_ON"
"""Test hook: a worker calls ``os.abort()`` (as a native MuPDF crash would end it) on a
task whose path argument contains this text or, for ``sha256:<prefix>``, whose file
content has a sha256 starting with ``<prefix>``. Never set in production."""

FAULT_HANG_ENV = "DATAFLOW_FAULT_HANG_ON"
"""Test hook, matched like :data:`FAULT_ENV`: the worker hangs (as MuPDF looping on a
malformed page would) until the executor's per-page timeout kills it."""

FAULT_ALLOC_ENV = "DATAFLOW_FAULT_ALLOC_ON"
"""Test hook, matched like :data:`FAULT_ENV`: the worker allocates memory without bound
(a runaway document) until its memory cap stops it."""

_ALLOC_STEP = 64 << 20
# Words MuPDF puts in the message of a failed allocation ("malloc (N bytes) failed",
# "out of memory"): PyMuPDF raises them as plain FzErrorBase/RuntimeError subclasses.
_MUPDF_OOM_WORDS = ("malloc", "calloc", "realloc", "out of memory")


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


def worker_init(memory_mb: int) -> None:
    """Initializer of every pool worker: ignore Ctrl+C, cap the address space.

    Args:
        memory_mb: the address-space limit in MiB (0: none).
    """
    # Ctrl+C reaches the whole process group; the parent cancels jobs cooperatively, so
    # workers ignore it instead of dying and breaking the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_mb > 0:
        cap_address_space(memory_mb)


def cap_address_space(memory_mb: int) -> bool:
    """Limit this process's address space (``RLIMIT_AS``); returns whether it is enforced.

    Allocations beyond the cap fail (``MemoryError`` in Python, a failed malloc in
    MuPDF) instead of pushing the machine into swap or the OOM killer. Windows has no
    rlimits: the cap is not enforced there (docs/RELIABILITY.md).
    """
    if sys.platform == "win32":
        return False
    import resource

    limit = memory_mb << 20
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError) as exc:  # some macOS versions refuse RLIMIT_AS
        log.warning("Worker memory cap of %d MiB not applied: %s", memory_mb, exc)
        return False
    return True


def _matches(marker: str | None, args: tuple[Any, ...]) -> bool:
    if not marker:
        return False
    for arg in args:
        if not isinstance(arg, str | PurePath):
            continue
        if marker.startswith("sha256:"):
            try:
                digest = hashlib.sha256(Path(arg).read_bytes()).hexdigest()
            except OSError:
                continue
            if digest.startswith(marker[7:]):
                return True
        elif marker in str(arg):
            return True
    return False


def _hang() -> None:
    while True:
        time.sleep(3600)


def _allocate_without_bound() -> None:
    hoard = []
    while True:
        hoard.append(b"\x01" * _ALLOC_STEP)  # written, so it is real memory, not a promise


def _fault_hook(args: tuple[Any, ...]) -> None:
    if _matches(os.environ.get(FAULT_ENV), args):
        os.abort()
    if _matches(os.environ.get(FAULT_HANG_ENV), args):
        _hang()
    if _matches(os.environ.get(FAULT_ALLOC_ENV), args):
        _allocate_without_bound()


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc``, or an error it was raised from, is a failed allocation."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return True
        if type(current).__module__.startswith("pymupdf"):
            text = str(current).lower()
            if any(word in text for word in _MUPDF_OOM_WORDS):
                return True
        current = current.__cause__ or current.__context__
    return False


def invoke(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run one task in a worker, translating our errors into a picklable envelope.

    A failed allocation (the memory cap reached, in Python or inside MuPDF, even when
    the pipeline re-raised it as a page error) becomes ``out_of_memory``.
    """
    try:
        _fault_hook(args)
        return fn(*args, **kwargs)
    except Exception as exc:
        if is_out_of_memory(exc):
            name = getattr(fn, "__name__", "task")
            error = WorkerError(
                code=ErrorCode.OUT_OF_MEMORY, detail=f"{name}: {type(exc).__name__}"
            )
            raise RemoteError.wrap(error) from None
        if isinstance(exc, DataflowError):
            raise RemoteError.wrap(exc) from None
        raise


__all__ = [
    "FAULT_ALLOC_ENV",
    "FAULT_ENV",
    "FAULT_HANG_ENV",
    "RemoteError",
    "cap_address_space",
    "invoke",
    "is_out_of_memory",
    "worker_init",
]
