"""progress.json: the per-job state file the GUI, the CLI and teammates read (DESIGN.md).

:class:`ProgressWriter` owns one job's document and writes it through
``FileStorage.put`` (atomic: readers see the old file or the new one). Counter updates
are throttled; step transitions and the final state are always written, so the last
file a reader sees is always complete and terminal.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..pipeline.schemas import load_schema
from ..storage.base import FileStorage
from ._time import utc_iso

log = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 1
STEPS: Final = ("init", "extraction", "raster", "ocr", "analysis", "report", "upload", "clean")
TERMINAL_STEPS: Final = ("success", "failed", "cancelled")
# Share of the overall percent per step: extraction and raster do the heavy page work.
WEIGHTS: Final[Mapping[str, float]] = {
    "init": 5, "extraction": 40, "raster": 35, "ocr": 5,
    "analysis": 3, "report": 10, "upload": 1, "clean": 1,
}  # fmt: skip
OUTPUT_NAMES: Final = {
    "result": "result.json", "markdown": "document.md",
    "report": "report.html", "bundle": "bundle.zip",
}  # fmt: skip
DEFAULT_INTERVAL = 0.1  # at most 10 throttled writes per second per job

Observer = Callable[[dict[str, Any]], None]


def progress_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of progress.json, loaded from package data."""
    return load_schema("progress.schema.json")


