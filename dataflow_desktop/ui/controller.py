"""What the window asks of ``JobService``, always off the GUI thread, and what follows.

Submitting hashes and copies files, removing waits for a job to stop, exporting copies
files: every ``JobService`` call runs as a task. The controller also follows status
changes reported by the job list to ask for passwords and to tell when a batch ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ..errors import ErrorCode
from ..pipeline.options import PipelineOptions
from ..storage.local import atomic_write
from .engine import EngineClient
from .jobs_model import JobTableModel
from .keyring_bridge import KeyringBridge
from .notices import DUPLICATE
from .password_dialog import PasswordDialog
from .store_reader import JobRow
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..jobs import Submission
    from ..sync.team import RemoteJob

log = logging.getLogger(__name__)

PASSWORD_CODES = frozenset({ErrorCode.PASSWORD_REQUIRED.value, ErrorCode.WRONG_PASSWORD.value})


@dataclass
class Batch:
    """Jobs seen active since the list was last idle."""

    ids: set[str] = field(default_factory=set)

    def progress(self, model: JobTableModel) -> tuple[int, float]:
        """``(active jobs, overall percent)`` of the batch (ended jobs count as 100 %)."""
        rows = [r for i in self.ids if (r := model.job(i)) is not None]
        if not rows:
            return 0, 0.0
        active = sum(1 for r in rows if r.active)
        percent = sum(r.percent if r.active else 100.0 for r in rows) / len(rows)
        return active, percent


def team_duplicates(
    service: EngineClient, paths: Sequence[Path], options: PipelineOptions
) -> list[tuple[Path, RemoteJob]]:
    """Files among ``paths`` a teammate already processed with ``options`` (task thread)."""
    from ..jobs._intake import expand_paths
    from ..storage._hashing import sha256_file

    fingerprint = options.fingerprint()
    found = []
    for path, _explicit in expand_paths(paths):
        if path.suffix.lower() != ".pdf":  # submit recognises PDFs by content; dedupe need not
            continue
        try:
            sha256 = sha256_file(path)
        except OSError:
            continue  # submit reports it
        job = service.find_remote_duplicate(sha256, fingerprint)
        if job is not None:
            found.append((path, job))
    return found


def copy_bundles(pairs: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Copy each ``(bundle.zip, destination)`` pair (task thread).

    Atomically: a destination appears whole or not at all, so nothing (a file manager,
    the test that waits for it, a crash mid-copy) ever sees a truncated ZIP.
    """
    written = []
    for source, target in pairs:
        atomic_write(target, source)
        written.append(target)
    return written


