"""What the CLI prints: progress on stderr, results on stdout (the only place that prints).

Progress is drawn from each job's progress.json, the same file the GUI and teammates
read. On a terminal the live lines are redrawn in place; otherwise one plain line is
printed per step change, so logs and CI output stay readable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from ..jobs import JobRecord

_BAR = 24
_MAX_LIVE = 12  # live lines drawn at once; the rest are summarised in one line
_TERMINAL = ("success", "failed", "cancelled")


def _bar(percent: float) -> str:
    filled = int(_BAR * min(max(percent, 0.0), 100.0) / 100)
    return "#" * filled + "." * (_BAR - filled)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ProgressView:
    """Shows the progress of a set of jobs on ``stream`` (stderr)."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._live_lines = 0
        self._seen: dict[str, tuple[str, str]] = {}

    def update(
        self, names: Mapping[str, str], docs: Mapping[str, Mapping[str, Any] | None]
    ) -> None:
        """Redraw (tty) or print step changes (plain) for ``docs`` keyed by job id."""
        if self.tty:
            self._draw(names, docs)
        else:
            self._plain(names, docs)

    def _plain(
        self, names: Mapping[str, str], docs: Mapping[str, Mapping[str, Any] | None]
    ) -> None:
        for job_id, doc in docs.items():
            if doc is None or doc["status"] == "queued":
                continue
            state = (doc["status"], doc["step"])
            if self._seen.get(job_id) == state:
                continue
            self._seen[job_id] = state
            step = doc["step"]
            if doc["steps"] and doc["steps"][-1]["name"] == step:
                step += f" {doc['steps'][-1]['status']}"  # "ocr skipped", "raster running"
            line = f"{names[job_id]}: {step} ({doc['percent']:.0f}%)"
            if doc["status"] in _TERMINAL and doc.get("message"):
                line += f" - {doc['message']}"
            self.stream.write(line + "\n")
            self.stream.flush()

    def _draw(self, names: Mapping[str, str], docs: Mapping[str, Mapping[str, Any] | None]) -> None:
        out = self.stream
        if self._live_lines:
            out.write(f"\x1b[{self._live_lines}F\x1b[J")  # back to the block's start, clear
        live: list[str] = []
        for job_id, doc in docs.items():
            if doc is None:
                continue
            if doc["status"] in _TERMINAL:
                if job_id not in self._seen:  # a finished job scrolls up, printed once
                    self._seen[job_id] = (doc["status"], doc["step"])
                    mark = {"success": "done", "failed": "FAILED", "cancelled": "cancelled"}
                    out.write(f"{mark[doc['status']]:9} {names[job_id]}\n")
                continue
            name = _short(names[job_id], 32)
            message = _short(str(doc.get("message") or doc["step"]), 40)
            live.append(f"{name:32} [{_bar(doc['percent'])}] {doc['percent']:5.1f}% {message}")
        if len(live) > _MAX_LIVE:
            live = [*live[: _MAX_LIVE - 1], f"... and {len(live) - _MAX_LIVE + 1} more"]
        for line in live:
            out.write(line + "\n")
        self._live_lines = len(live)
        out.flush()

    def close(self) -> None:
        """Leave the cursor below everything drawn."""
        self._live_lines = 0


def job_json(
    job: JobRecord | None,
    source: str,
    outputs: Mapping[str, str],
    *,
    status: str | None = None,
    error: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``--json`` object of one job (or of a file that got no job)."""
    if job is not None:
        status = job.status
        error = job.error
    return {
        "job_id": job.id if job is not None else None,
        "source": source,
        "status": status,
        "error": {"code": error["code"], "message": error["message"]} if error else None,
        "outputs": dict(outputs),
    }


def _write(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()


def print_json(data: Mapping[str, Any]) -> None:
    """One JSON object on one stdout line."""
    _write(sys.stdout, json.dumps(data, ensure_ascii=False))


def print_line(text: str = "") -> None:
    """A line of normal output on stdout."""
    _write(sys.stdout, text)


def print_error(text: str) -> None:
    """A line for people on stderr."""
    _write(sys.stderr, f"dataflow: {text}")


def format_job_row(job: JobRecord) -> str:
    """One line of ``dataflow jobs``."""
    state = job.status if job.status != "running" else f"{job.step} {job.percent:.0f}%"
    pages = "-" if job.pages is None else str(job.pages)
    error = f"  [{job.error_code}]" if job.error_code else ""
    return f"{job.id}  {state:16} {pages:>5}p  {job.source_name}{error}"


__all__ = ["ProgressView", "format_job_row", "job_json", "print_error", "print_json", "print_line"]