class ProgressWriter:
    """Builds and writes one job's progress.json.

    Args:
        storage: where progress.json goes.
        key: its storage key (``job_key(env, job_id, "progress.json")``).
        job_id: the job.
        source: ``{name, sha256, bytes, pages}`` of the input (``pages`` may be None).
        observer: called with each document actually written (updates the job row).
        min_interval: seconds between two throttled writes.
    """

    def __init__(
        self,
        storage: FileStorage,
        key: str,
        *,
        job_id: str,
        source: Mapping[str, Any],
        observer: Observer | None = None,
        min_interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._storage = storage
        self._key = key
        self._observer = observer
        self._interval = min_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._last_write = float("-inf")
        self._dirty = False
        self._doc: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "job_id": job_id,
            "source": {
                "name": source["name"], "sha256": source["sha256"],
                "bytes": source["bytes"], "pages": source.get("pages"),
            },
            "status": "queued", "step": "init", "steps": [], "percent": 0.0,
            "message": "", "error": None, "updated_at": utc_iso(), "outputs": {},
        }  # fmt: skip

    # -- reading ------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the current document."""
        with self._lock:
            copy: dict[str, Any] = json.loads(json.dumps(self._doc))
        return copy

    def _step(self, name: str) -> dict[str, Any] | None:
        steps: list[dict[str, Any]] = self._doc["steps"]
        return next((entry for entry in steps if entry["name"] == name), None)

    def _percent(self) -> float:
        total = 0.0
        for entry in self._doc["steps"]:
            weight = WEIGHTS[entry["name"]]
            if entry["status"] in ("done", "skipped"):
                total += weight
            elif entry.get("total"):
                total += weight * min(1.0, entry.get("done", 0) / entry["total"])
        # Never go backwards, even if a step's total is revised upwards.
        previous = float(self._doc["percent"])
        return round(max(previous, min(total, 100.0)), 1)

    # -- writing ------------------------------------------------------------------------

    def _write(self, *, force: bool) -> None:
        """Write the document if forced or if the throttle interval has passed."""
        with self._lock:
            now = self._clock()
            if not force and now - self._last_write < self._interval:
                self._dirty = True
                return
            self._doc["percent"] = self._percent()
            self._doc["updated_at"] = utc_iso()
            blob = json.dumps(self._doc, ensure_ascii=False, indent=1).encode()
            self._storage.put(self._key, blob)
            self._last_write = now
            self._dirty = False
            snapshot: dict[str, Any] = json.loads(blob)
        if self._observer is not None:
            self._observer(snapshot)

    def _begin(self, name: str) -> dict[str, Any]:
        """Append ``name`` to the steps list, enforcing the contract's step order."""
        if name not in STEPS:
            raise ValueError(f"unknown step {name!r}")
        recorded = [entry["name"] for entry in self._doc["steps"]]
        if recorded and STEPS.index(name) <= STEPS.index(recorded[-1]):
            raise ValueError(f"step {name!r} cannot follow {recorded[-1]!r}")
        entry: dict[str, Any] = {"name": name}
        self._doc["steps"].append(entry)
        self._doc["status"] = "running"
        self._doc["step"] = name
        return entry

    def restore(self, doc: Mapping[str, Any]) -> None:
        """Continue from a stored document.

        Used to record the end of a job no process runs, and by Temporal activities,
        which each continue the document another worker may have written last.
        """
        with self._lock:
            if doc.get("schema") == SCHEMA_VERSION and doc.get("job_id") == self._doc["job_id"]:
                steps = [
                    dict(entry) for entry in doc.get("steps", []) if entry.get("name") in STEPS
                ]
                self._doc["steps"] = steps
                self._doc["percent"] = float(doc.get("percent", 0.0))
                if doc.get("step") in (*STEPS, *TERMINAL_STEPS):
                    self._doc["step"] = doc["step"]
                if doc.get("status") in ("queued", "running", *TERMINAL_STEPS):
                    self._doc["status"] = doc["status"]
                self._doc["message"] = str(doc.get("message") or "")
                self._doc["error"] = doc.get("error")
                self._doc["outputs"] = dict(doc.get("outputs") or {})

    def queued(self, message: str = "Waiting for a free worker") -> None:
        """Write the initial ``queued`` state."""
        with self._lock:
            self._doc["message"] = message
        self._write(force=True)

    def set_pages(self, pages: int) -> None:
        """Record the page count once pre-flight knows it."""
        with self._lock:
            self._doc["source"]["pages"] = pages

    def set_source(self, sha256: str, size: int) -> None:
        """Correct the source's hash and size (the file changed after submission)."""
        with self._lock:
            self._doc["source"]["sha256"] = sha256
            self._doc["source"]["bytes"] = size

    def start_step(self, name: str, *, total: int | None = None, message: str = "") -> None:
        """Mark ``name`` running (always written)."""
        with self._lock:
            entry = self._begin(name)
            entry["status"] = "running"
            if total is not None:
                entry["done"] = 0
                entry["total"] = total
            entry["started_at"] = utc_iso()
            self._doc["message"] = message
        self._write(force=True)

    def update(self, name: str, done: int, *, total: int | None = None, message: str = "") -> None:
        """Report ``done`` units of the running step (throttled)."""
        with self._lock:
            entry = self._step(name)
            if entry is None or entry["status"] != "running":
                raise ValueError(f"step {name!r} is not running")
            entry["done"] = done
            if total is not None:
                entry["total"] = total
            if message:
                self._doc["message"] = message
        self._write(force=False)

    def end_step(
        self, name: str, *, message: str = "", status: str = "done", reason: str = ""
    ) -> None:
        """Mark the running step ``name`` ended (always written).

        Args:
            name: the running step.
            message: the document's new message (kept when empty).
            status: ``done``; or ``skipped``/``failed`` for a step whose failure does not
                fail the job (a sync that waits for the network), with ``reason``.
            reason: why the step was skipped or failed.
        """
        if status not in ("done", "skipped", "failed"):
            raise ValueError(f"not an end status: {status!r}")
        with self._lock:
            entry = self._step(name)
            if entry is None or entry["status"] != "running":
                raise ValueError(f"step {name!r} is not running")
            entry["status"] = status
            if "total" in entry and status == "done":
                entry["done"] = entry["total"]
            if reason:
                entry["reason"] = reason
            entry["ended_at"] = utc_iso()
            if message:
                self._doc["message"] = message
        self._write(force=True)

    def preview_final(self, message: str = "Done") -> dict[str, Any]:
        """The document as :meth:`finish` will write it if every remaining step succeeds.

        Sync uploads this before the ``clean`` step deletes anything local, so the
        bucket holds a final progress.json even if the app stops right after.
        """
        doc = self.snapshot()
        now = utc_iso()
        for entry in doc["steps"]:
            if entry["status"] == "running":
                entry["status"] = "done"
                if "total" in entry:
                    entry["done"] = entry["total"]
                entry["ended_at"] = now
        if not any(entry["name"] == "clean" for entry in doc["steps"]):
            doc["steps"].append(
                {"name": "clean", "status": "done", "started_at": now, "ended_at": now}
            )
        doc.update(status="success", step="success", error=None, message=message, percent=100.0)
        doc["updated_at"] = now
        return doc

    def skip_step(self, name: str, reason: str) -> None:
        """Record that ``name`` did not run, and why (always written)."""
        with self._lock:
            entry = self._begin(name)
            entry["status"] = "skipped"
            entry["reason"] = reason
        self._write(force=True)

    def set_outputs(self, outputs: Mapping[str, str]) -> None:
        """Name the result files (relative to the job folder); written with the next write."""
        with self._lock:
            self._doc["outputs"] = {k: outputs[k] for k in OUTPUT_NAMES if k in outputs}

    def finish(
        self, status: str, *, error: Mapping[str, Any] | None = None, message: str = ""
    ) -> None:
        """Write the terminal state: ``success``, ``failed`` or ``cancelled``."""
        if status not in TERMINAL_STEPS:
            raise ValueError(f"not a terminal status: {status!r}")
        with self._lock:
            for entry in self._doc["steps"]:
                if entry["status"] == "running":
                    entry["status"] = "failed" if status == "failed" else "cancelled"
                    entry["ended_at"] = utc_iso()
            self._doc["status"] = status
            self._doc["step"] = status
            self._doc["error"] = dict(error) if error is not None else None
            self._doc["message"] = message
            if status == "success":
                self._doc["percent"] = 100.0
            else:
                self._doc["outputs"] = {}
        self._write(force=True)

    def flush(self) -> None:
        """Write a throttled update that is still pending."""
        if self._dirty:
            self._write(force=True)


def read_progress(storage: FileStorage, key: str) -> dict[str, Any] | None:
    """The stored progress.json, or ``None`` if it does not exist (yet)."""
    try:
        with storage.open_read(key) as handle:
            doc: dict[str, Any] = json.load(handle)
    except FileNotFoundError:
        return None
    return doc


__all__ = [
    "OUTPUT_NAMES",
    "STEPS",
    "TERMINAL_STEPS",
    "WEIGHTS",
    "ProgressWriter",
    "progress_schema",
    "read_progress",
]
