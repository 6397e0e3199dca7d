"""The window's team parts against a real S3 server (SeaweedFS) and a real Secret Service.

The window's engine reads the ``team`` profile from the config folder and its secret
from gnome-keyring, exactly as a user's installation does. A "teammate" is a second
``JobService`` with a data folder of its own syncing to the same bucket and prefix.
Checked: the title names the environment and the remote; the Sync column goes to
"Synced" after a job's upload, to "Waiting for network" while the server is stopped,
and back to "Synced" with "Sync now"; the Team tab lists the teammate's jobs, downloads
one and shows it in the viewer; a dropped PDF the teammate already processed is
offered from the bucket instead of being processed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
import pytest
from _gui_helpers import job_named, wait_status
from _gui_team import SAMPLE, TeamBucket, configure_team
from PySide6.QtCore import Qt

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import JobService, ProcessExecutor
from dataflow_desktop.storage.keys import job_key
from dataflow_desktop.storage.ops import exists
from dataflow_desktop.sync.profiles import Remote
from dataflow_desktop.ui.jobs_model import Column

if TYPE_CHECKING:
    from conftest import WindowFactory
    from fixtures.servers import SeaweedFS, SecretServiceSession
    from pytestqt.qtbot import QtBot

    from dataflow_desktop.ui.main_window import MainWindowWidget

pytest_plugins = ["fixtures.servers"]
pytestmark = pytest.mark.network

SYNC_TIMEOUT_MS = 90_000


@pytest.fixture
def team(data_home: Path, seaweedfs: SeaweedFS, secret_service: SecretServiceSession) -> TeamBucket:
    """Sync on, to a ``team`` profile on SeaweedFS whose secret is in the keyring."""
    return configure_team(seaweedfs, data_home.parent / "config")


def make_pdf(path: Path, label: str) -> Path:
    """A small one-page PDF of its own bytes."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), label, fontsize=14)
    doc.save(path)
    return path


def sync_cell(window: MainWindowWidget, name: str, role: int = Qt.ItemDataRole.DisplayRole) -> str:
    """What the Sync column shows for the job of ``name``."""
    row = window.model.row_of(job_named(window, name).id)  # type: ignore[union-attr]
    return str(window.model.index(row, Column.SYNC).data(role) or "")


def wait_sync(qtbot: QtBot, window: MainWindowWidget, name: str, state: str) -> None:
    def reached() -> None:
        row = job_named(window, name)
        assert row is not None
        assert row.sync == state, row

    qtbot.waitUntil(reached, timeout=SYNC_TIMEOUT_MS)


def test_sync_off_title_and_team_hint(window: MainWindowWidget) -> None:
    assert window.windowTitle() == "DataFlow Desktop — dev"
    assert window.team.stack.currentWidget() is window.team.hint
    assert "Settings" in window.team.hint.text()
    assert not window.commands.sync_now.isEnabled()


def test_sync_column_follows_uploads_and_a_stopped_server(
    qtbot: QtBot,
    make_window: WindowFactory,
    team: TeamBucket,
    seaweedfs: SeaweedFS,
    tmp_path: Path,
) -> None:
    window = make_window()
    assert window.windowTitle() == "DataFlow Desktop — dev · team"
    assert window.commands.sync_now.isEnabled()

    window.controller.submit([SAMPLE / "facture-exemple.pdf"])
    row = wait_status(qtbot, window, "facture-exemple.pdf", {"success"})
    wait_sync(qtbot, window, "facture-exemple.pdf", "synced")
    assert sync_cell(window, "facture-exemple.pdf") == "Synced"
    assert exists(team.storage, job_key("dev", row.id, "bundle.zip"))

    offline = make_pdf(tmp_path / "offline.pdf", "written while the server is down")
    seaweedfs.stop()
    try:
        window.controller.submit([offline])
        wait_status(qtbot, window, "offline.pdf", {"success"})
        wait_sync(qtbot, window, "offline.pdf", "waiting")
        assert sync_cell(window, "offline.pdf") == "Waiting for network"
        assert "network" in sync_cell(window, "offline.pdf", Qt.ItemDataRole.ToolTipRole)
    finally:
        if seaweedfs.process is None:
            seaweedfs.start()
    window.commands.sync_now.trigger()
    wait_sync(qtbot, window, "offline.pdf", "synced")
    offline_id = job_named(window, "offline.pdf").id  # type: ignore[union-attr]
    assert exists(team.storage, job_key("dev", offline_id, "bundle.zip"))


def test_team_tab_lists_downloads_and_offers_a_teammates_jobs(
    qtbot: QtBot,
    make_window: WindowFactory,
    team: TeamBucket,
    tmp_path: Path,
) -> None:
    report = make_pdf(tmp_path / "mate-report.pdf", "a teammate's report")
    mate = Settings(home=tmp_path / "teammate", workers=1, concurrent_jobs=2)
    pool = ProcessExecutor(1)
    try:
        with JobService(mate, executor=pool, remote=Remote.fixed("team", team.storage)) as service:
            ids = [s.job_id for s in service.submit([report, SAMPLE / "facture-exemple.pdf"])]
            assert service.wait([i for i in ids if i], timeout=120)
            assert all(service.sync_state(i).status == "synced" for i in ids if i)
    finally:
        pool.shutdown()
    report_id, sample_id = ids
    assert report_id is not None
    assert sample_id is not None

    window = make_window()
    window.tabs.setCurrentWidget(window.team)

    def listed() -> None:
        jobs = {j.job_id: j for j in window.team.model.jobs()}
        assert {report_id, sample_id} <= set(jobs)
        assert jobs[report_id].status == "success"

    qtbot.waitUntil(listed, timeout=30_000)
    assert window.model.job(report_id) is None  # nothing is downloaded until asked

    window.team.select(report_id)
    assert window.team.download_button.isEnabled()
    window.team.download_button.click()
    # An import is a row created "queued", then given the bucket's final state.
    wait_status(qtbot, window, "mate-report.pdf", {"success"}, timeout=30_000)
    pulled = window.model.job(report_id)
    assert pulled is not None
    assert pulled.status == "success"
    assert pulled.sync == "synced"
    window.team.open_button.click()
    qtbot.waitUntil(lambda: window.viewer.document is not None, timeout=30_000)
    assert window.viewer.job_id == report_id
    assert "read-only" in window.statusBar().currentMessage()

    # The teammate's sample, dropped here with the same options: offered, not processed.
    window.controller.submit([SAMPLE / "facture-exemple.pdf"])
    qtbot.waitUntil(lambda: window.controller.team_offer is not None, timeout=30_000)
    box = window.controller.team_offer
    assert box is not None
    assert "facture-exemple.pdf" in box.text()
    use = next(b for b in box.buttons() if b.text() == "Use the team's result")
    use.click()
    qtbot.waitUntil(lambda: window.model.job(sample_id) is not None, timeout=30_000)
    wait_status(qtbot, window, "facture-exemple.pdf", {"success"}, timeout=30_000)
    row = window.model.job(sample_id)
    assert row is not None
    assert row.status == "success"
    assert [r.id for r in window.model.jobs() if r.name == "facture-exemple.pdf"] == [sample_id]
