"""The job engine: ``JobService`` in a child process, and the window's client for it.

Why a process: the window stays responsive only if the GUI thread gets the GIL within
a few milliseconds. In the GUI process, ``JobService``'s threads hold the GIL for whole
C calls: unpickling a chunk of page dicts sent back by a worker (``concurrent.futures``'
result thread, measured 290 ms for the 285-page book), ``json.dumps`` of a chunk file
(150 ms), writing the reports and the search index. No switch interval can preempt a
single C call, so the window froze for up to 360 ms (benchmarks/ui_responsiveness.py).
In its own process the engine can take the GIL as long as it likes.

The window already reads everything it shows from the job store and progress.json (as
it does for jobs started by the CLI); only commands go through the engine. Each call
opens its own ``multiprocessing.connection`` (a Unix socket or a Windows named pipe,
authenticated with the process's authkey), so calls from several task threads run
concurrently and no reader thread is needed. No Qt in this module: the engine process
imports it without PySide6. The engine stops when asked, or when the window's process
dies (it watches its parent's sentinel).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import logging.handlers
import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Client, Connection, Listener, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..config import Settings
from ..errors import DataflowError, ErrorCode
from ..pipeline.options import PipelineOptions
from ..storage.local import LocalStorage

if TYPE_CHECKING:
    from ..jobs import JobRecord, SearchHit, Submission, SyncState
    from ..sync.team import RemoteJob

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 60.0
ENGINE_NICENESS = 5
ENGINE_LOG = "dataflow-engine.log"
_METHODS: Final = frozenset({
    "submit", "cancel", "retry", "remove", "export", "get", "progress", "search",
    "search_marked", "recover", "active_ids", "output_paths", "ping",
    "sync_pending", "remote_jobs", "pull", "find_remote_duplicate",
})  # fmt: skip
_CLUSTER_METHODS: Final = frozenset({"submit", "cancel"})  # what "Run on: team cluster" changes


# -- engine process ---------------------------------------------------------------------------


def _encode(method: str, value: Any) -> Any:
    """Make a result picklable without losing a DataflowError's code."""
    from ..jobs.executor import RemoteError  # engine side only: the window starts without jobs/

    if method == "submit":
        return [
            (s.path, s.status, s.job_id, RemoteError.wrap(s.error) if s.error else None, s.explicit)
            for s in value
        ]
    return value


def _call(
    service: Any, cluster: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    if method not in _METHODS:
        raise DataflowError(code=ErrorCode.INTERNAL_ERROR, detail=f"unknown call {method}")
    if method == "ping":
        return True
    if method == "search_marked":
        # JobService.search has no ``markers`` argument; its store's search has.
        return service.store.search(*args, **kwargs)
    if cluster is not None and method in _CLUSTER_METHODS:
        return getattr(cluster, method)(*args, **kwargs)
    return getattr(service, method)(*args, **kwargs)


def _handle(service: Any, cluster: Any, conn: Connection, stop: threading.Event, poke: Any) -> None:
    """Serve one request (engine thread). The engine's boundary handler is here."""
    from ..jobs.executor import RemoteError

    with conn:
        try:
            method, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        if method == "close":
            stop.set()
            conn.send((True, None))
            poke()
            return
        try:
            reply = (True, _encode(method, _call(service, cluster, method, args, kwargs)))
        except DataflowError as exc:
            reply = (False, RemoteError.wrap(exc))
        # The engine's one boundary handler: a bug fails this call, not the engine.
        except Exception as exc:
            log.exception("Engine call %s failed", method)
            error = DataflowError(code=ErrorCode.INTERNAL_ERROR, detail=type(exc).__name__)
            reply = (False, RemoteError.wrap(error))
        try:
            conn.send(reply)
        except OSError:
            log.warning("The window left before the answer to %s", method)


def _log_to_file(settings: Settings) -> None:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        settings.log_dir / ENGINE_LOG, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s")
    )
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def _lower_priority() -> None:
    """Run the engine (and the PDF workers it spawns, which inherit it) below the window.

    On a machine whose cores are all busy rendering pages, the GUI thread would
    otherwise wait for a time slice like any worker and the window would stutter.
    """
    try:
        if sys.platform == "win32":
            below_normal = 0x00004000  # BELOW_NORMAL_PRIORITY_CLASS
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(ENGINE_NICENESS)
    except OSError as exc:
        log.info("Could not lower the engine's priority: %s", exc)


