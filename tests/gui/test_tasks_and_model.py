"""Task signals, the job model's minimal updates, intake helpers and the folder watcher."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl

from dataflow_desktop.errors import Cancelled, InputError
from dataflow_desktop.ui.intake import FolderWatcher, paths_from_mime
from dataflow_desktop.ui.jobs_model import Column, JobFilterModel, JobTableModel
from dataflow_desktop.ui.store_reader import Changes, JobRow, merge_progress
from dataflow_desktop.ui.tasks import Task, TaskCancel, TaskManager


def _row(job_id: str, **changes: object) -> JobRow:
    row = JobRow(id=job_id, name=f"{job_id}.pdf", source_path=None, pages=3, env="dev",
                 status="running", step="extraction", percent=10.0, message="", error_code=None,
                 error_message=None, created_at=f"2026-01-01T00:00:0{job_id[-1]}.000Z",
                 started_at="2026-01-01T00:00:00.000Z", ended_at=None,
                 updated_at="2026-01-01T00:00:00.000Z")  # fmt: skip
    return replace(row, **changes)  # type: ignore[arg-type]


@pytest.fixture
def tasks():  # type: ignore[no-untyped-def]
    manager = TaskManager(max_threads=2)
    yield manager
    assert manager.shutdown(5_000)


def _count(*, progress, cancel, n: int) -> int:  # type: ignore[no-untyped-def]
    for i in range(n):
        cancel.check()
        progress(i)
    return n


def test_task_signals_arrive_in_order_with_the_newest_progress(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    task = Task(_count, controlled=True, n=1000, progress_interval=10.0)
    values: list[int] = []
    task.signals.progress.connect(values.append)
    results: list[int] = []
    task.signals.succeeded.connect(results.append)
    signals = [task.signals.started, task.signals.succeeded, task.signals.finished]
    with qtbot.waitSignals(signals, order="strict", timeout=5_000):
        tasks.start(task)
    assert results == [1000]
    # Throttled to one emission per interval: the first value, then the newest one.
    assert values == [0, 999]


def test_failed_and_cancelled_tasks(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    def broken() -> None:
        raise InputError(detail="boom")

    failures: list[object] = []
    with qtbot.waitSignal(tasks.task_failed, timeout=5_000) as failed:
        task = tasks.run(broken)
    failures.append(failed.args[0])
    assert isinstance(failures[0], InputError)

    def blocked(*, progress, cancel: TaskCancel) -> None:  # type: ignore[no-untyped-def]
        while not cancel.wait(0.01):
            pass
        raise Cancelled()

    task = Task(blocked, controlled=True)
    with qtbot.waitSignal(task.signals.started, timeout=5_000):
        tasks.start(task)
    outcome = [task.signals.cancelled, task.signals.finished]
    with qtbot.waitSignals(outcome, order="strict", timeout=5_000):
        task.cancel()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=1_000)
    # A task cancelled before it starts never runs, yet still says so.
    queued = Task(blocked, controlled=True)
    queued.cancel()
    never = [queued.signals.cancelled, queued.signals.finished]
    with qtbot.waitSignals(never, order="strict", timeout=5_000):
        tasks.start(queued)


def test_changes_coalesce_without_losing_any() -> None:
    first = Changes({"a": _row("job1"), "b": _row("job2")}, set())
    second = Changes({"c": _row("job3")}, {"b"})
    merged = first.merge(second)
    assert set(merged.upserts) == {"a", "c"}
    assert merged.removed == {"b"}
    third = Changes({"b": _row("job2")}, set())
    assert "b" not in merged.merge(third).removed


def test_model_signals_only_changed_cells(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = JobTableModel()
    rows = {f"job{i}": _row(f"job{i}") for i in range(1, 6)}
    with qtbot.waitSignal(model.rowsInserted, timeout=1_000):
        model.apply_changes(Changes(dict(rows), set()))
    assert [j.id for j in model.jobs()] == ["job5", "job4", "job3", "job2", "job1"]
    ranges: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=(): ranges.append((a.row(), a.column(), b.row(), b.column()))
    )
    same = Changes({"job1": rows["job1"]}, set())
    model.apply_changes(same)
    assert ranges == []
    moved = replace(rows["job3"], percent=55.0, done=2, total=3)
    model.apply_changes(Changes({"job3": moved}, set()))
    row = model.row_of("job3")
    assert ranges == [(row, Column.STEP, row, Column.PROGRESS)]
    with qtbot.waitSignal(model.status_changed, timeout=1_000) as changed:
        model.apply_changes(Changes({"job3": replace(moved, status="success")}, set()))
    assert changed.args[1] == "running"
    proxy = JobFilterModel()
    proxy.setSourceModel(model)
    proxy.set_statuses(frozenset({"success"}))
    assert proxy.rowCount() == 1
    proxy.set_statuses(frozenset())
    proxy.set_text("JOB2")
    assert proxy.rowCount() == 1
    with qtbot.waitSignal(model.rowsRemoved, timeout=1_000):
        model.apply_changes(Changes({}, {"job2"}))
    assert model.row_of("job2") == -1
    assert model.rowCount() == 4


def test_progress_json_newer_than_the_row_wins() -> None:
    row = _row("job1", step="extraction", percent=20.0)
    doc = {"status": "running", "step": "raster", "percent": 47.5, "message": "Rendering",
           "updated_at": "2026-01-01T00:00:09.000Z", "error": None, "source": {"pages": 12},
           "steps": [{"name": "raster", "status": "running", "done": 5, "total": 12}]}  # fmt: skip
    merged = merge_progress(row, doc)
    assert (merged.step, merged.percent, merged.done, merged.total) == ("raster", 47.5, 5, 12)
    stale = merge_progress(replace(row, updated_at="2026-01-01T00:00:10.000Z"), doc)
    assert stale.step == "extraction"


def test_paths_from_mime_urls_and_text(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf)), QUrl("https://example.com/x.pdf")])
    assert paths_from_mime(mime) == [pdf]
    text = QMimeData()
    text.setText(
        f'"{pdf}"\n{tmp_path / "missing.pdf"}\n{QUrl.fromLocalFile(str(tmp_path)).toString()}'
    )
    assert paths_from_mime(text) == [pdf, tmp_path]


def test_folder_watcher_reports_new_complete_pdfs_once(qtbot, tasks, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.4 old")
    watcher = FolderWatcher(tasks)
    with qtbot.waitSignal(watcher.watching_started, timeout=5_000):
        watcher.watch(tmp_path)
    with qtbot.waitSignal(watcher.files_arrived, timeout=10_000) as arrived:
        (tmp_path / "new.pdf").write_bytes(b"%PDF-1.4 new")
        (tmp_path / "notes.txt").write_text("x")
    assert arrived.args == [[tmp_path / "new.pdf"]]
    watcher.watch(None)


def test_translated_error_texts_follow_the_error_catalogue() -> None:
    from dataflow_desktop.errors import MESSAGES
    from dataflow_desktop.ui.labels import ERROR_TEXT, error_text

    defaults = {code.value: message for code, message in MESSAGES.items()}
    for code, text in ERROR_TEXT.items():
        assert defaults[code] == text, code
    assert error_text("corrupt_pdf", "The disk is full.") == "The disk is full."