class JobController(QObject):
    """Runs job actions in the background and reacts to job status changes.

    Signals:
        message_posted(str): a short status-bar message.
        files_skipped(list): ``(Path, error code, message)`` of files that were not added.
        jobs_submitted(list): ids of the jobs created (or found as duplicates).
        batch_finished(int, int, int): a batch ended: succeeded, failed, cancelled.
    """

    message_posted = Signal(str)
    files_skipped = Signal(list)
    jobs_submitted = Signal(list)
    batch_finished = Signal(int, int, int)

    def __init__(
        self,
        service: EngineClient,
        tasks: TaskManager,
        model: JobTableModel,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.service = service
        self.tasks = tasks
        self.model = model
        self.window = window
        self.keyring = KeyringBridge()
        # The window's current settings (the dialog may change them after start-up).
        self.options_provider: Callable[[], PipelineOptions] = service.default_options
        self.batch = Batch()
        self._ours: set[str] = set()  # jobs this window submitted: we may ask their password
        self._prompts: list[tuple[str, bool]] = []
        self._asking: set[str] = set()  # prompt queued/shown or keyring lookup running
        self._dialog: PasswordDialog | None = None
        self.team_offer: QMessageBox | None = None  # "Use the team's result?" while shown
        model.status_changed.connect(self._on_model_status_changed)
        if self.keyring.supported:
            self.tasks.run(self.keyring.probe)

    # -- submitting ---------------------------------------------------------------------------

    def submit(self, paths: Sequence[Path], *, force: bool = False) -> None:
        """Queue jobs for ``paths`` (files and folders) with the current settings' options.

        With team sync on (and running here), PDFs a teammate already processed with
        the same options are looked up first, and the user chooses between the team's
        result and processing again.
        """
        if not paths:
            return
        options = self.options_provider()
        settings = self.service.settings
        if force or not settings.sync_remote or settings.run_on == "cluster":
            self._submit(list(paths), options, force=force)
            return
        self.tasks.run(
            team_duplicates, self.service, list(paths), options,
            on_success=lambda found: self._offer_team_results(list(paths), options, found),
            on_failure=lambda _exc: self._submit(list(paths), options),  # bucket unreachable
        )  # fmt: skip

    def _submit(
        self, paths: list[Path], options: PipelineOptions, *, force: bool = False,
        reuse_remote: bool = True,
    ) -> None:  # fmt: skip
        self.tasks.run(
            self.service.submit, paths, options=options, force=force,
            reuse_remote=reuse_remote, on_success=self._on_submitted,
        )  # fmt: skip

    def _offer_team_results(
        self, paths: list[Path], options: PipelineOptions, found: list[tuple[Path, RemoteJob]]
    ) -> None:
        if not found:
            self._submit(paths, options)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Already processed by the team"),
                          "", QMessageBox.StandardButton.NoButton, self.window)  # fmt: skip
        names = "\n".join(f"• {path.name}" for path, _job in found[:10])
        box.setText(
            self.tr(
                "%n document(s) were already processed by a teammate with the same options:",
                "",
                len(found),
            )
            + f"\n\n{names}"
        )
        box.setInformativeText(
            self.tr("Use the team's result (downloaded from the bucket) or process again here?")
        )
        use = box.addButton(self.tr("Use the team's result"), QMessageBox.ButtonRole.AcceptRole)
        again = box.addButton(self.tr("Process again"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use)

        def finished(_result: int) -> None:
            clicked = box.clickedButton()
            self.team_offer = None
            if clicked is use:
                self._submit(paths, options)  # submit pulls the teammate's equal job
            elif clicked is again:
                self._submit(paths, options, reuse_remote=False)
            box.deleteLater()

        box.finished.connect(finished)
        self.team_offer = box
        box.open()

    def _on_submitted(self, results: list[Submission]) -> None:
        skipped: list[tuple[Path, str | None, str]] = []
        ids: list[str] = []
        for item in results:
            if item.status == "skipped":
                code = item.error.code.value if item.error is not None else None
                message = item.error.user_message if item.error is not None else ""
                skipped.append((item.path, code, message))
            elif item.status == "duplicate" and item.job_id and item.reused_from:
                ids.append(item.job_id)
                self.message_posted.emit(
                    self.tr("Using the team's result for {name}").format(name=item.path.name)
                )
            elif item.status == "duplicate" and item.job_id:
                ids.append(item.job_id)
                skipped.append((item.path, DUPLICATE, ""))
            elif item.job_id:
                ids.append(item.job_id)
                self._ours.add(item.job_id)
                self._check_password(item.job_id)
        if skipped:
            self.files_skipped.emit(skipped)
        queued = sum(1 for r in results if r.status == "queued")
        self.message_posted.emit(self.tr("%n document(s) added", "", queued))
        self.jobs_submitted.emit(ids)

    # -- actions ----------------------------------------------------------------------------

    def cancel(self, ids: Sequence[str]) -> None:
        """Ask the active jobs among ``ids`` to stop."""
        active = [i for i in ids if (row := self.model.job(i)) is not None and row.active]
        if active:
            self.tasks.run(_each, self.service.cancel, active)

    def retry(self, ids: Sequence[str], password: str | None = None) -> None:
        """Run the ended jobs among ``ids`` again."""
        ended = [i for i in ids if (row := self.model.job(i)) is not None and not row.active]
        for job_id in ended:
            self._ours.add(job_id)
            self.tasks.run(self.service.retry, job_id, password=password)

    def remove(self, ids: Sequence[str]) -> None:
        """Delete jobs and their files (the caller has asked for confirmation)."""
        for job_id in ids:
            self._ours.discard(job_id)
            self.batch.ids.discard(job_id)
        if ids:
            self.tasks.run(_each, self.service.remove, list(ids))

    def job_folder(self, job_id: str) -> Path | None:
        """The local folder of a job's files, if the storage is local."""
        from ..storage.keys import job_key

        row = self.model.job(job_id)
        if row is None:
            return None
        path = self.service.storage.local_path(job_key(row.env, row.id, "progress.json"))
        return path.parent if path is not None else None

    def bundle_path(self, job_id: str) -> Path | None:
        """The local bundle.zip of a finished job, if there is one."""
        folder = self.job_folder(job_id)
        bundle = folder / "bundle.zip" if folder is not None else None
        return bundle if bundle is not None and bundle.is_file() else None

    def export_bundles(self, pairs: Sequence[tuple[Path, Path]]) -> None:
        """Copy bundles to their destinations in the background."""
        self.tasks.run(copy_bundles, list(pairs), on_success=self._on_bundles_copied)

    def _on_bundles_copied(self, written: list[Path]) -> None:
        self.message_posted.emit(self.tr("%n bundle(s) exported", "", len(written)))

    # -- status changes --------------------------------------------------------------------------

    def _on_model_status_changed(self, row: JobRow, previous: str) -> None:
        if row.active:
            self.batch.ids.add(row.id)
        elif row.id in self._ours and row.error_code in PASSWORD_CODES:
            self._check_password(row.id)
        if self.batch.ids and not any(
            (r := self.model.job(i)) is not None and r.active for i in self.batch.ids
        ):
            rows = [r for i in self.batch.ids if (r := self.model.job(i)) is not None]
            self.batch = Batch()
            self.batch_finished.emit(
                sum(r.status == "success" for r in rows),
                sum(r.status == "failed" for r in rows),
                sum(r.status == "cancelled" for r in rows),
            )

    def _check_password(self, job_id: str) -> None:
        row = self.model.job(job_id)
        if row is None or row.active or row.error_code not in PASSWORD_CODES:
            return
        if job_id in self._asking:
            return
        self._asking.add(job_id)
        wrong = row.error_code == ErrorCode.WRONG_PASSWORD.value
        if wrong or not self.keyring.available:
            self._queue_prompt(job_id, wrong)
            return
        # A remembered password is tried first (the keyring may block: a task).
        self.tasks.run(
            self.keyring.get, row.sha256,
            on_success=lambda secret: self._on_keyring_answered(job_id, secret),
            on_failure=lambda _exc: self._queue_prompt(job_id, False),
        )  # fmt: skip

    def _on_keyring_answered(self, job_id: str, secret: str | None) -> None:
        if secret:
            self._asking.discard(job_id)
            self.retry([job_id], password=secret)
        else:
            self._queue_prompt(job_id, False)

    def _queue_prompt(self, job_id: str, wrong: bool) -> None:
        self._prompts.append((job_id, wrong))
        self._next_prompt()

    def _next_prompt(self) -> None:
        if self._dialog is not None or not self._prompts:
            return
        job_id, wrong = self._prompts.pop(0)
        row = self.model.job(job_id)
        if row is None:
            self._asking.discard(job_id)
            self._next_prompt()
            return
        dialog = PasswordDialog(
            row.name, wrong=wrong, can_remember=self.keyring.available, parent=self.window
        )
        dialog.setProperty("job_id", job_id)
        dialog.finished.connect(self._on_dialog_finished)
        self._dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, result: int) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is None:
            return
        job_id = str(dialog.property("job_id"))
        self._asking.discard(job_id)
        row = self.model.job(job_id)
        if result == QDialog.DialogCode.Accepted and dialog.value and row is not None:
            if dialog.remember_requested:
                # Stored even before we know it is right: a wrong one is replaced when
                # the user types the right one and ticks the box again.
                self.tasks.run(self.keyring.put, row.sha256, dialog.value)
            self.retry([job_id], password=dialog.value)
        dialog.deleteLater()
        self._next_prompt()

    @property
    def password_dialog(self) -> PasswordDialog | None:
        """The password dialog shown, if any."""
        return self._dialog


def _each(action: object, ids: Sequence[str]) -> int:
    """Call ``action(job_id)`` for every id (task thread); returns how many."""
    assert callable(action)
    for job_id in ids:
        action(job_id)
    return len(ids)


__all__ = ["Batch", "JobController", "copy_bundles", "team_duplicates"]