def serve(settings: Settings, ready: Connection) -> None:
    """The engine process: run a JobService and answer the window's calls until closed."""
    _log_to_file(settings)
    _lower_priority()
    from ..jobs import JobService
    from ..jobs.executor import RemoteError

    authkey = multiprocessing.current_process().authkey
    try:
        service = JobService(settings)
    except DataflowError as exc:
        ready.send(("error", RemoteError.wrap(exc)))
        return
    cluster = None
    if settings.run_on == "cluster":
        from .cluster import ClusterJobs  # imports temporalio: only in cluster mode

        try:
            cluster = ClusterJobs(service, settings)
        except DataflowError as exc:
            service.close()
            ready.send(("error", RemoteError.wrap(exc)))
            return
    listener = Listener(authkey=authkey)
    address = listener.address
    stop = threading.Event()

    def poke() -> None:  # wake the blocking accept() so the loop sees ``stop``
        with contextlib.suppress(OSError):
            Client(address, authkey=authkey).close()

    def watch_parent() -> None:
        parent = multiprocessing.parent_process()
        if parent is not None:
            wait([parent.sentinel])
            if not stop.is_set():
                log.warning("The window's process is gone; stopping the engine")
                stop.set()
                poke()

    threading.Thread(target=watch_parent, name="engine-parent-watch", daemon=True).start()
    ready.send(("ready", address))
    ready.close()
    log.info("Job engine ready (pid %s)", multiprocessing.current_process().pid)
    while not stop.is_set():
        try:
            conn = listener.accept()
        except (OSError, multiprocessing.AuthenticationError):
            continue
        if stop.is_set():
            conn.close()
            break
        threading.Thread(
            target=_handle,
            args=(service, cluster, conn, stop, poke),
            name="engine-call",
            daemon=True,
        ).start()
    listener.close()
    if cluster is not None:
        cluster.close()
    service.close()
    log.info("Job engine stopped")


# -- window side ------------------------------------------------------------------------------


