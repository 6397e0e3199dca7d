"""Work folders (chunk plans and chunk files) and job ownership checks."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dataflow_desktop.jobs._owners import owned_elsewhere, pid_alive
from dataflow_desktop.jobs._schema import JobRecord
from dataflow_desktop.jobs._work import WorkDir, page_files, plan_chunks


def test_chunk_size_spreads_small_documents_and_caps_big_ones() -> None:
    assert plan_chunks(1, 2) == 1
    assert plan_chunks(14, 2) == 4
    assert plan_chunks(285, 2) == 16
    assert plan_chunks(10, 0) == 5


def test_plan_is_kept_across_restarts_even_if_workers_change(tmp_path: Path) -> None:
    work = WorkDir(tmp_path, "job")
    first = work.plan(40, workers=2)
    assert [len(r) for r in first] == [10] * 4
    assert work.plan(40, workers=8) == first  # resumed chunk files stay valid
    assert work.plan(41, workers=8) != first  # a different document gets a new plan


def test_only_complete_matching_chunks_count(tmp_path: Path) -> None:
    work = WorkDir(tmp_path, "job")
    pages = range(4, 8)
    items = [{"number": n + 1} for n in pages]
    assert work.load_chunk("extraction", 1, pages) is None
    work.save_chunk("extraction", 1, pages, items)
    assert work.load_chunk("extraction", 1, pages) == items
    assert work.load_chunk("extraction", 1, range(4, 9)) is None  # other pages
    (work.path / "extraction" / "c0001.json").write_text('{"first": 4, "cou', encoding="utf-8")
    assert work.load_chunk("extraction", 1, pages) is None  # torn file: redo
    work.save_chunk("extraction", 1, pages, [{"number": 1}] * 4)
    assert work.load_chunk("extraction", 1, pages) is None  # wrong page numbers
    work.remove()
    assert not work.path.exists()


def test_page_files_lists_every_referenced_file() -> None:
    page = {
        "images": [{"file": "images/p0001-1.png"}, {"file": None}],
        "tables": [{"csv": "tables/p0001-t1.csv"}],
    }
    assert page_files(page) == ["images/p0001-1.png", "tables/p0001-t1.csv"]
    assert page_files({"file": "pages/0001.png", "thumb": "thumbs/0001.png"}) == [
        "pages/0001.png",
        "thumbs/0001.png",
    ]


def _owned(pid: int | None, host: str, beat: float | None) -> JobRecord:
    return JobRecord(
        id="20261128-100000-0123abcd", source_name="a.pdf", source_path=None, sha256="0" * 64,
        bytes=1, pages=None, options_json="{}", options_fp="fp", env="dev", status="running",
        step="raster", percent=50.0, message="", error_code=None, error_message=None,
        error_step=None, created_at="t", started_at=None, ended_at=None, updated_at="t",
        owner_pid=pid, owner_host=host, heartbeat_at=beat,
    )  # fmt: skip


def test_ownership_needs_a_live_process_and_a_fresh_heartbeat() -> None:
    now = time.time()
    parent = os.getppid()
    assert pid_alive(parent)
    assert owned_elsewhere(_owned(parent, "here", now), host="here")
    assert not owned_elsewhere(_owned(parent, "here", now - 3600), host="here")  # stale
    assert not owned_elsewhere(_owned(os.getpid(), "here", now), host="here")  # ours
    assert not owned_elsewhere(_owned(None, "here", None), host="here")
    assert owned_elsewhere(_owned(1, "other-host", now), host="here")  # trust the heartbeat
