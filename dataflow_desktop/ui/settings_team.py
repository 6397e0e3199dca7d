"""The settings' "Team sync" page: remote profiles, the sync remote, and where jobs run.

The profile list (:mod:`.remote_profile_list`) saves profiles on its own; the rest of
the page maps to :class:`~dataflow_desktop.config.Settings` fields (``sync_remote``,
``cloud_only``, ``run_on``, ``temporal_address``, ``temporal_task_queue``), saved with
the dialog.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .form_helpers import StatusLabel, fill_combo, select_data
from .remote_profile_list import RemoteProfileList

if TYPE_CHECKING:
    from ..config import Settings
    from .tasks import TaskManager

RUN_ON = ("local", "cluster")


def address_ok(address: str) -> bool:
    """Whether ``address`` is ``HOST:PORT`` with a port in 1–65535."""
    host, sep, port = address.rpartition(":")
    return bool(sep and host and " " not in host and port.isdigit() and 0 < int(port) < 65536)


class TeamSyncPage(QWidget):
    """Remote profiles (:attr:`remotes`), the sync remote, and "Run on"."""

    def __init__(self, tasks: TaskManager, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._wanted_remote = settings.sync_remote
        self.remotes = RemoteProfileList(tasks, settings.env, self)
        # Refill the remote choices whenever the list is read (also after an error).
        self.remotes.profiles_loaded.connect(self._fill_remotes)

        self.sync_remote = QComboBox(self)
        self.cloud_only = QCheckBox(self)
        self.sync_remote.currentIndexChanged.connect(self._update_sync)
        self.run_on = QComboBox(self)
        self.temporal_address = QLineEdit(self)
        self.task_queue = QLineEdit(self)
        self.run_on.currentIndexChanged.connect(self._update_run_on)
        self.run_note = QLabel(self)
        self.run_note.setWordWrap(True)
        self.problem_label = StatusLabel(self)
        self.problem_label.setObjectName("teamProblem")

        self._labels: dict[QWidget, QLabel] = {}
        self.sync_box = QGroupBox(self)
        sync_form = QFormLayout(self.sync_box)
        self._row(sync_form, self.sync_remote)
        sync_form.addRow(self.cloud_only)
        self.run_box = QGroupBox(self)
        run_form = QFormLayout(self.run_box)
        for widget in (self.run_on, self.temporal_address, self.task_queue):
            self._row(run_form, widget)
        run_form.addRow(self.run_note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.remotes, 1)
        layout.addWidget(self.sync_box)
        layout.addWidget(self.run_box)
        layout.addWidget(self.problem_label)
        self.retranslate()
        self._load(settings)
        self.remotes.reload()

    def _row(self, form: QFormLayout, widget: QWidget) -> None:
        label = QLabel(self)
        label.setBuddy(widget)
        self._labels[widget] = label
        form.addRow(label, widget)

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to every string of the page."""
        self.sync_box.setTitle(self.tr("Sync"))
        rows = (
            (self.sync_remote, self.tr("Sync finished jobs to:"), self.tr("Sync remote")),
            (self.run_on, self.tr("Run jobs on:"), self.tr("Run jobs on")),
            (self.temporal_address, self.tr("Temporal address:"), self.tr("Temporal address")),
            (self.task_queue, self.tr("Task queue:"), self.tr("Task queue")),
        )
        for widget, label, accessible in rows:
            self._labels[widget].setText(label)
            widget.setAccessibleName(accessible)
        self.cloud_only.setText(
            self.tr("Cloud only: remove the local copies once the bucket's copy is verified")
        )
        self.run_box.setTitle(self.tr("Where jobs run"))
        fill_combo(self.run_on, RUN_ON, [self.tr("This computer"), self.tr("Team cluster")])
        self.temporal_address.setPlaceholderText(
            self.tr("HOST:PORT, e.g. temporal.example.org:7233")
        )
        self.run_note.setText(
            self.tr("The team cluster runs jobs on the team's Temporal workers; results come "
                    "back through the sync remote, so one must be chosen above.")
        )  # fmt: skip
        self._fill_remotes()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate live when the application language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- settings ---------------------------------------------------------------------

    def _fill_remotes(self) -> None:
        """(Re)fill the sync remote combo: "Off" then every profile."""
        current = self.sync_remote.currentData() if self.sync_remote.count() else None
        wanted = current if current is not None else self._wanted_remote
        self.sync_remote.blockSignals(True)
        self.sync_remote.clear()
        self.sync_remote.addItem(self.tr("Off (keep jobs on this computer)"), "")
        names = set(self.remotes.names())
        if self._wanted_remote and not self.remotes.loaded:
            names.add(self._wanted_remote)  # until the list is read; then only real ones
        for name in sorted(names):
            self.sync_remote.addItem(name, name)
        select_data(self.sync_remote, wanted or "")
        self.sync_remote.blockSignals(False)
        self._update_sync()

    def _update_sync(self) -> None:
        remote = self.sync_remote.currentData()
        self._wanted_remote = str(remote) if remote else None
        self.cloud_only.setEnabled(bool(remote))

    def _update_run_on(self) -> None:
        cluster = self.run_on.currentData() == "cluster"
        self.temporal_address.setEnabled(cluster)
        self.task_queue.setEnabled(cluster)

    def _load(self, settings: Settings) -> None:
        self.cloud_only.setChecked(settings.cloud_only)
        select_data(self.run_on, settings.run_on)
        self.temporal_address.setText(settings.temporal_address)
        self.task_queue.setText(settings.temporal_task_queue)
        self._update_run_on()

    def apply(self, settings: Settings) -> Settings:
        """``settings`` with the page's fields."""
        remote = self.sync_remote.currentData()
        return replace(
            settings,
            sync_remote=str(remote) if remote else None,
            cloud_only=bool(remote) and self.cloud_only.isChecked(),
            run_on=str(self.run_on.currentData()),
            temporal_address=self.temporal_address.text().strip(),
            temporal_task_queue=self.task_queue.text().strip(),
        )

    def problem(self) -> tuple[QWidget, str] | None:
        """What prevents saving (the field and why), or ``None``."""
        if self.run_on.currentData() != "cluster":
            return None
        if not self.sync_remote.currentData():
            return self.sync_remote, self.tr(
                "Running on the team cluster needs a sync remote: results come back through "
                "its bucket. Choose one under Sync, or run on this computer."
            )
        if not address_ok(self.temporal_address.text().strip()):
            return self.temporal_address, self.tr(
                "Type the Temporal address as HOST:PORT, e.g. temporal.example.org:7233."
            )
        if not self.task_queue.text().strip():
            return self.task_queue, self.tr("Type the task queue the team's workers poll.")
        return None


__all__ = ["RUN_ON", "TeamSyncPage", "address_ok"]