class EngineClient:
    """Starts the engine process and forwards ``JobService`` calls to it.

    Calls block until the engine answers, so the window makes them from task threads.
    A :class:`~dataflow_desktop.errors.DataflowError` raised in the engine is raised
    here again, with its class, code and message.

    Attributes:
        settings: the settings the engine was started with.
        storage: the engine's storage, opened here for reading (viewer, exports).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.storage = LocalStorage(settings.storage_root)
        context = multiprocessing.get_context("spawn")
        self._ready, child = context.Pipe(duplex=False)
        self.process = context.Process(
            target=serve, args=(settings, child), name="dataflow-engine", daemon=False
        )
        self.process.start()
        child.close()
        self._authkey = multiprocessing.current_process().authkey
        self._address: Any = None
        self._startup_error: DataflowError | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The engine process id (jobs it runs carry it as ``owner_pid``)."""
        return self.process.pid

    def _connect_address(self) -> Any:
        with self._lock:
            if self._startup_error is not None:
                raise self._startup_error  # every call says why, not only the first
            if self._address is None:
                try:
                    if not self._ready.poll(STARTUP_TIMEOUT):
                        raise DataflowError(
                            code=ErrorCode.INTERNAL_ERROR, detail="the job engine did not start"
                        )
                    kind, payload = self._ready.recv()
                except (EOFError, OSError) as exc:
                    self._startup_error = DataflowError(
                        code=ErrorCode.INTERNAL_ERROR, detail=f"the job engine stopped: {exc}"
                    )
                    raise self._startup_error from exc
                if kind == "error":
                    self._startup_error = payload.unwrap()
                    raise self._startup_error
                self._address = payload
            return self._address

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``JobService.<method>(*args, **kwargs)`` in the engine and return its result."""
        if self._closed:
            raise DataflowError(code=ErrorCode.INTERRUPTED, detail="the engine is stopped")
        try:
            with Client(self._connect_address(), authkey=self._authkey) as conn:
                conn.send((method, args, kwargs))
                ok, value = conn.recv()
        except (OSError, EOFError) as exc:
            raise DataflowError(code=ErrorCode.INTERNAL_ERROR, detail=f"engine: {exc}") from exc
        if not ok:
            raise value.unwrap()
        if method == "submit":
            # Imported at the first submit, on a task thread: the jobs package (SQLite
            # helpers, sync, keyring) would add ~0.4 s to the window's start-up.
            from ..jobs import Submission

            return [
                Submission(Path(p), status, job_id, err.unwrap() if err else None, explicit)
                for p, status, job_id, err, explicit in value
            ]
        return value

    # -- the JobService calls the window makes ------------------------------------------------

    def submit(
        self,
        paths: Sequence[Path | str],
        *,
        password: str | None = None,
        options: PipelineOptions | None = None,
        force: bool = False,
        reuse_remote: bool = True,
    ) -> list[Submission]:
        """See ``JobService.submit`` (on the team cluster when the settings say so)."""
        result: list[Submission] = self.call(
            "submit", [Path(p) for p in paths], password=password, options=options,
            force=force, reuse_remote=reuse_remote,
        )  # fmt: skip
        return result

    def cancel(self, job_id: str) -> bool:
        """See ``JobService.cancel``."""
        return bool(self.call("cancel", job_id))

    def retry(self, job_id: str, *, password: str | None = None) -> str:
        """See ``JobService.retry``."""
        return str(self.call("retry", job_id, password=password))

    def remove(self, job_id: str) -> None:
        """See ``JobService.remove``."""
        self.call("remove", job_id)

    def get(self, job_id: str) -> JobRecord:
        """See ``JobService.get``."""
        record: JobRecord = self.call("get", job_id)
        return record

    def progress(self, job_id: str) -> dict[str, Any] | None:
        """See ``JobService.progress``."""
        doc: dict[str, Any] | None = self.call("progress", job_id)
        return doc

    def search(
        self, query: str, *, limit: int = 50, markers: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        """Full-text search, with the snippet markers of ``JobStore.search``."""
        hits: list[SearchHit] = self.call("search_marked", query, limit=limit, markers=markers)
        return hits

    def recover(self) -> list[str]:
        """See ``JobService.recover``."""
        resumed: list[str] = self.call("recover")
        return resumed

    def sync_pending(self) -> list[SyncState]:
        """Push every finished job whose sync is not complete ("Sync now")."""
        states: list[SyncState] = self.call("sync_pending")
        return states

    def remote_jobs(self) -> list[RemoteJob]:
        """Jobs in the shared bucket of the environment, newest first (network)."""
        jobs: list[RemoteJob] = self.call("remote_jobs")
        return jobs

    def pull(self, job_id: str) -> JobRecord:
        """Import a teammate's finished job from the bucket (see ``JobService.pull``)."""
        record: JobRecord = self.call("pull", job_id)
        return record

    def find_remote_duplicate(self, sha256: str, options_fp: str) -> RemoteJob | None:
        """A finished job in the bucket over the same PDF and options, if any."""
        found: RemoteJob | None = self.call("find_remote_duplicate", sha256, options_fp)
        return found

    def default_options(self) -> PipelineOptions:
        """Options from the settings the engine started with."""
        s = self.settings
        ocr: Any = s.ocr
        return PipelineOptions(dpi=s.dpi, ocr=ocr, ocr_languages=s.ocr_languages)

    def close(self, timeout: float = 300.0) -> None:
        """Stop the engine (it cancels its running jobs) and wait for it to exit."""
        if self._closed:
            return
        try:
            if self.process.is_alive():
                self.call("close")
        except DataflowError as exc:
            log.warning("Engine did not take the close request: %s", exc)
        finally:
            self._closed = True
        self.process.join(timeout)
        if self.process.is_alive():
            log.error("The job engine did not stop in %.0f s; terminating it", timeout)
            self.process.terminate()
            self.process.join(10)
        self._ready.close()


__all__ = ["EngineClient", "serve"]
