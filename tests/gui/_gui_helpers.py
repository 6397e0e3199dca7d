"""Helpers shared by the window tests (a module of its own: ``conftest`` is not
importable by a stable name when several conftest files exist)."""

from __future__ import annotations

from pathlib import Path

from dataflow_desktop.ui.main_window import MainWindowWidget
from dataflow_desktop.ui.store_reader import JobRow

ROOT = Path(__file__).resolve().parents[2]
JOB_TIMEOUT_MS = 120_000


def job_named(window: MainWindowWidget, name: str) -> JobRow | None:
    """The listed job for file ``name`` (newest first), if any."""
    return next((row for row in window.model.jobs() if row.name == name), None)


def wait_status(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindowWidget, name: str, statuses: set[str], timeout: int = JOB_TIMEOUT_MS
) -> JobRow:
    """Wait until the job of ``name`` has one of ``statuses``; return its row."""

    def reached() -> None:
        row = job_named(window, name)
        assert row is not None
        assert row.status in statuses, row

    qtbot.waitUntil(reached, timeout=timeout)
    row = job_named(window, name)
    assert row is not None
    return row
